import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/main/cli/args';
import { parseContextFlags } from '../../../src/main/cli/context-flags';

describe('--context flags', () => {
  it('parses JSON values and keeps other text as strings', () => {
    const flags = parseContextFlags(['flow_slug=my-flow', 'licensed=true', 'count=3', 'obj={"a":1}', 'eq=a=b']);
    expect(flags.context).toEqual({ flow_slug: 'my-flow', licensed: true, count: 3, obj: { a: 1 }, eq: 'a=b' });
  });

  it('routes env: and file: keys to explicit values for !Env and !File', () => {
    const flags = parseContextFlags(['env:AUTHENTIK_SECRET=s3cret', 'file:/run/key.pem=PEM']);
    expect(flags.env).toEqual({ AUTHENTIK_SECRET: 's3cret' });
    expect(flags.fileValues).toEqual({ '/run/key.pem': 'PEM' });
    expect(flags.context).toEqual({});
  });

  it('keeps a __proto__ key as data', () => {
    const flags = parseContextFlags(['__proto__={"polluted":true}']);
    expect(Object.keys(flags.context)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a flag without KEY=', () => {
    expect(() => parseContextFlags(['novalue'])).toThrow(UsageError);
    expect(() => parseContextFlags(['=x'])).toThrow(/KEY=VALUE/);
  });
});
