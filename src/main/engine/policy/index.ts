export {
  evaluatePolicies,
  evaluatePolicyList,
  requestContext,
  staticBindingPasses,
  type EvaluatePoliciesInput,
  type StaticBindingsMode,
} from './engine';
export { POLICY_CACHE_PREFIX, policyCacheKey } from './cache-key';
export { POLICY_EVENT_APP, sanitizePolicyRequest } from './events';
export {
  EXPRESSIONS_UNAVAILABLE,
  expressionVariables,
  findKindImpl,
  geodesicKm,
  NOT_AVAILABLE_ZXCVBN,
  policyKindImpls,
  ROOT_POLICY_MODEL,
  unavailableExpressionRuntime,
  type KindContext,
  type PolicyKindImpl,
} from './kinds';
export {
  PolicyEngineException,
  PolicyException,
  PolicyTimeout,
  type KindResult,
  type PolicyEvaluation,
  type PolicyRequest,
  type PolicyTrace,
  type ResultOutcome,
  type TraceBinding,
  type TracePolicy,
  type TraceResult,
  type TraceTarget,
} from './types';
