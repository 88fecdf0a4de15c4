import { isPyFloat, numericValue, pyRepr, pyStr, pyTypeName, type PyValue } from './python';

/**
 * Python's printf-style `fmt % (arg, ...)` (CPython's PyUnicode_Format), as authentik's
 * `!Format` runs it: the arguments are always a tuple, so `%(name)s` can never work.
 * Conversions d i u o x X e E f F g G c r s a and `%%`; flags `#0- +`; width and precision as
 * digits or `*`; one length modifier (h, l, L) is skipped. Messages are Python's own.
 */

/** Python raised while formatting. `pythonType` is the exception class Python would raise. */
export class PythonFormatError extends Error {
  override name = 'PythonFormatError';
  constructor(
    message: string,
    readonly pythonType: 'TypeError' | 'ValueError' | 'OverflowError',
  ) {
    super(message);
  }
}

/** Widths and precisions above this are refused (Python would allocate the padding). */
export const MAX_FORMAT_WIDTH = 10_000;

interface Spec {
  ljust: boolean;
  sign: boolean;
  blank: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  prec: number;
  conversion: string;
}

const typeError = (message: string) => new PythonFormatError(message, 'TypeError');
const valueError = (message: string) => new PythonFormatError(message, 'ValueError');

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic on doubles: Python rounds the exact binary value half-to-even, which
// Number.prototype.toFixed does not (0.125 → '0.12' in Python, '0.13' in JavaScript).

/** |x| = n / 10^k exactly, for finite x. */
function exactDecimal(x: number): { n: bigint; k: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (exponent >= 0) return { n: mantissa << BigInt(exponent), k: 0 };
  return { n: mantissa * 5n ** BigInt(-exponent), k: -exponent };
}

/** round(n / d), ties to even. */
function divideRounded(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** round(|x| * 10^shift) as an integer, ties to even. */
function scaledInteger(x: number, shift: number): bigint {
  const { n, k } = exactDecimal(x);
  const power = shift - k;
  return power >= 0 ? n * 10n ** BigInt(power) : divideRounded(n, 10n ** BigInt(-power));
}

/** Digits of |x| with `prec` decimals: '3.142'. */
function fixedDigits(x: number, prec: number, alt: boolean): string {
  const digits = scaledInteger(x, prec)
    .toString()
    .padStart(prec + 1, '0');
  const whole = digits.slice(0, digits.length - prec);
  if (prec === 0) return alt ? `${whole}.` : whole;
  return `${whole}.${digits.slice(digits.length - prec)}`;
}

/** |x| rounded to prec+1 significant digits: the digits and the decimal exponent. */
function significant(x: number, prec: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(prec + 1), exponent: 0 };
  const { n, k } = exactDecimal(x);
  let exponent = n.toString().length - 1 - k;
  let digits = scaledInteger(x, prec - exponent).toString();
  if (digits.length > prec + 1) {
    exponent += 1;
    digits = digits.slice(0, prec + 1);
  }
  return { digits, exponent };
}

