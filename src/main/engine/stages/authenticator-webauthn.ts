import { z } from 'zod';
import { type JsonValue } from '@shared/model';
import { authenticatorWebauthnStage } from '@shared/model/stages';
import { isJsonObject } from '../json';
import { requirePort } from './require-port';
import { responseObject } from './fields';
import { generateId } from './authenticator-static';
import { defineStage } from './types';

type Config = z.output<typeof authenticatorWebauthnStage.config>;

/** Every WebAuthn challenge says so: there is no authenticator and no signature check in Flowbench. */
export const WEBAUTHN_NOTICE = 'WebAuthn is simulated in Flowbench';
export const WEBAUTHN_DEVICE_NAME = 'WebAuthn Device';
/** authentik `SESSION_KEY_WEBAUTHN_CHALLENGE`. */
export const SESSION_KEY_WEBAUTHN_CHALLENGE = 'authentik/stages/authenticator_webauthn/challenge';
export const WEBAUTHN_RP_ID = 'localhost';

function registrationError(detail: string): string {
  return `Registration failed. Error: ${detail}`;
}

/**
 * `authentik_stages_authenticator_webauthn.authenticatorwebauthnstage`, simulated: challenge
 * `ak-stage-authenticator-webauthn` (with user info) `{registration: <creation options>,
 * flowbench_notice}`; the only accepted response is `{response: {simulated: true}}`, which
 * saves a simulated WebAuthn device for the pending user. No attestation is verified.
 */
export const authenticatorWebauthnStageImpl = defineStage<Config, { response: Record<string, JsonValue> }>({
  model: authenticatorWebauthnStage.model,
  component: 'ak-stage-authenticator-webauthn',
  withUserInfo: true,
  run(ctx) {
    if (ctx.method === 'POST') return ctx.useChallenge();
    const user = ctx.pendingUser();
    if (user.is_anonymous) {
      ctx.log('debug', 'No pending user, continuing');
      return ctx.ok();
    }
    return ctx.useChallenge();
  },
  challenge(ctx) {
    const user = ctx.pendingUser();
    const challenge = generateId(ctx.deps.random, 43);
    ctx.session.data[SESSION_KEY_WEBAUTHN_CHALLENGE] = challenge;
    const existing = user.pk === null ? [] : requirePort(ctx.deps, 'devices').list({ user_pk: user.pk, type: 'webauthn' });
    return {
      flowbench_notice: WEBAUTHN_NOTICE,
      registration: {
        flowbench_notice: WEBAUTHN_NOTICE,
        rp: { id: WEBAUTHN_RP_ID, name: ctx.request.brand_title ?? 'authentik' },
        user: { id: String(user.pk ?? user.username), name: user.username, displayName: user.name },
        challenge,
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        timeout: 60000,
        excludeCredentials: existing.map((d) => ({ type: 'public-key', id: d.type === 'webauthn' ? d.credential_id : String(d.pk) })),
        authenticatorSelection: {
          residentKey: ctx.config.resident_key_requirement,
          requireResidentKey: ctx.config.resident_key_requirement === 'required',
          userVerification: ctx.config.user_verification,
          ...(ctx.config.authenticator_attachment ? { authenticatorAttachment: ctx.config.authenticator_attachment } : {}),
        },
        attestation: 'direct',
      },
    };
  },
  responseSchema: responseObject({
    response: z.unknown().transform((value, ctx): Record<string, JsonValue> => {
      if (value === undefined) ctx.addIssue({ code: 'custom', message: 'This field is required.', params: { code: 'required' } });
      else if (!isJsonObject(value)) ctx.addIssue({ code: 'custom', message: 'Value must be valid JSON.', params: { code: 'invalid' } });
      return isJsonObject(value) ? value : {};
    }),
  }) as unknown as z.ZodType<{ response: Record<string, JsonValue> }>,
  validate(ctx, response) {
    if (response.response.simulated !== true) {
      return { response: [{ string: registrationError(`${WEBAUTHN_NOTICE}: answer {"response": {"simulated": true}}`), code: 'invalid' }] };
    }
    return null;
  },
  onValid(ctx) {
    const user = ctx.pendingUser();
    if (user.pk === null) throw new Error(`Cannot register a WebAuthn device for the unsaved user "${user.username}"`);
    const stored = requirePort(ctx.deps, 'devices').create({
      type: 'webauthn',
      user_pk: user.pk,
      name: WEBAUTHN_DEVICE_NAME,
      confirmed: true,
      credential_id: `flowbench-simulated-${generateId(ctx.deps.random, 22)}`,
      simulated: true,
    });
    delete ctx.session.data[SESSION_KEY_WEBAUTHN_CHALLENGE];
    ctx.log('info', `Simulated WebAuthn device ${stored.pk} registered for ${user.username}`);
    return ctx.ok();
  },
});
