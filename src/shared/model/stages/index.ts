import { type Registry, type StageKindDef } from '../kind-registry';
import { authenticatorDuoStage } from './authenticator-duo';
import { authenticatorEmailStage } from './authenticator-email';
import { authenticatorEndpointGdtcStage } from './authenticator-endpoint-gdtc';
import { authenticatorSmsStage } from './authenticator-sms';
import { authenticatorStaticStage } from './authenticator-static';
import { authenticatorTotpStage } from './authenticator-totp';
import { authenticatorValidateStage } from './authenticator-validate';
import { authenticatorWebauthnStage } from './authenticator-webauthn';
import { captchaStage } from './captcha';
import { consentStage } from './consent';
import { denyStage } from './deny';
import { dummyStage } from './dummy';
import { emailStage } from './email';
import { identificationStage } from './identification';
import { invitationStage } from './invitation';
import { passwordStage } from './password';
import { promptStage } from './prompt';
import { redirectStage } from './redirect';
import { sourceStage } from './source';
import { userDeleteStage } from './user-delete';
import { userLoginStage } from './user-login';
import { userLogoutStage } from './user-logout';
import { userWriteStage } from './user-write';

/**
 * Every stage kind Flowbench models, keyed by authentik model name (spec §5, §7.6).
 * Explicit: no side effects, no self-registration. Order = palette order.
 */
export const stageRegistry = {
  [identificationStage.model]: identificationStage,
  [passwordStage.model]: passwordStage,
  [userLoginStage.model]: userLoginStage,
  [userLogoutStage.model]: userLogoutStage,
  [userWriteStage.model]: userWriteStage,
  [userDeleteStage.model]: userDeleteStage,
  [promptStage.model]: promptStage,
  [denyStage.model]: denyStage,
  [dummyStage.model]: dummyStage,
  [consentStage.model]: consentStage,
  [emailStage.model]: emailStage,
  [captchaStage.model]: captchaStage,
  [invitationStage.model]: invitationStage,
  [redirectStage.model]: redirectStage,
  [authenticatorValidateStage.model]: authenticatorValidateStage,
  [authenticatorTotpStage.model]: authenticatorTotpStage,
  [authenticatorStaticStage.model]: authenticatorStaticStage,
  [authenticatorWebauthnStage.model]: authenticatorWebauthnStage,
  [authenticatorDuoStage.model]: authenticatorDuoStage,
  [authenticatorSmsStage.model]: authenticatorSmsStage,
  [authenticatorEmailStage.model]: authenticatorEmailStage,
  [sourceStage.model]: sourceStage,
  [authenticatorEndpointGdtcStage.model]: authenticatorEndpointGdtcStage,
} as const satisfies Registry<StageKindDef>;

export type StageKind = keyof typeof stageRegistry;

export {
  authenticatorDuoStage,
  authenticatorEmailStage,
  authenticatorEndpointGdtcStage,
  authenticatorSmsStage,
  authenticatorStaticStage,
  authenticatorTotpStage,
  authenticatorValidateStage,
  authenticatorWebauthnStage,
  captchaStage,
  consentStage,
  denyStage,
  dummyStage,
  emailStage,
  identificationStage,
  invitationStage,
  passwordStage,
  promptStage,
  redirectStage,
  sourceStage,
  userDeleteStage,
  userLoginStage,
  userLogoutStage,
  userWriteStage,
};
