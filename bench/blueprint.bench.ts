import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { openWorkspace } from '../src/main/workspace';
import { type Figure, percentile, timeIt } from './measure';

const FIXTURES = resolve(__dirname, '../../shared/fixtures/authentik-blueprints');

function fixtureFiles(): { name: string; text: string }[] {
  return ['default', 'example'].flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: `${folder}/${f}`, text: readFileSync(join(FIXTURES, folder, f), 'utf8') })),
  );
}

/**
 * Issue 3's target: importing every fixture into one workspace costs ≤ 3× a raw `yaml` parse of
 * the same files and ≤ 300 ms. Each figure is the median of 7 runs after 3 warm-up runs of both.
 */
export async function benchBlueprints(): Promise<Figure[]> {
  const files = fixtureFiles();
  const rounds = 7;
  const raw: number[] = [];
  const imports: number[] = [];
  // The yaml package ignores unknown tags with a warning; silence it so the parse is all we time.
  const customTags = ['KeyOf', 'Find', 'FindObject', 'Context', 'Format', 'Env', 'File', 'If', 'Condition', 'Enumerate', 'Index', 'Value', 'AtIndex', 'ParseJSON'].flatMap((tag) => [
    { tag: `!${tag}`, resolve: (v: unknown) => v },
    { tag: `!${tag}`, collection: 'seq' as const, resolve: (v: unknown) => v },
  ]);
  let entries = 0;
  let coldMs = Number.NaN;
  // Warm-up rounds for both sides, so the ratio compares steady states (JIT-compiled code) and
  // not how quickly each side warms up.
  const warmUp = 3;
  for (let round = 0; round < warmUp + rounds; round += 1) {
    const rawRun = await timeIt(() => files.forEach((f) => parse(f.text, { customTags })));
    const ws = openWorkspace({ path: ':memory:' });
    const run = await timeIt(() => ws.services.blueprints.import(files));
    if (!run.value.ok) throw new Error(`fixture import failed: ${run.value.issues[0]?.message ?? 'unknown'}`);
    entries = run.value.totals.entries;
    ws.close();
    if (round === 0) coldMs = run.ms;
    if (round < warmUp) continue;
    raw.push(rawRun.ms);
    imports.push(run.ms);
  }
  raw.sort((a, b) => a - b);
  imports.sort((a, b) => a - b);
  const rawMs = percentile(raw, 50);
  const importMs = percentile(imports, 50);
  return [
    { name: `files / entries`, value: `${files.length} / ${entries}` },
    { name: 'cold: first import in this process', value: `${coldMs.toFixed(1)} ms` },
    { name: 'raw yaml parse of all files (median)', value: `${rawMs.toFixed(1)} ms` },
    { name: 'import of all files, one transaction (median)', value: `${importMs.toFixed(1)} ms (target ≤ 300 ms)` },
    { name: 'ratio import / raw parse', value: `${(importMs / rawMs).toFixed(2)}× (target ≤ 3×)` },
  ];
}
