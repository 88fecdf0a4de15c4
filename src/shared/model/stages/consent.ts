import { z } from 'zod';
import { durationString } from '../common';
import { type StageKindDef } from '../kind-registry';

export const consentMode = z.enum(['always_require', 'permanent', 'expiring']);

export const consentStage = {
  model: 'authentik_stages_consent.consentstage',
  label: 'Consent Stage',
  description: "Asks the user to accept an application's permissions, optionally remembering it.",
  component: 'ak-stage-consent',
  config: z.object({
    // 2025.2 default; newer releases default to 'expiring'.
    mode: consentMode.default('always_require'),
    consent_expire_in: durationString.default('weeks=4'),
  }),
} as const satisfies StageKindDef;
