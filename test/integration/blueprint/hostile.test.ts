import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMPORT_ISSUE_CODES, type ImportReport } from '@shared/contract/blueprint-report';
import { RESOLVE_ERROR_CODES } from '../../../src/main/blueprint/resolve';
import { PARSE_ERROR_CODES } from '../../../src/main/blueprint/yaml';
import { blueprintWorkspace, dumpTables, file, fixture, importOk } from './support';

const KNOWN_CODES = new Set<string>([...PARSE_ERROR_CODES, ...IMPORT_ISSUE_CODES, ...RESOLVE_ERROR_CODES]);

/** Not ok, every issue typed (a known code, not a bug), nothing committed. */
function expectTypedFailure(report: ImportReport, code?: string): void {
  expect(report.ok).toBe(false);
  expect(report.committed).toBe(false);
  expect(report.issues.length).toBeGreaterThan(0);
  for (const issue of report.issues) {
    expect(KNOWN_CODES.has(issue.code), `unknown code ${issue.code}`).toBe(true);
    expect(issue.code).not.toBe('internal');
    expect(issue.hint.length).toBeGreaterThan(0);
  }
  if (code) expect(report.issues[0]?.code).toBe(code);
}

async function hostile(text: string | Uint8Array, code: string): Promise<void> {
  const ws = blueprintWorkspace();
  await importOk(ws, [fixture('default/flow-default-invalidation-flow.yaml')]);
  const before = dumpTables(ws);
  const started = performance.now();
  const report = await ws.services.blueprints.import([file('hostile.yaml', text as string)]);
  expect(performance.now() - started).toBeLessThan(5000);
  expectTypedFailure(report, code);
  expect(dumpTables(ws)).toEqual(before);
}

describe('hostile input through the importer: a typed error, nothing written', () => {
  it('billion laughs', async () => {
    const lines = ['version: 1', 'entries: []', 'context:', `  l0: &l0 [${Array(10).fill('"lol"').join(', ')}]`];
    for (let level = 1; level <= 9; level++) lines.push(`  l${level}: &l${level} [${Array(10).fill(`*l${level - 1}`).join(', ')}]`);
    await hostile(`${lines.join('\n')}\n`, 'alias-limit');
  });

  it('20 000-deep nesting', async () => {
    await hostile(`version: 1\nentries: []\ncontext:\n  deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'too-deep');
  });

  it('a 50 MB file', async () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    big.set(new TextEncoder().encode('version: 1\nentries: []\n'));
    await hostile(big, 'too-large');
  });

  it('binary garbage', async () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    const ws = blueprintWorkspace();
    const before = dumpTables(ws);
    const report = await ws.services.blueprints.import([{ name: 'garbage.bin', text: bytes }]);
    expectTypedFailure(report);
    expect(dumpTables(ws)).toEqual(before);
  });

  it('a __proto__ key in attrs, in context, or in the caller context', async () => {
    await hostile(
      'version: 1\nentries:\n  - model: authentik_stages_dummy.dummystage\n    identifiers: {name: x}\n    attrs:\n      __proto__: {polluted: yes}\n',
      'forbidden-key',
    );
    await hostile('version: 1\ncontext:\n  __proto__: {polluted: yes}\nentries: []\n', 'forbidden-key');
    const ws = blueprintWorkspace();
    const context = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const report = await ws.services.blueprints.import([fixture('default/flow-default-provider-invalidation.yaml')], { context });
    expectTypedFailure(report, 'forbidden-key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(ws.services.flows.list()).toEqual([]);
  });

  it('a __proto__ key produced by a tag (!ParseJSON)', async () => {
    await hostile(
      'version: 1\nentries:\n  - model: authentik_stages_dummy.dummystage\n    identifiers: {name: x}\n    attrs:\n      nested: !ParseJSON \'{"__proto__": {"polluted": true}}\'\n',
      'forbidden-key',
    );
  });

  it('duplicate keys are a typed error and nothing is written', async () => {
    await hostile(
      'version: 1\nentries:\n  - model: authentik_stages_dummy.dummystage\n    identifiers: {name: first, name: second}\n',
      'duplicate-key',
    );
  });

  it('duplicate keys can be accepted as authentik does (last value wins) when asked', async () => {
    const ws = blueprintWorkspace();
    const report = await ws.services.blueprints.import(
      [file('dup.yaml', 'version: 1\nentries:\n  - model: authentik_stages_dummy.dummystage\n    identifiers: {name: first, name: second}\n')],
      { limits: { duplicateKeys: 'warn' } },
    );
    expect(report.ok).toBe(true);
    expect(report.files[0]?.warnings.map((w) => w.code)).toContain('duplicate-key');
    expect(ws.services.stages.list().map((s) => s.name)).toEqual(['second']);
  });

  it('limits are passed through to the codec', async () => {
    const ws = blueprintWorkspace();
    const report = await ws.services.blueprints.import([fixture('default/flow-oobe.yaml')], { limits: { maxBytes: 1000 } });
    expectTypedFailure(report, 'too-large');
  });
});

/** One byte-level change: flip, overwrite, insert, delete or repeat. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer C> ? C : never;

function corrupt(bytes: Uint8Array, change: Corruption): Uint8Array {
  const at = bytes.length === 0 ? 0 : change.at % bytes.length;
  const copy = Array.from(bytes);
  switch (change.kind) {
    case 'flip':
      copy[at] = (copy[at] ?? 0) ^ (1 << change.bit);
      break;
    case 'set':
      copy[at] = change.byte;
      break;
    case 'insert':
      copy.splice(at, 0, ...change.bytes);
      break;
    case 'delete':
      copy.splice(at, change.length);
      break;
    case 'repeat':
      copy.splice(at, 0, ...copy.slice(at, at + change.length));
      break;
  }
  return Uint8Array.from(copy);
}

describe('property: corrupted fixtures', () => {
  it('yield a successful import or typed issues with nothing written; never a throw', async () => {
    const seeds = ['default/flow-default-authentication-flow.yaml', 'example/flows-recovery-email-verification.yaml', 'default/default-brand.yaml'].map(
      (name) => new TextEncoder().encode(fixture(name).text as string),
    );
    const ws = blueprintWorkspace();
    await importOk(ws, [fixture('default/flow-password-change.yaml')]);
    let failures = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(corruption, { minLength: 1, maxLength: 4 }), async (seed, changes) => {
        const bytes = changes.reduce(corrupt, seeds[seed] as Uint8Array);
        const before = dumpTables(ws);
        const report = await ws.services.blueprints.import([{ name: 'corrupt.yaml', text: bytes }]);
        if (report.ok) {
          successes++;
          expect(report.committed).toBe(true);
          return;
        }
        failures++;
        expectTypedFailure(report);
        expect(dumpTables(ws)).toEqual(before);
      }),
      { numRuns: 300 },
    );
    console.info(`corrupted fixtures: ${successes} imported, ${failures} refused with typed issues`);
    expect(failures).toBeGreaterThan(0);
  });
});
