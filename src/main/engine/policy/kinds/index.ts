import { type PolicyKind } from '@shared/model';
import {
  dummyPolicy,
  eventMatcherPolicy,
  expressionPolicy,
  geoipPolicy,
  passwordExpiryPolicy,
  passwordPolicy,
  reputationPolicy,
} from '@shared/model/policies';
import { dummyKind } from './dummy';
import { eventMatcherKind } from './event-matcher';
import { expiryKind } from './expiry';
import { expressionKind } from './expression';
import { geoipKind } from './geoip';
import { passwordKind } from './password';
import { reputationKind } from './reputation';
import { type PolicyKindImpl } from './types';

/**
 * The behaviour of every policy kind, keyed by authentik model name. Explicit: no
 * self-registration. Its key set equals the shared model's `policyRegistry` (a test checks).
 */
export const policyKindImpls = {
  [expressionPolicy.model]: expressionKind,
  [passwordPolicy.model]: passwordKind,
  [reputationPolicy.model]: reputationKind,
  [passwordExpiryPolicy.model]: expiryKind,
  [eventMatcherPolicy.model]: eventMatcherKind,
  [dummyPolicy.model]: dummyKind,
  [geoipPolicy.model]: geoipKind,
} as const satisfies Record<PolicyKind, PolicyKindImpl>;

/** authentik's abstract base model: binding it is an engine error (G8). */
export const ROOT_POLICY_MODEL = 'authentik_policies.policy';

export function findKindImpl(model: string): PolicyKindImpl | undefined {
  return Object.hasOwn(policyKindImpls, model) ? (policyKindImpls as Record<string, PolicyKindImpl>)[model] : undefined;
}

export { type KindContext, type PolicyKindImpl } from './types';
export { EXPRESSIONS_UNAVAILABLE, unavailableExpressionRuntime, expressionVariables } from './expression';
export { NOT_AVAILABLE_ZXCVBN } from './password';
export { geodesicKm } from './geodesic';
