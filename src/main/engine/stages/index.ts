import { findKind, stageRegistry } from '@shared/model';
import { denyStageImpl } from './deny';
import { dummyStageImpl } from './dummy';
import { inMemoryRedirectStageImpl, redirectStageImpl } from './redirect';
import { type AnyStageImpl, type StageRegistry } from './types';
import { userDeleteStageImpl } from './user-delete';
import { userLoginStageImpl } from './user-login';
import { userLogoutStageImpl } from './user-logout';

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
