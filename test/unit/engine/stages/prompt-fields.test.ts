import { describe, expect, it } from 'vitest';
import { zxcvbnEstimator } from '../../../../src/main/engine/adapters/zxcvbn';
import { isValidEmail, parseIsoDate, parseIsoDateTime, pyEquals, pyRepr, pyStr } from '../../../../src/main/engine/stages/prompt-fields';

describe('prompt field helpers', () => {
  it('pyStr / pyRepr follow Python', () => {
    expect(pyStr('text')).toBe('text');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(3)).toBe('3');
    expect(pyStr(['a', 1, null, false])).toBe("['a', 1, None, False]");
    expect(pyStr({ k: "it's" })).toBe(`{'k': "it's"}`);
    expect(pyRepr('a\nb')).toBe("'a\\nb'");
  });

  it('pyEquals: 1 == True, lists and dicts by content', () => {
    expect(pyEquals(1, true)).toBe(true);
    expect(pyEquals('1', 1)).toBe(false);
    expect(pyEquals([1, { a: 'x' }], [1, { a: 'x' }])).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('Django EmailValidator', () => {
    for (const ok of ['a@example.org', 'first.last+tag@sub.example.co.uk', 'root@localhost', 'x@[192.0.2.1]', 'x@[::1]', '"quoted"@example.org']) {
      expect(isValidEmail(ok), ok).toBe(true);
    }
    for (const bad of ['', '"quoted name"@example.org', 'plain', 'a@b', 'a..b@example.org', 'a@-example.org', 'a@example-.org', 'a@[300.1.1.1]', `${'a'.repeat(310)}@example.org`]) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });

  it('parse_date / parse_datetime (+ UTC)', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2024-13-01')).toBeNull();
    expect(parseIsoDate(20240101)).toBeNull();
    expect(parseIsoDateTime('2024-06-01')).toBe('2024-06-01T00:00:00+00:00');
    expect(parseIsoDateTime('2024-06-01T23:30-01:30')).toBe('2024-06-02T01:00:00+00:00');
    expect(parseIsoDateTime('2024-06-01T10:00:00,123456789+0100')).toBe('2024-06-01T09:00:00.123456+00:00');
    expect(parseIsoDateTime('2024-06-01T24:00')).toBeNull();
  });
});

describe('zxcvbn adapter (@zxcvbn-ts)', () => {
  it('scores 0–4 with English feedback; user inputs count against the password', () => {
    const weak = zxcvbnEstimator.estimate('password', []) as { score: number; feedback: { warning: string | null; suggestions: string[] } };
    expect(weak.score).toBe(0);
    expect(weak.feedback.warning).toMatch(/heavily used password/i);
    expect(weak.feedback.suggestions.length).toBeGreaterThan(0);
    expect(weak.feedback.suggestions.every((s) => /^[A-Z].*\.$/.test(s))).toBe(true);
    const strong = zxcvbnEstimator.estimate('correct-Horse-battery-Staple-42!', []) as { score: number };
    expect(strong.score).toBe(4);
    const personal = 'quintessentially-alice';
    const withInputs = zxcvbnEstimator.estimate(personal, ['quintessentially-alice', '']) as { score: number };
    const without = zxcvbnEstimator.estimate(personal, []) as { score: number };
    expect(withInputs.score).toBeLessThan(without.score);
  });
});
