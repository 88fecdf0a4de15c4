import { reputationPolicy } from '@shared/model/policies';
import { type KindResult } from '../types';
import { defineKind } from './types';

/** authentik's `get_client_ip(None)`. */
export const UNKNOWN_CLIENT_IP = '255.255.255.255';

/**
 * `authentik_policies_reputation.reputationpolicy`: passes when the summed score of the
 * reputation records matching the client IP and/or `request.user.username` is ≤ threshold
 * (it passes for a *bad* reputation). With both checks off, upstream's empty `Q()` sums every
 * record; the store port does the same.
 */
export const reputationKind = defineKind({
  model: reputationPolicy.model,
  config: reputationPolicy.config,
  mayWait: () => false,
  passes(ctx, config): KindResult {
    const ip = ctx.request.http?.ip ?? UNKNOWN_CLIENT_IP;
    const query: { ip?: string; identifier?: string } = {};
    if (config.check_ip) query.ip = ip;
    if (config.check_username) query.identifier = ctx.request.user.username;
    const score = ctx.deps.reputation.score(query);
    const passing = score <= config.threshold;
    ctx.log('debug', `Score for user (username=${ctx.request.user.username}, remote_ip=${ip}, score=${score}, passing=${passing})`);
    return { passing, messages: [], raw_result: { score } };
  },
});
