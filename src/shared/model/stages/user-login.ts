import { z } from 'zod';
import { durationString } from '../common';
import { type StageKindDef } from '../kind-registry';

export const networkBinding = z.enum([
  'no_binding',
  'bind_asn',
  'bind_asn_network',
  'bind_asn_network_ip',
]);
export const geoipBinding = z.enum([
  'no_binding',
  'bind_continent',
  'bind_continent_country',
  'bind_continent_country_city',
]);

export const userLoginStage = {
  model: 'authentik_stages_user_login.userloginstage',
  label: 'User Login Stage',
  description: 'Logs the pending user in and starts their session.',
  // Only shown when remember_me_offset > 0; otherwise the stage logs in on GET.
  component: 'ak-stage-user-login',
  config: z.object({
    session_duration: durationString.default('seconds=0'),
    remember_me_offset: durationString.default('seconds=0'),
    terminate_other_sessions: z.boolean().default(false),
    network_binding: networkBinding.default('no_binding'),
    geoip_binding: geoipBinding.default('no_binding'),
  }),
} as const satisfies StageKindDef;
