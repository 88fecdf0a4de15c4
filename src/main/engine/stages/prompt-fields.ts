import { type JsonValue, type Prompt } from '@shared/model';
import { type ErrorDetail } from '../executor/challenge';
import { isJsonObject } from '../json';
import { drfBoolean, drfChar } from './fields';

/**
 * The response fields of authentik's prompt stage (`Prompt.field(default, choices)` in
 * `authentik/stages/prompt/models.py`) with Django REST framework's parsing and messages: one
 * function turns a prompt plus its computed initial value and choices into a field spec, another
 * parses the submitted body for that field as DRF's `Serializer.to_internal_value` does
 * (missing → required / default / skipped; `null`; per-type conversion).
 */

/** Python `repr()` of a JSON value (`str()` of lists and dicts uses it). */
export function pyRepr(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = '';
    for (const ch of value) {
      if (ch === '\\') out += '\\\\';
      else if (ch === quote) out += `\\${ch}`;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += ch;
    }
    return quote + out + quote;
  }
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item)).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pyRepr(key)}: ${pyRepr(item)}`)
    .join(', ')}}`;
}

/** Python `str()` of a JSON value. */
export function pyStr(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Python `==` between JSON values (`1 == 1.0`, `True == 1`, lists and dicts by content). */
export function pyEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null);
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na === nb;
  if (a === undefined || b === undefined) return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => pyEquals(item, b[index]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((key) => Object.hasOwn(b, key) && pyEquals(a[key], b[key]));
}

export const CHOICE_TYPES: readonly Prompt['type'][] = ['radio-button-group', 'dropdown'];
/** Types whose value is fixed by the stage, whatever is submitted (`validate()` forces their default). */
export const FIXED_TYPES: readonly Prompt['type'][] = ['hidden', 'static', 'text_read_only', 'text_area_read_only'];

/**
 * A choice: a plain value (authentik ≤ 2025.8: value = label), or `{label, value}` (authentik
 * ≥ 2025.10, PR #16693). The submitted value must equal `str(value)`.
 */
export type Choice = { value: JsonValue; label: JsonValue; labelled: boolean };

export function toChoice(item: JsonValue): Choice {
  if (isJsonObject(item) && Object.hasOwn(item, 'value')) {
    const value = item.value ?? null;
    return { value, label: Object.hasOwn(item, 'label') ? (item.label ?? null) : value, labelled: true };
  }
  return { value: item, label: item, labelled: false };
}

type Kind = 'char' | 'readonly' | 'email' | 'integer' | 'boolean' | 'choice' | 'date' | 'datetime' | 'file' | 'hidden';

export interface FieldSpec {
  kind: Kind;
  required: boolean;
  allowBlank: boolean;
  trimWhitespace: boolean;
  /** `default=` of the DRF field (`undefined` = DRF's `empty`). */
  default: JsonValue | undefined;
  choices: Choice[];
}

