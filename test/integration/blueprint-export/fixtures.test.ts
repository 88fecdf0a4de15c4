import { describe, expect, it } from 'vitest';
import { exportBlueprint } from '../../../src/main/blueprint/export';
import { type BlueprintEntry } from '../../../src/main/blueprint/yaml';
import { EXPLICIT, FIXTURES, importOk, NOW, objectGraph, parsePlain, readFixture, withFixture, workspace } from './support';

const names = Object.keys(FIXTURES);

/** authentik's FlowExporter order (spec §7.7) as a rank per model family. */
function rank(model: string): number {
  if (model === 'authentik_flows.flow') return 0;
  if (model === 'authentik_stages_prompt.prompt') return 1;
  if (model.startsWith('authentik_policies_')) return 2;
  if (model.startsWith('authentik_stages_')) return 3;
  if (model === 'authentik_flows.flowstagebinding') return 4;
  if (model === 'authentik_policies.policybinding') return 5;
  throw new Error(`unexpected model in a flow export: ${model}`);
}

const IDENTIFIER_KEYS: Record<number, string[]> = {
  0: ['pk', 'slug'],
  1: ['pk'],
  2: ['pk'],
  3: ['name', 'pk'],
  4: ['order', 'pk', 'stage', 'target'],
  5: ['order', 'pk', 'policy', 'target'],
};

function expectAuthentikShape(entries: readonly BlueprintEntry[]): void {
  let last = 0;
  entries.forEach((entry, i) => {
    const r = rank(entry.model as string);
    if (i === 0) expect(r).toBe(0);
    expect(r).toBeGreaterThanOrEqual(last);
    last = r;
    expect(Object.keys(entry.identifiers ?? {})).toEqual(IDENTIFIER_KEYS[r]);
    expect(entry).toMatchObject({ state: 'present', conditions: [], permissions: [] });
    expect(entry.id).toBeUndefined();
    const attrKeys = Object.keys(entry.attrs ?? {});
    expect(attrKeys).toEqual([...attrKeys].sort());
    // Empty defaults are left out, as authentik does: no null and no "" attrs remain.
    for (const value of Object.values(entry.attrs ?? {})) expect([null, '']).not.toContain(value);
  });
}

describe.each(names)('%s', (name) => {
  it('round-trips: the round-trip export parses to the imported document', async () => {
    const ws = await withFixture(name);
    const original = parsePlain(readFixture(name));
    const whole = exportBlueprint(ws, { style: 'round-trip' });
    const file = whole.files.find((candidate) => candidate.name === name);
    expect(file, `files: ${whole.files.map((f) => f.name).join(', ')}`).toBeDefined();
    expect(parsePlain(file?.text ?? '')).toEqual(original);
    // Nothing about the fixture's own entries (deleted, changed, appended): it came back as it was.
    expect(whole.warnings.filter((warning) => warning.includes(`${name} entry`) || warning.startsWith(`${name}:`))).toEqual([]);

    // Asking for the fixture's flows gives back the same file.
    const slugs = original.entries
      .filter((entry) => entry.model === 'authentik_flows.flow')
      .map((entry) => entry.identifiers?.slug as string);
    if (slugs.length > 0) {
      const byFlow = exportBlueprint(ws, { style: 'round-trip', flows: slugs });
      expect(parsePlain(byFlow.files.find((candidate) => candidate.name === name)?.text ?? '')).toEqual(original);
    }
  });

  it('the portable export re-imports into a fresh workspace as the same objects', async () => {
    const ws = await withFixture(name);
    const portable = exportBlueprint(ws, { style: 'portable' });
    expect(portable.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    const fresh = workspace();
    await importOk(fresh, [{ name: 'portable.yaml', text: portable.text }], { explicit: EXPLICIT });
    expect(objectGraph(fresh)).toEqual(objectGraph(ws));
    // And exporting that again gives the very same file (unknown attrs and unmodeled entries included).
    expect(exportBlueprint(fresh, { style: 'portable' }).text).toBe(portable.text);
  });

  it('the authentik export has authentik’s entry order and identifier shapes', async () => {
    const ws = await withFixture(name);
    const flows = ws.services.flows.list();
    for (const flow of flows) {
      const result = exportBlueprint(ws, { style: 'authentik', flows: [flow.slug], now: NOW });
      expect(result.document.metadata).toEqual({
        labels: { 'blueprints.goauthentik.io/generated': 'true' },
        name: 'authentik Export - 2025-03-01 12:00:00+00:00',
      });
      expect(result.document.entries[0]?.identifiers).toEqual({ pk: flow.pk, slug: flow.slug });
      expectAuthentikShape(result.document.entries);
      expect(result.document.entries.filter((entry) => entry.model === 'authentik_flows.flowstagebinding')).toHaveLength(
        ws.services.bindings.list(flow.pk).length,
      );
    }
    // The whole-workspace authentik export imports back with the same pks.
    const whole = exportBlueprint(ws, { style: 'authentik', now: NOW });
    const fresh = workspace();
    await importOk(fresh, [{ name: 'authentik.yaml', text: whole.text }], { explicit: EXPLICIT });
    expect(fresh.services.flows.list()).toEqual(ws.services.flows.list());
    expect(fresh.services.stages.list()).toEqual(ws.services.stages.list());
    expect(objectGraph(fresh)).toEqual(objectGraph(ws));
  });

  it('exports are byte-identical across runs (and portable ones across workspaces)', async () => {
    const ws = await withFixture(name);
    for (const style of ['authentik', 'portable', 'round-trip'] as const) {
      expect(exportBlueprint(ws, { style, now: NOW }).text).toBe(exportBlueprint(ws, { style, now: NOW }).text);
    }
    const other = await withFixture(name);
    expect(exportBlueprint(other, { style: 'portable' }).text).toBe(exportBlueprint(ws, { style: 'portable' }).text);
  });
});
