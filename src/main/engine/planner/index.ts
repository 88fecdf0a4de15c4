export {
  checkAuthentication,
  EMPTY_FLOW_MESSAGE,
  FLOW_NOT_APPLICABLE_MESSAGE,
  planFlow,
  planFlowBySlug,
  PlannerError,
  planUser,
  PREVIEW_PLAN_OPTIONS,
  requestUser,
  type FlowAuthentication,
  type PlanInput,
  type PlanOptions,
  type PlanResult,
} from './planner';
export { emptyPlan, parsePlan, planHasStages, planMarker, planSchema, PLAN_VERSION, type Plan, type PlanMarker } from './plan';
export { clearPlanCache, clearPolicyCache, PLAN_CACHE_PREFIX, planCacheKey } from './cache-key';
export { selectFlowForDesignation, type SelectFlowInput, type SelectFlowResult } from './select';