/** Python truthiness of the computed initial value (`if default:`). */
function truthy(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** authentik `Prompt.field(default, choices)`. */
export function fieldSpec(prompt: Prompt, current: JsonValue | undefined, choices: Choice[] | null): FieldSpec {
  const spec: FieldSpec = { kind: 'char', required: prompt.required, allowBlank: false, trimWhitespace: true, default: undefined, choices: [] };
  switch (prompt.type) {
    case 'text':
    case 'text_area':
      spec.trimWhitespace = false;
      spec.allowBlank = !prompt.required;
      break;
    case 'text_read_only':
    case 'text_area_read_only':
      spec.kind = 'readonly';
      spec.required = false;
      break;
    case 'email':
      spec.kind = 'email';
      spec.allowBlank = !prompt.required;
      break;
    case 'number':
      spec.kind = 'integer';
      break;
    case 'checkbox':
      spec.kind = 'boolean';
      spec.required = false;
      break;
    case 'radio-button-group':
    case 'dropdown':
      spec.kind = 'choice';
      spec.choices = choices ?? [];
      break;
    case 'date':
      spec.kind = 'date';
      break;
    case 'date-time':
      spec.kind = 'datetime';
      break;
    case 'file':
      spec.kind = 'file';
      break;
    case 'separator':
      spec.required = false;
      break;
    case 'hidden':
      spec.kind = 'hidden';
      spec.required = false;
      spec.default = prompt.placeholder;
      break;
    case 'static':
      spec.required = false;
      spec.default = prompt.placeholder;
      break;
    case 'ak-locale':
      spec.allowBlank = true;
      break;
    case 'username':
    case 'password':
      break;
  }
  if (truthy(current)) spec.default = current;
  // DRF: a field with a default is never required.
  if (spec.default !== undefined) spec.required = false;
  return spec;
}

export type FieldResult = { kind: 'value'; value: JsonValue } | { kind: 'skip' } | { kind: 'error'; error: ErrorDetail };

const err = (string: string, code = 'invalid'): FieldResult => ({ kind: 'error', error: { string, code } });

function zodError(issues: readonly { message: string; params?: unknown }[]): FieldResult {
  const issue = issues[0];
  const code = (issue?.params as { code?: string } | undefined)?.code ?? 'invalid';
  return err(issue?.message ?? 'Invalid.', code);
}

// --- Django's EmailValidator ------------------------------------------------------------------

// Django's quoted-string local part allows control characters.
// eslint-disable-next-line no-control-regex
const EMAIL_USER = /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$/i;
const EMAIL_DOMAIN = /^(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63})$/i;
const EMAIL_LITERAL = /^\[([A-F0-9:.]+)\]$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text) || (text.match(/::/g) ?? []).length > 1) return false;
  let groups = text.split(':');
  const last = groups[groups.length - 1] ?? '';
  let extra = 0;
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const compressed = text.includes('::');
  const filled = groups.filter((g) => g !== '');
  if (!filled.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return compressed ? filled.length + extra < 8 : filled.length + extra === 8;
}

/** Django `EmailValidator` (320 characters at most, dot-atom or quoted local part, domain or literal). */
export function isValidEmail(value: string): boolean {
  if (!value || !value.includes('@') || value.length > 320) return false;
  const at = value.lastIndexOf('@');
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!EMAIL_USER.test(user)) return false;
  if (domain === 'localhost') return true;
  if (EMAIL_DOMAIN.test(domain) && !domain.endsWith('-')) return true;
  const literal = EMAIL_LITERAL.exec(domain);
  return literal !== null && (IPV4.test(literal[1] ?? '') || isIpv6(literal[1] ?? ''));
}

// --- dates ---------------------------------------------------------------------------------------

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] ?? 0));
}

/** Django `parse_date` (`date.fromisoformat`, then `YYYY-M-D`); the ISO date or null. */
export function parseIsoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value) ?? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return validDate(y, m, d) ? `${pad(y, 4)}-${pad(m)}-${pad(d)}` : null;
}

/**
 * Django `parse_datetime` + DRF `enforce_timezone` (authentik runs with `TIME_ZONE = "UTC"`):
 * a naive value is UTC, an aware one is converted to UTC; the result in Python's `isoformat()`.
 */
export function parseIsoDateTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(value);
  if (!match) return null;
  const [y, mo, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [h, mi, s] = [Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0)];
  const micro = Number((match[7] ?? '').padEnd(6, '0') || 0);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offset = 0;
  const tz = match[8];
  if (tz && tz !== 'Z') {
    const minutes = tz.length > 3 ? Number(tz.slice(-2)) : 0;
    offset = 60 * Number(tz.slice(1, 3)) + minutes;
    if (tz.startsWith('-')) offset = -offset;
  }
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, 0);
  const utc = new Date(local.getTime() - offset * 60_000);
  const frac = micro ? `.${pad(micro, 6)}` : '';
  return (
    `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}` +
    `T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${frac}+00:00`
  );
}

