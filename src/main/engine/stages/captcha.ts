import { type z } from 'zod';
import { type JsonValue } from '@shared/model';
import { captchaStage } from '@shared/model/stages';
import { PLAN_CONTEXT_CAPTCHA } from '../context-keys';
import { type CaptchaVerification, type EngineDeps } from '../ports';
import { drfChar, responseObject } from './fields';
import { defineStage } from './types';

type Config = z.output<typeof captchaStage.config>;

/** Shown in every captcha challenge: Flowbench cannot reach reCAPTCHA / hCaptcha / Turnstile. */
export const CAPTCHA_OFFLINE_NOTICE =
  'Captcha providers (reCAPTCHA, hCaptcha, Turnstile) cannot be reached offline: Flowbench verifies tokens with its built-in test provider (tokens "flowbench-captcha-pass…" pass, "flowbench-captcha-fail…" fail).';

export const CAPTCHA_FAILED_TO_VALIDATE = 'Failed to validate token';
export const CAPTCHA_INVALID_RESPONSE = 'Invalid captcha response';
export const CAPTCHA_INVALID_RESPONSE_RETRY = 'Invalid captcha response. Retrying may solve this issue.';

/** Error codes a new token usually fixes (reCAPTCHA, hCaptcha, Turnstile). */
const RETRIABLE_ERROR_CODES = new Set([
  'missing-input-response',
  'invalid-input-response',
  'timeout-or-duplicate',
  'expired-input-response',
  'already-seen-response',
]);

/** The captcha settings `verifyCaptchaToken` reads (a captcha stage's config). */
export type CaptchaSettings = Pick<
  Config,
  'api_url' | 'private_key' | 'error_on_invalid_score' | 'score_min_threshold' | 'score_max_threshold'
>;

export type CaptchaCheck = { ok: true; response: Record<string, JsonValue> } | { ok: false; message: string; detail: string };

/**
 * authentik `verify_captcha_token` (captcha stage, and identification's embedded captcha):
 * post the token to the provider through the `CaptchaVerifier` port, then judge the answer.
 * With `error_on_invalid_score` off, *any* answer is accepted (authentik only looks at
 * `success` and `score` when it is on). An unreachable provider, or no verifier at all, is
 * "Failed to validate token".
 */
export async function verifyCaptchaToken(deps: EngineDeps, settings: CaptchaSettings, token: string, remoteIp: string): Promise<CaptchaCheck> {
  const verifier = deps.captcha ?? null;
  if (!verifier) return { ok: false, message: CAPTCHA_FAILED_TO_VALIDATE, detail: 'this engine has no captcha verifier (deps.captcha)' };
  let data: CaptchaVerification;
  try {
    data = await verifier.verify({ apiUrl: settings.api_url, secret: settings.private_key, token, remoteIp });
  } catch (error) {
    return { ok: false, message: CAPTCHA_FAILED_TO_VALIDATE, detail: `the captcha provider could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  const response = JSON.parse(JSON.stringify(data)) as Record<string, JsonValue>;
  if (settings.error_on_invalid_score) {
    if (data.success !== true) {
      const codes = Array.isArray(data['error-codes']) ? data['error-codes'] : ['unknown-error'];
      const retriable = codes.every((code) => RETRIABLE_ERROR_CODES.has(code));
      return { ok: false, message: retriable ? CAPTCHA_INVALID_RESPONSE_RETRY : CAPTCHA_INVALID_RESPONSE, detail: `error codes ${JSON.stringify(codes)}` };
    }
    if (Object.hasOwn(data, 'score')) {
      const score = Number(data.score);
      // Python float(): None, lists, objects raise TypeError → "Failed to validate token".
      if (data.score === null || typeof data.score === 'object' || typeof data.score === 'boolean' || Number.isNaN(score)) {
        return { ok: false, message: CAPTCHA_FAILED_TO_VALIDATE, detail: `unreadable score ${JSON.stringify(data.score)}` };
      }
      if (settings.score_max_threshold > -1 && score > settings.score_max_threshold) {
        return { ok: false, message: CAPTCHA_INVALID_RESPONSE, detail: `score ${score} above ${settings.score_max_threshold}` };
      }
      if (settings.score_min_threshold > -1 && score < settings.score_min_threshold) {
        return { ok: false, message: CAPTCHA_INVALID_RESPONSE, detail: `score ${score} below ${settings.score_min_threshold}` };
      }
    }
  }
  return { ok: true, response };
}

interface CaptchaResponse {
  token: string;
  /** Set by `validate`: the provider's answer. */
  verified?: Record<string, JsonValue>;
}

/**
 * `authentik_stages_captcha.captchastage`: challenge `ak-stage-captcha` (with user info)
 * `{site_key, js_url, interactive}` plus `flowbench_notice` (real providers cannot be reached
 * offline); response `token` (required, not blank) verified with `verifyCaptchaToken`; errors
 * land on the `token` field. Valid → `context.captcha = {response: <provider JSON>, stage}`.
 */
export const captchaStageImpl = defineStage<Config, CaptchaResponse>({
  model: captchaStage.model,
  component: 'ak-stage-captcha',
  withUserInfo: true,
  challenge(ctx) {
    return {
      site_key: ctx.config.public_key,
      js_url: ctx.config.js_url,
      interactive: ctx.config.interactive,
      flowbench_notice: CAPTCHA_OFFLINE_NOTICE,
    };
  },
  responseSchema: responseObject({ token: drfChar() }) as unknown as z.ZodType<CaptchaResponse>,
  async validate(ctx, response) {
    const check = await verifyCaptchaToken(ctx.deps, ctx.config, response.token, ctx.request.ip);
    if (!check.ok) {
      ctx.log('warning', `Captcha token rejected: ${check.detail}`);
      return { token: [{ string: check.message, code: 'invalid' }] };
    }
    response.verified = check.response;
    return null;
  },
  onValid(ctx, response) {
    ctx.plan.context[PLAN_CONTEXT_CAPTCHA] = {
      response: response.verified ?? {},
      stage: { $stage: ctx.stage.pk, name: ctx.stage.name },
    };
    return ctx.ok();
  },
});
