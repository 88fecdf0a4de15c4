import { describe, expect, it } from 'vitest';
import {
  PyFloat,
  PythonFormatError,
  pyFloatRepr,
  pyRepr,
  pyStr,
  pythonPercentFormat,
} from '../../../../src/main/blueprint/resolve';

// Expected strings are CPython's (`fmt % tuple(args)`), checked against CPython 3.11.
// A plain JavaScript number is a Python int when integral, a float otherwise; PyFloat marks
// an integral float such as 1.0.
const PYTHON_OUTPUTS: [string, unknown[], string][] = [
  ['%5.1f|%-4d|%x', [3.14159, 7, 255], '  3.1|7   |ff'],
  ['%05.2f', [3.14159], '03.14'],
  ['%-10s|', ['left'], 'left      |'],
  ['%10s|', ['right'], '     right|'],
  ['%+d', [5], '+5'],
  ['%+d', [-5], '-5'],
  ['% d', [5], ' 5'],
  ['%05d', [-42], '-0042'],
  ['%-05d|', [42], '42   |'],
  ['%.3d', [7], '007'],
  ['%5.3d', [7], '  007'],
  ['%05.3d', [7], '00007'],
  ['%i %u', [3, -3], '3 -3'],
  ['%d', [3.99], '3'],
  ['%d', [-3.99], '-3'],
  ['%d', [true], '1'],
  ['%d', [1000000000000000000000], '1000000000000000000000'],
  ['%x %X %o', [255, 255, 8], 'ff FF 10'],
  ['%#x %#X %#o', [255, 255, 8], '0xff 0XFF 0o10'],
  ['%#05x', [255], '0x0ff'],
  ['%#8.4x|', [-8], ' -0x0008|'],
  ['%x', [-255], '-ff'],
  ['%f', [1.5], '1.500000'],
  ['%.0f %.0f %.0f', [0.5, 1.5, 2.5], '0 2 2'],
  ['%.2f', [0.125], '0.12'],
  ['%.2f', [2.675], '2.67'],
  ['%08.3f', [-3.14159], '-003.142'],
  ['%+.1f', [new PyFloat(0.0)], '+0.0'],
  ['%e', [12345.678], '1.234568e+04'],
  ['%.2E', [0.000123], '1.23E-04'],
  ['%#.0e', [new PyFloat(5.0)], '5.e+00'],
  ['%e', [0], '0.000000e+00'],
  ['%g', [0.0001], '0.0001'],
  ['%g', [1e-5], '1e-05'],
  ['%g', [new PyFloat(123456.0)], '123456'],
  ['%g', [new PyFloat(1234567.0)], '1.23457e+06'],
  ['%.3g', [3.14159], '3.14'],
  ['%#g', [2.5], '2.50000'],
  ['%G', [1e-10], '1E-10'],
  ['%g', [100], '100'],
  ['%f %F', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], 'inf -INF'],
  ['%f %F', [Number.NaN, Number.NaN], 'nan NAN'],
  ['%010f', [Number.POSITIVE_INFINITY], '0000000inf'],
  ['%e', [new PyFloat(1e300)], '1.000000e+300'],
  ['%c%c%c', [72, 'i', 128512], 'Hi😀'],
  ['%5c|', ['x'], '    x|'],
  ['%s %s %s', [null, true, false], 'None True False'],
  ['%r %r', [null, 'a'], "None 'a'"],
  ['%s', ["it's"], "it's"],
  ['%r', ["it's"], '"it\'s"'],
  ['%r', ['say "hi"'], '\'say "hi"\''],
  ['%r', ['both \' and "'], "'both \\' and \"'"],
  ['%r', ['tab\tnew\nline\\'], "'tab\\tnew\\nline\\\\'"],
  ['%a', ['café ☕'], "'caf\\xe9 \\u2615'"],
  ['%s', [['a', 1, null, true, 2.5]], "['a', 1, None, True, 2.5]"],
  ['%s', [{ k: 'v', n: [1, {}] }], "{'k': 'v', 'n': [1, {}]}"],
  ['%.2s|%-6.3s|', ['abcdef', 'abcdef'], 'ab|abc   |'],
  ['%.1r', ['abc'], "'"],
  ['%%', [], '%'],
  ['100%% %s', ['sure'], '100% sure'],
  ['%*d|%-*d|', [5, 42, 5, 42], '   42|42   |'],
  ['%.*f', [2, 3.14159], '3.14'],
  ['%*d', [-4, 1], '1   '],
  ['%s', [new PyFloat(1e16)], '1e+16'],
  ['%s', [new PyFloat(1000000000000000.0)], '1000000000000000.0'],
  ['%s', [0.30000000000000004], '0.30000000000000004'],
  ['%s', [1e-5], '1e-05'],
  ['%s', [-0], '-0.0'],
  ['%s', [2.5], '2.5'],
  ['%r', [100.25], '100.25'],
];

