import { passwordPolicy } from '@shared/model/policies';
import { PLAN_CONTEXT_PROMPT } from '../../context-keys';
import { isJsonObject, pythonStr, pythonTruthy } from '../../json';
import { isAuthenticated } from '../../users';
import { PolicyException, type KindResult } from '../types';
import { defineKind } from './types';

/**
 * `authentik_policies_password.passwordpolicy` (authentik/policies/password/models.py).
 *
 * Faithful to upstream, quirks included:
 * - the password is `prompt_data[password_field]`, falling back to `context[password_field]`
 *   when prompt_data lacks the key; a falsy value fails with "Password not set in context";
 * - static rules in upstream order (length, digits, lowercase, uppercase, symbols), first
 *   failure wins, its message is `error_message` verbatim — an empty string when the field is
 *   blank (upstream computes an "Invalid password." fallback but returns the raw field);
 * - the uppercase rule compares the number of uppercase letters with `amount_lowercase`
 *   (upstream bug, present in every release read);
 * - lengths count code points (Python `len`), character classes are ASCII only.
 * HIBP cannot be reached offline: the check is skipped and said so in the trace. zxcvbn runs
 * through the `passwordStrength` port; without one the policy fails loudly.
 */

const RE_LOWER = /[a-z]/g;
const RE_UPPER = /[A-Z]/g;
const RE_DIGITS = /[0-9]/g;

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Python `str.count(sub)` for one character. */
function occurrences(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}

export const NOT_AVAILABLE_ZXCVBN =
  'The zxcvbn password strength check is not available in this build (no estimator is wired in).';

/** authentik's default brand title, used as a zxcvbn input when a request is attached. */
const DEFAULT_BRAND_TITLE = 'authentik';

export const passwordKind = defineKind({
  model: passwordPolicy.model,
  config: passwordPolicy.config,
  async passes(ctx, config): Promise<KindResult> {
    const context = ctx.request.context;
    const prompt = isJsonObject(context[PLAN_CONTEXT_PROMPT]) ? (context[PLAN_CONTEXT_PROMPT] as Record<string, unknown>) : {};
    const raw = Object.hasOwn(prompt, config.password_field) ? prompt[config.password_field] : context[config.password_field];
    if (!pythonTruthy(raw)) {
      ctx.log('warning', `Password field not set in Policy Request (field=${config.password_field}, fields=${Object.keys(context).join(', ')})`);
      return { passing: false, messages: ['Password not set in context'] };
    }
    const password = pythonStr(raw);

    if (config.check_static_rules) {
      const failed = (reason: string): KindResult => {
        ctx.log('debug', `password failed (check=static, reason=${reason})`);
        return { passing: false, messages: [config.error_message] };
      };
      if ([...password].length < config.length_min) return failed('length');
      if (config.amount_digits > 0 && count(password, RE_DIGITS) < config.amount_digits) return failed('amount_digits');
      if (config.amount_lowercase > 0 && count(password, RE_LOWER) < config.amount_lowercase) return failed('amount_lowercase');
      // Upstream compares the uppercase count with amount_lowercase (sic).
      if (config.amount_uppercase > 0) {
        if (config.amount_uppercase !== config.amount_lowercase) {
          ctx.log('debug', 'uppercase rule compared with amount_lowercase, as authentik does');
        }
        if (count(password, RE_UPPER) < config.amount_lowercase) return failed('amount_uppercase');
      }
      if (config.amount_symbols > 0) {
        let symbols = 0;
        for (const symbol of config.symbol_charset) symbols += occurrences(password, symbol);
        if (symbols < config.amount_symbols) return failed('amount_symbols');
      }
    }

    if (config.check_have_i_been_pwned) {
      ctx.log('warning', 'HIBP not checked: api.pwnedpasswords.com cannot be reached offline');
      ctx.note('HIBP not checked (offline)');
    }

    if (config.check_zxcvbn) {
      const estimator = ctx.deps.passwordStrength;
      if (!estimator) throw new PolicyException(NOT_AVAILABLE_ZXCVBN);
      const user = ctx.request.user;
      const inputs: string[] = [];
      if (isAuthenticated(user)) inputs.push(user.username, user.name, user.email);
      if (ctx.request.http) inputs.push(ctx.request.http.brand_title ?? DEFAULT_BRAND_TITLE);
      // Upstream only scores the first 72 characters.
      const estimate = await estimator.estimate([...password].slice(0, 72).join(''), inputs);
      ctx.log('debug', `zxcvbn score=${estimate.score}`);
      if (estimate.score <= config.zxcvbn_score_threshold) {
        // Upstream appends feedback only when it is a list: Python zxcvbn's warning is a
        // string (never added), its suggestions a list (added). A passing zxcvbn result is
        // discarded by `passes()`, so its suggestions never show.
        return {
          passing: false,
          messages: ['Password is too weak.', ...estimate.feedback.suggestions],
          raw_result: { score: estimate.score },
        };
      }
    }
    return { passing: true, messages: [] };
  },
});