// --- parsing ---------------------------------------------------------------------------------

/** Python `int(str(value))` after DRF strips a trailing `.0`. */
function toInteger(value: JsonValue): number | null {
  if (typeof value === 'boolean' || value === null || typeof value === 'object') return null;
  const text = String(value).replace(/\.0*\s*$/, '').trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return null;
  const n = Number(text.replaceAll('_', ''));
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * DRF `Field.run_validation` for one prompt field. `has` / `raw`: whether the body carries the
 * key and its value.
 */
export function parseField(spec: FieldSpec, has: boolean, raw: JsonValue | undefined): FieldResult {
  if (spec.kind === 'readonly') return { kind: 'skip' };
  if (spec.kind === 'hidden') return spec.default === undefined ? { kind: 'skip' } : { kind: 'value', value: spec.default };
  if (!has) {
    if (spec.required) return err('This field is required.', 'required');
    return spec.default === undefined ? { kind: 'skip' } : { kind: 'value', value: spec.default };
  }
  const value = raw ?? null;
  switch (spec.kind) {
    case 'char':
    case 'email':
    case 'file': {
      const parsed = drfChar({ required: true, allowBlank: spec.allowBlank, trimWhitespace: spec.trimWhitespace }).safeParse(value);
      if (!parsed.success) return zodError(parsed.error.issues);
      const text = parsed.data as string;
      if (spec.kind === 'email' && text !== '' && !isValidEmail(text)) return err('Enter a valid email address.');
      if (spec.kind === 'file') return parseFile(text);
      return { kind: 'value', value: text };
    }
    case 'integer': {
      if (value === null) return err('This field may not be null.', 'null');
      if (typeof value === 'string' && value.length > 1000) return err('String value too large.', 'max_string_length');
      const n = toInteger(value);
      return n === null ? err('A valid integer is required.') : { kind: 'value', value: n };
    }
    case 'boolean': {
      const parsed = drfBoolean({ required: true }).safeParse(value);
      return parsed.success ? { kind: 'value', value: parsed.data as boolean } : zodError(parsed.error.issues);
    }
    case 'choice': {
      if (value === null) return err('This field may not be null.', 'null');
      const text = pyStr(value);
      const choice = spec.choices.find((c) => pyStr(c.value) === text);
      if (!choice) return err(`"${text}" is not a valid choice.`, 'invalid_choice');
      return { kind: 'value', value: choice.value };
    }
    case 'date': {
      if (value === null) return err('This field may not be null.', 'null');
      const date = parseIsoDate(value);
      return date === null ? err('Date has wrong format. Use one of these formats instead: YYYY-MM-DD.') : { kind: 'value', value: date };
    }
    case 'datetime': {
      if (value === null) return err('This field may not be null.', 'null');
      const dt = parseIsoDateTime(value);
      return dt === null
        ? err('Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].')
        : { kind: 'value', value: dt };
    }
  }
}

/**
 * authentik's `InlineFileField`: a `data:` URI whose header ends in `;base64`. A URI without a
 * comma makes Python raise (a flow error upstream): thrown here too.
 */
function parseFile(text: string): FieldResult {
  const scheme = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(text);
  if (!scheme || scheme[1]?.toLowerCase() !== 'data') return err('Invalid scheme');
  const rest = text.slice(scheme[0].length).split(/[?#]/)[0] ?? '';
  const comma = rest.indexOf(',');
  if (comma === -1) throw new Error('ValueError: not enough values to unpack (expected 2, got 1) (file prompt without a comma)');
  const header = rest.slice(0, comma);
  const semicolon = header.indexOf(';');
  const encoding = semicolon === -1 ? '' : header.slice(semicolon + 1);
  if (encoding !== 'base64') return err('Invalid encoding');
  return { kind: 'value', value: `data:${text.slice(scheme[0].length)}`.trim() };
}