const PYTHON_ERRORS: [string, unknown[], string, string][] = [
  ['%s %s', ['a'], 'TypeError', 'not enough arguments for format string'],
  ['%s', ['a', 'b'], 'TypeError', 'not all arguments converted during string formatting'],
  ['x', [1], 'TypeError', 'not all arguments converted during string formatting'],
  ['%d', ['a'], 'TypeError', '%d format: a real number is required, not str'],
  ['%i', [null], 'TypeError', '%i format: a real number is required, not NoneType'],
  ['%d', [[1]], 'TypeError', '%d format: a real number is required, not list'],
  ['%x', ['a'], 'TypeError', '%x format: an integer is required, not str'],
  ['%x', [1.5], 'TypeError', '%x format: an integer is required, not float'],
  ['%o', [{}], 'TypeError', '%o format: an integer is required, not dict'],
  ['%f', ['a'], 'TypeError', 'must be real number, not str'],
  ['%e', [null], 'TypeError', 'must be real number, not NoneType'],
  ['%c', ['ab'], 'TypeError', '%c requires int or char'],
  ['%c', [1.5], 'TypeError', '%c requires int or char'],
  ['%c', [1114112], 'OverflowError', '%c arg not in range(0x110000)'],
  ['%c', [-1], 'OverflowError', '%c arg not in range(0x110000)'],
  ['%y', [1], 'ValueError', "unsupported format character 'y' (0x79) at index 1"],
  ['%é', [1], 'ValueError', "unsupported format character '?' (0xe9) at index 1"],
  ['%', [], 'ValueError', 'incomplete format'],
  ['abc %', [1], 'ValueError', 'incomplete format'],
  ['%5', [1], 'ValueError', 'incomplete format'],
  ['%(a)s', [1], 'TypeError', 'format requires a mapping'],
  ['%*d', ['a', 1], 'TypeError', '* wants int'],
  ['%.*f', [null, new PyFloat(1.0)], 'TypeError', '* wants int'],
  ['%d', [Number.NaN], 'ValueError', 'cannot convert float NaN to integer'],
  ['%d', [Number.POSITIVE_INFINITY], 'OverflowError', 'cannot convert float infinity to integer'],
  ['%s %*d', [1], 'TypeError', 'not enough arguments for format string'],
  ['%5%', [1], 'ValueError', "unsupported format character '%' (0x25) at index 2"],
];

describe('pythonPercentFormat', () => {
  it.each(PYTHON_OUTPUTS)('%j %% %j', (format, args, expected) => {
    expect(pythonPercentFormat(format, args)).toBe(expected);
  });

  it.each(PYTHON_ERRORS)('%j %% %j raises %s', (format, args, pythonType, message) => {
    let caught: unknown;
    try {
      pythonPercentFormat(format, args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PythonFormatError);
    expect((caught as PythonFormatError).message).toBe(message);
    expect((caught as PythonFormatError).pythonType).toBe(pythonType);
  });

  it('rounds the exact binary value half to even, unlike toFixed', () => {
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(pythonPercentFormat('%.2f', [0.125])).toBe('0.12');
    expect(pythonPercentFormat('%.20f', [0.1])).toBe('0.10000000000000000555');
    expect(pythonPercentFormat('%f', [1e22])).toBe('10000000000000000000000.000000');
  });

  it('refuses absurd widths instead of allocating them', () => {
    expect(() => pythonPercentFormat('%999999999d', [1])).toThrow(PythonFormatError);
    expect(() => pythonPercentFormat('%.*f', [1e9, 1.5])).toThrow(PythonFormatError);
  });
});

describe('Python str() and repr()', () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [1, '1'],
    [new PyFloat(1), '1.0'],
    [-0, '-0.0'],
    [1e21, '1000000000000000000000'],
    [new PyFloat(1e21), '1e+21'],
    [0.1, '0.1'],
    [1.5e-7, '1.5e-07'],
    [123456789.125, '123456789.125'],
    [new PyFloat(1e16), '1e+16'],
    [5e-324, '5e-324'],
    [Number.NaN, 'nan'],
    [Number.NEGATIVE_INFINITY, '-inf'],
    ['text', 'text'],
    [['a', [1, new PyFloat(2)]], "['a', [1, 2.0]]"],
    [{ a: null, "it's": 'x' }, `{'a': None, "it's": 'x'}`],
  ])('str(%j) = %s', (value, expected) => {
    expect(pyStr(value)).toBe(expected);
  });

  it('repr escapes like Python', () => {
    expect(pyRepr("'")).toBe(`"'"`);
    expect(pyRepr('\x00\x7f\u200b\xa0 é😀')).toBe("'\\x00\\x7f\\u200b\\xa0 é😀'");
    expect(pyRepr('\u0000\u007f\u200b\u00a0\u00ad\ufeff\u2028')).toBe(
      "'\\x00\\x7f\\u200b\\xa0\\xad\\ufeff\\u2028'",
    );
    expect(pyRepr('\ud800')).toBe("'\\ud800'");
    expect(pyRepr('é😀', true)).toBe("'\\xe9\\U0001f600'");
  });

  it('float repr switches to exponent form where Python does', () => {
    expect(pyFloatRepr(1e-4)).toBe('0.0001');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(1e15)).toBe('1000000000000000.0');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1.7976931348623157e308)).toBe('1.7976931348623157e+308');
    expect(pyFloatRepr(123456789012345680)).toBe('1.2345678901234568e+17');
  });
});
