import { type JsonValue } from '../../../../src/shared/model';
import { type RunState } from '../../../../src/main/engine/executor';
import { type AuthenticatorDevice, type EngineUser } from '../../../../src/main/engine/ports';
import { type World } from '../fixtures';

export const CONSENT_STAGE = 'authentik_stages_consent.consentstage';
export const EMAIL_STAGE = 'authentik_stages_email.emailstage';
export const CAPTCHA_STAGE = 'authentik_stages_captcha.captchastage';
export const INVITATION_STAGE = 'authentik_stages_invitation.invitationstage';
export const VALIDATE_STAGE = 'authentik_stages_authenticator_validate.authenticatorvalidatestage';
export const TOTP_STAGE = 'authentik_stages_authenticator_totp.authenticatortotpstage';
export const STATIC_STAGE = 'authentik_stages_authenticator_static.authenticatorstaticstage';
export const WEBAUTHN_STAGE = 'authentik_stages_authenticator_webauthn.authenticatorwebauthnstage';

/** The plan context as the last stage that passed left it (`stage_ok` snapshots it into the history). */
export function lastContext(state: RunState): Record<string, JsonValue> {
  const last = state.history[state.history.length - 1];
  if (!last) throw new Error('no plan in the run history');
  return last.context;
}

export const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export function totpDevice(world: World, user: EngineUser, extra: Partial<AuthenticatorDevice> = {}): AuthenticatorDevice {
  return world.engine.devices.create({
    type: 'totp',
    user_pk: user.pk as number,
    name: 'phone',
    confirmed: true,
    secret: TOTP_SECRET,
    digits: 6,
    period: 30,
    tolerance: 1,
    drift: 0,
    last_t: -1,
    ...(extra as object),
  } as never);
}

export function staticDevice(world: World, user: EngineUser, tokens: string[] = ['aaaa1111', 'bbbb2222']): AuthenticatorDevice {
  return world.engine.devices.create({ type: 'static', user_pk: user.pk as number, name: 'backup', confirmed: true, tokens });
}

export function webauthnDevice(world: World, user: EngineUser): AuthenticatorDevice {
  return world.engine.devices.create({ type: 'webauthn', user_pk: user.pk as number, name: 'key', confirmed: true, credential_id: `cred-${user.pk}`, simulated: true });
}
