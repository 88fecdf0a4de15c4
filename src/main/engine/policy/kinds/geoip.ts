import { geoipPolicy } from '@shared/model/policies';
import { type JsonValue } from '@shared/model';
import { isJsonObject } from '../../json';
import { PolicyException, type KindResult } from '../types';
import { geodesicKm } from './geodesic';
import { defineKind } from './types';

/** authentik's `MAX_DISTANCE_HOUR_KM`. */
const MAX_DISTANCE_HOUR_KM = 1000;

function num(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * `authentik_policies_geoip.geoippolicy`, as in authentik 2025.2 (goauthentik/authentik#12541):
 * - static checks (ASN in `asns`, country in `countries`): ANY must pass; missing ASN/GeoIP
 *   data for a configured static check raises a PolicyException (→ the binding's
 *   failure_result) with upstream's "GeoIP: client IP … not found in … database." text;
 * - dynamic checks (history distance, impossible travel) against the user's last
 *   `history_login_count` `login` events that carry `context.geo`: ALL must pass; no GeoIP
 *   data for the current request → failing without a message;
 * - nothing configured → passes.
 * Upstream quirks kept: the history check fails when `distance ≥ history_max_distance_km −
 * distance_tolerance_km`; impossible travel uses whole *days* since the login as its "hours"
 * (`int(seconds / 86400)`, at least 1) and `distance_tolerance_km`, not
 * `impossible_tolerance_km` (fixed upstream only in 2026).
 */
export const geoipKind = defineKind({
  model: geoipPolicy.model,
  config: geoipPolicy.config,
  mayWait: () => false,
  passes(ctx, config): KindResult {
    const context = ctx.request.context;
    const staticResults: KindResult[] = [];
    const dynamicResults: KindResult[] = [];

    if (config.asns.length > 0) {
      const asnData = context.asn;
      const asn = isJsonObject(asnData) ? num(asnData.asn) : null;
      if (!asn) throw new PolicyException('GeoIP: client IP not found in ASN database.');
      staticResults.push(
        config.asns.includes(asn)
          ? { passing: true, messages: [] }
          : { passing: false, messages: ['Client IP is not part of an allowed autonomous system.'] },
      );
    }
    if (config.countries.length > 0) {
      const geo = context.geoip;
      const country = isJsonObject(geo) && typeof geo.country === 'string' && geo.country ? geo.country : null;
      if (!country) throw new PolicyException('GeoIP: client IP address not found in City database.');
      staticResults.push(
        config.countries.includes(country)
          ? { passing: true, messages: [] }
          : { passing: false, messages: ['Client IP is not in an allowed country.'] },
      );
    }
    if (config.check_history_distance || config.check_impossible_travel) {
      dynamicResults.push(passesDistance(ctx, config));
    }
    if (staticResults.length === 0 && dynamicResults.length === 0) return { passing: true, messages: [] };
    const staticPassing = staticResults.length === 0 || staticResults.some((r) => r.passing);
    const dynamicPassing = dynamicResults.every((r) => r.passing);
    return {
      passing: staticPassing && dynamicPassing,
      messages: [...staticResults, ...dynamicResults].flatMap((r) => r.messages),
    };
  },
});

function passesDistance(
  ctx: Parameters<typeof geoipKind.passes>[0],
  config: Parameters<typeof geoipKind.passes>[1],
): KindResult {
  const user = ctx.request.user;
  const logins = ctx.deps.events.query({
    action: 'login',
    user_pk: user.pk,
    context_has: 'geo',
    order: 'newest',
    limit: config.history_login_count,
  });
  const now = ctx.deps.clock.now();
  const geo = ctx.request.context.geoip;
  if (!isJsonObject(geo) || Object.keys(geo).length === 0) {
    ctx.log('debug', 'no GeoIP data for the client IP: distance checks fail');
    return { passing: false, messages: [] };
  }
  const lat = num(geo.lat);
  const long = num(geo.long);
  for (const login of logins) {
    const previous = login.context.geo;
    const pLat = isJsonObject(previous) ? num(previous.lat) : null;
    const pLong = isJsonObject(previous) ? num(previous.long) : null;
    if (lat === null || long === null || pLat === null || pLong === null) {
      // Upstream indexes the dicts directly; missing coordinates raise (a crash).
      throw new TypeError('GeoIP coordinates missing for the distance check');
    }
    const km = geodesicKm(pLat, pLong, lat, long);
    ctx.log('debug', `distance to login ${login.pk} (${login.created}): ${km.toFixed(1)} km`);
    if (config.check_history_distance && km >= config.history_max_distance_km - config.distance_tolerance_km) {
      return { passing: false, messages: ['Distance from previous authentication is larger than threshold.'] };
    }
    const relTimeHours = Math.max(Math.trunc((now - Date.parse(login.created)) / 1000 / 86400), 1);
    if (config.check_impossible_travel && km >= MAX_DISTANCE_HOUR_KM * relTimeHours - config.distance_tolerance_km) {
      return { passing: false, messages: ['Distance is further than possible.'] };
    }
  }
  return { passing: true, messages: [] };
}
