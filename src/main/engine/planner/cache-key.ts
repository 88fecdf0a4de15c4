import { type Flow } from '@shared/model';
import { type Cache, type EngineUser } from '../ports';
import { POLICY_CACHE_PREFIX } from '../policy/cache-key';

/** authentik `authentik.flows.planner.CACHE_PREFIX`. */
export const PLAN_CACHE_PREFIX = 'goauthentik.io/flows/planner/';

/**
 * authentik's plan cache key: `goauthentik.io/flows/planner/<flow pk>#<user pk>`. Every
 * anonymous (and unsaved) user formats its missing pk as `None`, so they share one entry.
 */
export function planCacheKey(flow: Pick<Flow, 'pk'>, user: EngineUser): string {
  return `${PLAN_CACHE_PREFIX}${flow.pk}#${user.pk ?? 'None'}`;
}

/** authentik's `/flows/instances/cache_clear/`: drop every cached plan. */
export function clearPlanCache(cache: Cache): void {
  cache.clear(PLAN_CACHE_PREFIX);
}

/** Drop every cached policy result. */
export function clearPolicyCache(cache: Cache): void {
  cache.clear(POLICY_CACHE_PREFIX);
}
