import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { contract, events } from '@shared/contract';
import { eventNameList, procedureNameList } from '@shared/contract/procedure-names';

describe('the zod-free name lists the preload uses', () => {
  it('list every procedure of the contract, in order, once', () => {
    expect([...procedureNameList]).toEqual(Object.keys(contract));
  });

  it('list every event, once', () => {
    expect([...eventNameList]).toEqual(Object.keys(events));
  });

  it('import nothing at runtime (so the sandboxed preload bundles no zod)', () => {
    const source = readFileSync(
      resolve(__dirname, '../../../src/shared/contract/procedure-names.ts'),
      'utf8',
    );
    const imports = source.match(/^import .*$/gm) ?? [];
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports)
      expect(line).toMatch(/^import \{ type [A-Za-z]+ \} from '\.\/[a-z-]+';$/);
  });
});
