import { describe, expect, it } from 'vitest';
import { drfBoolean, drfChar, responseObject } from '../../../../src/main/engine/stages/fields';

describe('DRF-style response fields', () => {
  const schema = responseObject({
    optional_text: drfChar({ required: false }),
    flag: drfBoolean({ default: true }),
    text: drfChar(),
  });

  it('fills defaults for absent optional keys and requires the required ones', () => {
    const missing = schema.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['text', 'This field is required.']]);
    expect(schema.parse({ text: '  hi ' })).toEqual({ optional_text: '', flag: true, text: 'hi' });
  });

  it("reads DRF's boolean spellings and refuses blanks and non-strings", () => {
    expect(schema.parse({ text: 'x', flag: 'false' }).flag).toBe(false);
    expect(schema.safeParse({ text: '   ' }).error?.issues[0]?.message).toBe('This field may not be blank.');
    expect(schema.safeParse({ text: true }).error?.issues[0]?.message).toBe('Not a valid string.');
  });
});
