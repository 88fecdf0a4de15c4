import { type CaptchaVerification, type CaptchaVerifier } from '../ports';

/** The prefix of tokens the built-in test captcha provider accepts. */
export const TEST_CAPTCHA_PASS_PREFIX = 'pass';
/** What the flow-test format's `{$captcha: pass}` produces (accepted; `…:<score>` answers with that score). */
export const FLOWBENCH_CAPTCHA_PASS = 'flowbench-captcha-pass';
/** What the flow-test format's `{$captcha: fail}` produces (rejected as `invalid-input-response`). */
export const FLOWBENCH_CAPTCHA_FAIL = 'flowbench-captcha-fail';

/**
 * Flowbench's built-in test captcha provider (real providers cannot be reached offline). It
 * answers like a reCAPTCHA `siteverify`:
 * - `flowbench-captcha-pass…` (the flow-test `{$captcha: pass}`) → `{success: true, score: 1}`,
 *   `flowbench-captcha-pass:<score>` with that score; `flowbench-captcha-fail…` → rejected;
 * - a token starting with `pass` → `{success: true, score: 1}`; `pass:<score>` (e.g.
 *   `pass:0.3`) answers with that score, to exercise score thresholds;
 * - anything else → `{success: false, "error-codes": ["invalid-input-response"]}` (an empty
 *   token → `missing-input-response`).
 * Every call is recorded in `calls`.
 */
export class TestCaptchaVerifier implements CaptchaVerifier {
  readonly calls: { apiUrl: string; secret: string; token: string; remoteIp: string }[] = [];

  verify(input: { apiUrl: string; secret: string; token: string; remoteIp: string }): Promise<CaptchaVerification> {
    this.calls.push({ ...input });
    const token = input.token;
    if (token.startsWith(FLOWBENCH_CAPTCHA_FAIL)) return Promise.resolve({ success: false, 'error-codes': ['invalid-input-response'] });
    if (token.startsWith(FLOWBENCH_CAPTCHA_PASS)) {
      const score = /:(-?\d+(?:\.\d+)?)$/.exec(token.slice(FLOWBENCH_CAPTCHA_PASS.length));
      return Promise.resolve({ success: true, score: score ? Number(score[1]) : 1 });
    }
    if (token.startsWith(TEST_CAPTCHA_PASS_PREFIX)) {
      const match = /^pass:(-?\d+(?:\.\d+)?)$/.exec(token);
      return Promise.resolve({ success: true, score: match ? Number(match[1]) : 1 });
    }
    return Promise.resolve({ success: false, 'error-codes': [token === '' ? 'missing-input-response' : 'invalid-input-response'] });
  }
}
