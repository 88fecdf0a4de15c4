import { z } from 'zod';
import { type StageKindDef } from '../kind-registry';

export const captchaStage = {
  model: 'authentik_stages_captcha.captchastage',
  label: 'Captcha Stage',
  description: 'Verifies a reCAPTCHA-compatible captcha token with the provider.',
  component: 'ak-stage-captcha',
  config: z.object({
    public_key: z.string().min(1),
    private_key: z.string().min(1),
    js_url: z.string().min(1).default('https://www.recaptcha.net/recaptcha/api.js'),
    api_url: z.string().min(1).default('https://www.recaptcha.net/recaptcha/api/siteverify'),
    interactive: z.boolean().default(false),
    score_min_threshold: z.number().default(0.5),
    score_max_threshold: z.number().default(1.0),
    error_on_invalid_score: z.boolean().default(true),
  }),
  secrets: ['private_key'],
} as const satisfies StageKindDef;
