import { z } from 'zod';
import { type KindDef } from '../kind-registry';

/** ISO 3166-1 alpha-2 country code, upper case. */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code');

const km = z.number().int().min(0);

export const geoipPolicy = {
  model: 'authentik_policies_geoip.geoippolicy',
  label: 'GeoIP Policy',
  description: "Checks the client IP's ASN, country and travel distance since earlier logins.",
  config: z.object({
    asns: z.array(z.number().int()).default([]),
    countries: z.array(countryCode).default([]),
    distance_tolerance_km: km.default(50),
    check_history_distance: z.boolean().default(false),
    history_max_distance_km: km.default(100),
    history_login_count: km.default(5),
    check_impossible_travel: z.boolean().default(false),
    impossible_tolerance_km: km.default(100),
  }),
} as const satisfies KindDef;
