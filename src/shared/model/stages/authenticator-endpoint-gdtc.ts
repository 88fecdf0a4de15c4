import { z } from 'zod';
import { jsonValue, pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const authenticatorEndpointGdtcStage = {
  model: 'authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage',
  label: 'Endpoint Authenticator Google Device Trust Connector Stage',
  description:
    "Checks the user's Chrome browser with Google's Device Trust Connector (enterprise).",
  component: 'xak-flow-frame',
  config: z.object({
    /** Google service-account key (the JSON document Google Cloud hands out). */
    credentials: z.record(z.string(), jsonValue),
    configure_flow: pk.nullable().default(null),
    friendly_name: z.string().nullable().default(null),
  }),
  secrets: ['credentials'],
} as const satisfies StageKindDef;
