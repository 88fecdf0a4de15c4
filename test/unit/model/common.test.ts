import { describe, expect, it } from 'vitest';
import { durationString, pk, policyEngineMode, slug, userPk } from '../../../src/shared/model';

describe('common primitives', () => {
  it('accepts hyphenated hex pks, including non-RFC all-zero ones', () => {
    expect(pk.parse('00000000-0000-0000-0000-000000000000')).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    expect(pk.parse('1219d06e-2c06-4c5b-a162-78e3959c6cf0')).toBe(
      '1219d06e-2c06-4c5b-a162-78e3959c6cf0',
    );
  });

  it.each([
    '',
    'not-a-uuid',
    '1219d06e2c064c5ba16278e3959c6cf0',
    '1219d06e-2c06-4c5b-a162-78e3959c6cf',
  ])('rejects pk %j', (value) => {
    expect(pk.safeParse(value).success).toBe(false);
  });

  it('user pks are positive integers', () => {
    expect(userPk.parse(7)).toBe(7);
    expect(userPk.safeParse(0).success).toBe(false);
    expect(userPk.safeParse(1.5).success).toBe(false);
    expect(userPk.safeParse('7').success).toBe(false);
  });

  it.each(['default-authentication-flow', 'a', 'A_b-9', 'x'.repeat(50)])(
    'accepts slug %j',
    (value) => {
      expect(slug.parse(value)).toBe(value);
    },
  );

  it.each(['', 'has space', 'ümlaut', 'dot.ted', 'x'.repeat(51)])('rejects slug %j', (value) => {
    expect(slug.safeParse(value).success).toBe(false);
  });

  it.each([
    'seconds=0',
    'hours=1;minutes=2',
    'hours=1, minutes=2',
    'days=1.5',
    'weeks=4',
    ' minutes = 30 ',
  ])('accepts duration %j', (value) => {
    expect(durationString.parse(value)).toBe(value);
  });

  it.each(['', 'forever', '30', '1h', 'hours=', 'hours=1;', 'fortnights=1', 'hours=one'])(
    'rejects duration %j',
    (value) => {
      expect(durationString.safeParse(value).success).toBe(false);
    },
  );

  it('policy engine mode is all | any', () => {
    expect(policyEngineMode.options).toEqual(['all', 'any']);
    expect(policyEngineMode.safeParse('some').success).toBe(false);
  });
});
