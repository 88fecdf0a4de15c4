import { z } from 'zod';
import { durationString, pk } from '../common';
import { type StageKindDef } from '../kind-registry';

export const sourceStage = {
  model: 'authentik_stages_source.sourcestage',
  label: 'Source Stage',
  description: 'Sends the user through a federated source, then resumes this flow (enterprise).',
  // The challenge is the source's own login challenge; for OAuth/SAML/OpenID sources that is
  // a redirect (Plex and Apple sources use their own components).
  component: 'xak-flow-redirect',
  config: z.object({
    source: pk,
    resume_timeout: durationString.default('minutes=10'),
  }),
} as const satisfies StageKindDef;
