import { type PolicyBinding } from '@shared/model';
import { uuidHex } from '../json';
import { type EngineUser, type SimRequest } from '../ports';

/** authentik `authentik.policies.types.CACHE_PREFIX`. */
export const POLICY_CACHE_PREFIX = 'goauthentik.io/policies/';

/**
 * authentik's policy cache key: `goauthentik.io/policies/<binding uuid hex>_`, then
 * `_<session key>` when an HTTP request (with a session) is attached, then `#<user pk>`
 * (`#None` for the anonymous user and unsaved users, as Python formats a missing pk).
 */
export function policyCacheKey(binding: Pick<PolicyBinding, 'pk'>, user: EngineUser, http: SimRequest | null): string {
  let key = `${POLICY_CACHE_PREFIX}${uuidHex(binding.pk)}_`;
  if (http) key += `_${http.session_key ?? 'None'}`;
  key += `#${user.pk ?? 'None'}`;
  return key;
}
