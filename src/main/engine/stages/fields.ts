import { z } from 'zod';
import { NON_FIELD_ERRORS, type ErrorDetail, type ResponseErrors } from '../executor/challenge';

/**
 * Response fields with Django REST framework's parsing and messages, so `response_errors`
 * read like authentik's (`{string: "This field is required.", code: "required"}`). Each
 * helper is a zod schema whose issues carry the DRF code in `params.code`.
 */

const REQUIRED = { message: 'This field is required.', code: 'required' };
const NULL = { message: 'This field may not be null.', code: 'null' };

type Ctx = z.RefinementCtx;

function fail(ctx: Ctx, error: { message: string; code: string }): never {
  ctx.addIssue({ code: 'custom', message: error.message, params: { code: error.code } });
  return z.NEVER as never;
}

const TRUE_VALUES = new Set<unknown>(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1', 1, true]);
const FALSE_VALUES = new Set<unknown>(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0', 0, false]);

/** DRF `BooleanField`. */
export function drfBoolean(options: { required?: boolean; default?: boolean; allowNull?: boolean } = {}) {
  const required = options.required ?? options.default === undefined;
  // prefault: zod 4 treats an absent key of a transformed `unknown` as "nonoptional"; run the
  // transform with `undefined` instead, so the DRF defaults above apply.
  return z.unknown().prefault(undefined).transform((value, ctx): boolean | null => {
    if (value === undefined) {
      if (required) return fail(ctx, REQUIRED);
      return options.default ?? false;
    }
    if (value === null) return options.allowNull ? null : fail(ctx, NULL);
    if (TRUE_VALUES.has(value)) return true;
    if (FALSE_VALUES.has(value)) return false;
    return fail(ctx, { message: 'Must be a valid boolean.', code: 'invalid' });
  });
}

/** DRF `CharField` (`trim_whitespace` default true, `allow_blank` default false). */
export function drfChar(options: { required?: boolean; default?: string; allowBlank?: boolean; allowNull?: boolean; trimWhitespace?: boolean } = {}) {
  const required = options.required ?? options.default === undefined;
  return z.unknown().prefault(undefined).transform((value, ctx): string | null => {
    if (value === undefined) {
      if (required) return fail(ctx, REQUIRED);
      return options.default ?? '';
    }
    if (value === null) return options.allowNull ? null : fail(ctx, NULL);
    if (typeof value === 'boolean' || (typeof value !== 'string' && typeof value !== 'number')) {
      return fail(ctx, { message: 'Not a valid string.', code: 'invalid' });
    }
    let text = String(value);
    if (options.trimWhitespace ?? true) text = text.trim();
    if (text === '' && !options.allowBlank) return fail(ctx, { message: 'This field may not be blank.', code: 'blank' });
    return text;
  });
}

/** The `component` every response may carry (DRF `CharField(default=…)`): accepted, not checked. */
export const responseComponent = z.unknown().optional();

/**
 * A response serializer: the given fields, unknown keys ignored (DRF drops them). A body that
 * is not an object fails as DRF does ("Invalid data. Expected a dictionary, …").
 */
export function responseObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        const type = value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'string' ? 'str' : typeof value;
        ctx.addIssue({
          code: 'custom',
          message: `Invalid data. Expected a dictionary, but got ${type}.`,
          params: { code: 'invalid' },
          path: [],
        });
        return z.NEVER;
      }
      return value;
    },
    z.object({ component: responseComponent, ...shape }),
  );
}

/** Turn zod issues into `response_errors`: the first path element is the field. */
export function issuesToResponseErrors(issues: readonly z.core.$ZodIssue[]): ResponseErrors {
  const errors: ResponseErrors = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : NON_FIELD_ERRORS;
    const params = (issue as { params?: { code?: unknown } }).params;
    const code = typeof params?.code === 'string' ? params.code : 'invalid';
    const detail: ErrorDetail = { string: issue.message, code };
    (errors[field] ??= []).push(detail);
  }
  return errors;
}

/** One error as `response_errors`. */
export function fieldError(field: string, message: string, code = 'invalid'): ResponseErrors {
  return { [field]: [{ string: message, code }] };
}
