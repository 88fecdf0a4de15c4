import { findKind, stageRegistry } from '@shared/model';
import { authenticatorStaticStageImpl } from './authenticator-static';
import { authenticatorTotpStageImpl } from './authenticator-totp';
import { authenticatorValidateStageImpl } from './authenticator-validate';
import { authenticatorWebauthnStageImpl } from './authenticator-webauthn';
import { captchaStageImpl } from './captcha';
import { consentStageImpl } from './consent';
import { denyStageImpl } from './deny';
import { dummyStageImpl } from './dummy';
import { emailStageImpl } from './email';
import { identificationStageImpl } from './identification';
import { invitationStageImpl } from './invitation';
import { passwordStageImpl } from './password';
import { promptStageImpl } from './prompt';
import { inMemoryRedirectStageImpl, redirectStageImpl } from './redirect';
import { type AnyStageImpl, type StageRegistry } from './types';
import { userDeleteStageImpl } from './user-delete';
import { userLoginStageImpl } from './user-login';
import { userLogoutStageImpl } from './user-logout';
import { userWriteStageImpl } from './user-write';

/**
 * The stage implementations, keyed by authentik model name (and, for stages that only exist
 * inside a plan, by their view path). Explicit: no self-registration. A kind missing here is
 * refused by the executor with an access-denied "Stage <kind> is not available in Flowbench
 * yet" — it never passes silently.
 */
export const stageImplementations: StageRegistry = Object.freeze({
  [dummyStageImpl.model]: dummyStageImpl,
  [denyStageImpl.model]: denyStageImpl,
  [userLoginStageImpl.model]: userLoginStageImpl,
  [userLogoutStageImpl.model]: userLogoutStageImpl,
  [userDeleteStageImpl.model]: userDeleteStageImpl,
  [redirectStageImpl.model]: redirectStageImpl,
  [inMemoryRedirectStageImpl.model]: inMemoryRedirectStageImpl,
  [identificationStageImpl.model]: identificationStageImpl,
  [passwordStageImpl.model]: passwordStageImpl,
  [userWriteStageImpl.model]: userWriteStageImpl,
  [promptStageImpl.model]: promptStageImpl,
  [consentStageImpl.model]: consentStageImpl,
  [emailStageImpl.model]: emailStageImpl,
  [captchaStageImpl.model]: captchaStageImpl,
  [invitationStageImpl.model]: invitationStageImpl,
  [authenticatorValidateStageImpl.model]: authenticatorValidateStageImpl,
  [authenticatorTotpStageImpl.model]: authenticatorTotpStageImpl,
  [authenticatorStaticStageImpl.model]: authenticatorStaticStageImpl,
  [authenticatorWebauthnStageImpl.model]: authenticatorWebauthnStageImpl,
});

/** Resolve a stage model (or one of its aliases) to its implementation. */
export function findStageImpl(registry: StageRegistry, model: string): AnyStageImpl | undefined {
  const direct = registry[model];
  if (direct) return direct;
  const canonical = findKind(stageRegistry, model)?.model;
  return canonical ? registry[canonical] : undefined;
}

export interface StageKindAvailability {
  model: string;
  label: string;
  implemented: boolean;
}

/** Every stage kind of the shared model, in palette order, with whether Flowbench can run it. */
export function stageKindAvailability(registry: StageRegistry = stageImplementations): StageKindAvailability[] {
  return Object.values(stageRegistry).map((def) => ({ model: def.model, label: def.label, implemented: def.model in registry }));
}

/** The model names of the stage kinds Flowbench can run. */
export const IMPLEMENTED_STAGE_KINDS: readonly string[] = Object.freeze(
  stageKindAvailability().filter((k) => k.implemented).map((k) => k.model),
);

/** `authentik_stages_authenticator_totp.authenticatortotpstage` → `authenticator_totp`. */
export function stageKindShortName(model: string): string {
  const app = model.split('.')[0] ?? model;
  return app.replace(/^authentik_stages_/, '') || model;
}

export function unavailableStageMessage(model: string): string {
  return `Stage ${stageKindShortName(model)} is not available in Flowbench yet`;
}

export { denyStageImpl, dummyStageImpl, inMemoryRedirectStageImpl, redirectStageImpl, userDeleteStageImpl, userLoginStageImpl, userLogoutStageImpl };
export { durationSeconds } from './duration';
export { drfBoolean, drfChar, fieldError, issuesToResponseErrors, responseComponent, responseObject } from './fields';
export {
  defineStage,
  IgnoredStageError,
  StageInvalid,
  type AnyStageImpl,
  type ChallengeFields,
  type StageContext,
  type StageImpl,
  type StageOutcome,
  type StageRegistry,
  type StageSession,
  type ValidationResult,
} from './types';
export { BACKEND_INBUILT, NO_PENDING_USER_TO_LOGIN } from './user-login';
export { NO_PENDING_USER_TO_DELETE } from './user-delete';
export { NO_REDIRECT_TARGET, URL_SCHEME_FLOW } from './redirect';
export {
  authenticatorStaticStageImpl,
  authenticatorTotpStageImpl,
  authenticatorValidateStageImpl,
  authenticatorWebauthnStageImpl,
  captchaStageImpl,
  consentStageImpl,
  emailStageImpl,
  invitationStageImpl,
};
export { CAPTCHA_OFFLINE_NOTICE, verifyCaptchaToken, type CaptchaCheck, type CaptchaSettings } from './captcha';
export { applicationKey, consentRef, SESSION_KEY_CONSENT_TOKEN } from './consent';
export { EMAIL_RECOVERY_CACHE_KEY, EMAIL_SENT_ERROR, emailRateLimitedMessage } from './email';
export { alwaysMerge, INVITATION_INVALID, invitationRef } from './invitation';
export { COOKIE_NAME_MFA, deviceRef, MFA_INVALID_TOKEN, MFA_NOT_CONFIGURED } from './authenticator-validate';
export { currentTotpCode, newTotpSecret, TOTP_PERIOD, TOTP_TOLERANCE, totpConfigUrl, verifyTotpToken } from './authenticator-totp';
export { WEBAUTHN_NOTICE } from './authenticator-webauthn';
export { identificationStageImpl, passwordStageImpl, promptStageImpl, userWriteStageImpl };
export { FAILED_TO_AUTHENTICATE, findIdentifiedUser } from './identification';
export {
  authenticate,
  BACKEND_KERBEROS,
  BACKEND_LDAP,
  BACKEND_TOKEN,
  INVALID_PASSWORD,
  NO_PENDING_USER,
  PLAN_CONTEXT_INITIAL_SCORE,
  recordLoginFailed,
} from './password';
export { CHOICES_CONTEXT_SUFFIX, PASSWORDS_DONT_MATCH, USERNAME_TAKEN } from './prompt';
export { FAILED_TO_UPDATE_USER, NO_PENDING_DATA, NO_USER_CANNOT_CREATE } from './user-write';