function exponentDigits(digits: string, exponent: number, alt: boolean, upper: boolean): string {
  const point = digits.length > 1 || alt ? '.' : '';
  const sign = exponent < 0 ? '-' : '+';
  const body = `${digits[0] ?? '0'}${point}${digits.slice(1)}${upper ? 'E' : 'e'}${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return body;
}

/** Python's float formatting for e E f F g G (no padding yet); the sign is included. */
function formatFloat(x: number, spec: Spec): string {
  const conversion = spec.conversion;
  const upper = conversion === 'E' || conversion === 'F' || conversion === 'G';
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative ? '-' : spec.sign ? '+' : spec.blank ? ' ' : '';
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? 'nan' : 'inf';
    return (
      (Number.isNaN(x) ? (spec.sign ? '+' : spec.blank ? ' ' : '') : sign) +
      (upper ? text.toUpperCase() : text)
    );
  }
  const prec = spec.prec < 0 ? 6 : spec.prec;
  const magnitude = Math.abs(x);
  let body: string;
  if (conversion === 'f' || conversion === 'F') body = fixedDigits(magnitude, prec, spec.alt);
  else if (conversion === 'e' || conversion === 'E') {
    const { digits, exponent } = significant(magnitude, prec);
    body = exponentDigits(digits, exponent, spec.alt, upper);
  } else {
    const precision = prec === 0 ? 1 : prec;
    const { digits, exponent } = significant(magnitude, precision - 1);
    if (exponent >= -4 && exponent < precision) {
      body = fixedDigits(magnitude, precision - 1 - exponent, spec.alt);
    } else body = exponentDigits(digits, exponent, spec.alt, upper);
    if (!spec.alt) body = stripZeros(body);
  }
  return sign + body;
}

/** %g without '#': drop trailing zeros of the fraction, and the point if nothing is left. */
function stripZeros(body: string): string {
  const exponentAt = body.search(/[eE]/);
  const mantissa = exponentAt < 0 ? body : body.slice(0, exponentAt);
  const exponent = exponentAt < 0 ? '' : body.slice(exponentAt);
  if (!mantissa.includes('.')) return body;
  return mantissa.replace(/\.?0+$/, '') + exponent;
}

// ---------------------------------------------------------------------------------------------

/** Python's `int(value)` for %d: bools and ints as they are, floats truncated. */
function toInteger(value: PyValue, spec: Spec): bigint {
  const conversion = spec.conversion;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  const number = numericValue(value);
  if (number === undefined) {
    const what =
      conversion === 'd' || conversion === 'i' || conversion === 'u'
        ? 'a real number'
        : 'an integer';
    throw typeError(`%${conversion} format: ${what} is required, not ${pyTypeName(value)}`);
  }
  if (isPyFloat(value)) {
    if (conversion === 'o' || conversion === 'x' || conversion === 'X') {
      throw typeError(`%${conversion} format: an integer is required, not float`);
    }
    if (Number.isNaN(number)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(number)) {
      throw new PythonFormatError('cannot convert float infinity to integer', 'OverflowError');
    }
    return BigInt(Math.trunc(number));
  }
  return BigInt(number);
}

/** CPython's _PyUnicode_FormatLong: sign, '0x'/'0o' prefix under '#', digits zero-filled to prec. */
function formatInteger(value: bigint, spec: Spec): string {
  const conversion = spec.conversion;
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let digits: string;
  let prefix = '';
  if (conversion === 'o') {
    digits = magnitude.toString(8);
    if (spec.alt) prefix = '0o';
  } else if (conversion === 'x' || conversion === 'X') {
    digits = magnitude.toString(16);
    if (spec.alt) prefix = '0x';
    if (conversion === 'X') {
      digits = digits.toUpperCase();
      prefix = prefix.toUpperCase();
    }
  } else digits = magnitude.toString(10);
  if (spec.prec > digits.length) digits = digits.padStart(spec.prec, '0');
  return `${negative ? '-' : ''}${prefix}${digits}`;
}

function formatChar(value: PyValue): string {
  if (typeof value === 'string') {
    const chars = Array.from(value);
    if (chars.length === 1) return value;
    throw typeError('%c requires int or char');
  }
  if (typeof value === 'boolean') return String.fromCodePoint(value ? 1 : 0);
  if (typeof value === 'number' && !isPyFloat(value)) {
    if (value < 0 || value > 0x10ffff) {
      throw new PythonFormatError('%c arg not in range(0x110000)', 'OverflowError');
    }
    return String.fromCodePoint(value);
  }
  throw typeError('%c requires int or char');
}

const NUMERIC = new Set(['d', 'i', 'u', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G']);

/** CPython's unicode_format_arg_output: sign, '#' prefix, fill, padding and precision cut. */
function output(text: string, spec: Spec): string {
  const numeric = NUMERIC.has(spec.conversion);
  let chars = Array.from(text);
  if (!numeric && spec.prec >= 0 && spec.conversion !== 'c' && chars.length > spec.prec) {
    chars = chars.slice(0, spec.prec);
  }
  const fill = numeric && spec.zero ? '0' : ' ';
  let signChar = '';
  if (numeric) {
    const first = chars[0];
    if (first === '-' || first === '+' || first === ' ') {
      signChar = first;
      chars = chars.slice(1);
    } else if (spec.sign) signChar = '+';
    else if (spec.blank) signChar = ' ';
  }
  let prefix = '';
  if (
    numeric &&
    spec.alt &&
    (spec.conversion === 'x' || spec.conversion === 'X' || spec.conversion === 'o')
  ) {
    prefix = chars.slice(0, 2).join('');
    chars = chars.slice(2);
  }
  const body = chars.join('');
  const length = signChar.length + prefix.length + chars.length;
  const padding = Math.max(0, spec.width - length);
  if (spec.ljust) return signChar + prefix + body + ' '.repeat(padding);
  if (fill === '0') return signChar + prefix + '0'.repeat(padding) + body;
  return ' '.repeat(padding) + signChar + prefix + body;
}

function convert(value: PyValue, spec: Spec, index: number): string {
  switch (spec.conversion) {
    case 's':
      return pyStr(value);
    case 'r':
      return pyRepr(value);
    case 'a':
      return pyRepr(value, true);
    case 'c':
      return formatChar(value);
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return formatInteger(toInteger(value, spec), spec);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      const number = typeof value === 'boolean' ? Number(value) : numericValue(value);
      if (number === undefined) throw typeError(`must be real number, not ${pyTypeName(value)}`);
      return formatFloat(number, spec);
    }
    default: {
      const code = spec.conversion.codePointAt(0) ?? 0;
      const shown = code >= 32 && code < 127 ? spec.conversion : '?';
      throw valueError(
        `unsupported format character '${shown}' (0x${code.toString(16)}) at index ${index}`,
      );
    }
  }
}

function starValue(value: PyValue): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !isPyFloat(value)) return value;
  throw typeError('* wants int');
}

function checkWidth(value: number, what: 'width' | 'precision'): number {
  if (value > MAX_FORMAT_WIDTH) {
    throw valueError(`${what} too big (Flowbench accepts at most ${MAX_FORMAT_WIDTH})`);
  }
  return value;
}

/** `format % tuple(args)`. Throws PythonFormatError with Python's message. */
export function pythonPercentFormat(format: string, args: readonly PyValue[]): string {
  const chars = Array.from(format);
  let argIndex = 0;
  const nextArg = (): PyValue => {
    if (argIndex >= args.length) throw typeError('not enough arguments for format string');
    return args[argIndex++];
  };
  let out = '';
  let at = 0;
  while (at < chars.length) {
    const char = chars[at] ?? '';
    if (char !== '%') {
      out += char;
      at++;
      continue;
    }
    at++;
    if (chars[at] === '%') {
      out += '%';
      at++;
      continue;
    }
    if (chars[at] === '(') throw typeError('format requires a mapping');
    const spec: Spec = {
      ljust: false,
      sign: false,
      blank: false,
      alt: false,
      zero: false,
      width: -1,
      prec: -1,
      conversion: '',
    };
    flags: for (; at < chars.length; at++) {
      switch (chars[at]) {
        case '-':
          spec.ljust = true;
          break;
        case '+':
          spec.sign = true;
          break;
        case ' ':
          spec.blank = true;
          break;
        case '#':
          spec.alt = true;
          break;
        case '0':
          spec.zero = true;
          break;
        default:
          break flags;
      }
    }
    if (chars[at] === '*') {
      let width = starValue(nextArg());
      if (width < 0) {
        spec.ljust = true;
        width = -width;
      }
      spec.width = checkWidth(width, 'width');
      at++;
    } else {
      let digits = '';
      while (at < chars.length && /^[0-9]$/.test(chars[at] ?? '')) digits += chars[at++];
      if (digits !== '') spec.width = checkWidth(Number(digits), 'width');
    }
    if (chars[at] === '.') {
      at++;
      if (chars[at] === '*') {
        const prec = starValue(nextArg());
        spec.prec = checkWidth(Math.max(0, prec), 'precision');
        at++;
      } else {
        let digits = '';
        while (at < chars.length && /^[0-9]$/.test(chars[at] ?? '')) digits += chars[at++];
        spec.prec = checkWidth(digits === '' ? 0 : Number(digits), 'precision');
      }
    }
    if (chars[at] === 'h' || chars[at] === 'l' || chars[at] === 'L') at++;
    if (at >= chars.length) throw valueError('incomplete format');
    spec.conversion = chars[at] ?? '';
    const conversionIndex = at;
    at++;
    const value = nextArg();
    out += output(convert(value, spec, conversionIndex), spec);
  }
  if (argIndex < args.length)
    throw typeError('not all arguments converted during string formatting');
  return out;
}
