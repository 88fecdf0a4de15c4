/**
 * The bits of Python's data model that tag resolution shows to people: truthiness, `str()` and
 * `repr()`, `str.strip()`. Values are the resolver's plain data; a JavaScript number is read as
 * a Python `int` when it is integral and as a `float` otherwise (the document model cannot tell
 * `1.0` from `1`, see README.md). Wrap a number in `PyFloat` to say "this is a float" anyway.
 */

/** A number that Python holds as a `float` even when it is integral (`1.0`, `-0.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Anything the Python helpers accept: resolved data, tag nodes (shown opaquely) and PyFloat. */
export type PyValue = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when Python would hold this number as a float rather than an int. */
export function isPyFloat(value: unknown): value is number | PyFloat {
  if (value instanceof PyFloat) return true;
  return typeof value === 'number' && (!Number.isInteger(value) || Object.is(value, -0));
}

/** The numeric value of an int, float or PyFloat; undefined for anything else. */
export function numericValue(value: unknown): number | undefined {
  if (value instanceof PyFloat) return value.value;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Python's `bool(value)`: None, False, 0, 0.0, '', [] and {} are false; everything else,
 * NaN included, is true. A tag node counts as an object (true), as a YAMLTag instance does.
 */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) {
    if (isTagLike(value)) return true;
    return Object.keys(value).length > 0;
  }
  return true;
}

function isTagLike(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return (
    keys.length === 2 && typeof value.$tag === 'string' && ('value' in value || 'args' in value)
  );
}

// Python's str.isprintable() is false for these categories (space excepted).
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

function escapeCodePoint(code: number): string {
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

/** Python's `repr(str)`; with `ascii` set, Python's `ascii(str)`. */
export function pyStringRepr(text: string, ascii = false): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += escapeCodePoint(code);
    else if (code < 0x7f) out += char;
    else if (ascii || NOT_PRINTABLE.test(char)) out += escapeCodePoint(code);
    else out += char;
  }
  return out + quote;
}

/** Python's `str(int)` for an integral double, exact at any size (`str(10**21)` has no exponent). */
export function pyIntString(value: number): string {
  return BigInt(value).toString();
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript's), laid out the
 * Python way: positional for 1e-4 <= |x| < 1e16 with at least one decimal, else `d.ddde+XX`.
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0] ?? ''}${rest}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** Python's `repr()` of resolved data: None, True, 'text', [1, 2.5], {'a': None}. */
export function pyRepr(value: PyValue, ascii = false): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'number') return isPyFloat(value) ? pyFloatRepr(value) : pyIntString(value);
  if (typeof value === 'string') return pyStringRepr(value, ascii);
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item, ascii)).join(', ')}]`;
  if (isRecord(value)) {
    if (isTagLike(value)) {
      const name = String(value.$tag);
      return `<${name} tag>`;
    }
    const parts = Object.keys(value).map(
      (key) => `${pyStringRepr(key, ascii)}: ${pyRepr(value[key], ascii)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  return String(value);
}

/** Python's `str()`: strings as they are, everything else as `repr()`. */
export function pyStr(value: PyValue): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** The name Python gives the type in messages such as "not str". */
export function pyTypeName(value: PyValue): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || value instanceof PyFloat)
    return isPyFloat(value) ? 'float' : 'int';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (isRecord(value)) return isTagLike(value) ? String(value.$tag) : 'dict';
  return typeof value;
}

// Python's str.strip() with no argument removes what str.isspace() calls whitespace.
const PY_SPACE =
  '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** Python's `str.strip()` (unlike `String.prototype.trim`, keeps U+FEFF and strips U+001C–1F, U+0085). */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_SPACE.includes(text.charAt(start))) start++;
  while (end > start && PY_SPACE.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}
