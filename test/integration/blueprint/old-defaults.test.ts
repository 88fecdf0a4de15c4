import { describe, expect, it, vi } from 'vitest';
import type * as Yaml from '../../../src/main/blueprint/yaml';
import { blueprintWorkspace, entries, file, importOk } from './support';

// No sniffing rule dates a file to authentik ≤2023.2 yet; pretend one did, to see the importer's
// reaction (the rule itself is unit-tested with writtenForOldBindingDefaults).
vi.mock('../../../src/main/blueprint/yaml', async (importOriginal) => {
  const original = await importOriginal<typeof Yaml>();
  return {
    ...original,
    sniffAuthentikVersion: (document: Parameters<typeof original.sniffAuthentikVersion>[0]) => {
      const real = original.sniffAuthentikVersion(document);
      return document.metadata?.name === 'Old' ? { ...real, range: '<=2022.12', max: '2022.12' } : real;
    },
  };
});

const text = (name: string) => `version: 1
metadata: {name: ${name}}
entries:
  - model: authentik_flows.flow
    id: flow
    identifiers: {slug: old-flow}
    attrs: {name: Old, title: Old, designation: authentication}
  - model: authentik_stages_dummy.dummystage
    id: stage
    identifiers: {name: old-dummy}
  - model: authentik_flows.flowstagebinding
    identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 10}
  - model: authentik_flows.flowstagebinding
    identifiers: {target: !KeyOf flow, stage: !KeyOf stage, order: 20}
    attrs: {evaluate_on_plan: true, re_evaluate_policies: false}
`;

describe('stage bindings in files written for authentik ≤2022.x', () => {
  it('get the current defaults, with a warning on the entries that relied on the old ones', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('old.yaml', text('Old'))]);
    expect(report.files[0]?.versionGuess?.range).toBe('<=2022.12');
    expect(entries(report)[2]?.warnings.join()).toContain('evaluate_on_plan=true, re_evaluate_policies=false');
    expect(entries(report)[3]?.warnings).toEqual([]);
    const flow = ws.services.flows.list()[0];
    expect(ws.services.bindings.list(flow?.pk ?? '').map((b) => [b.order, b.evaluate_on_plan, b.re_evaluate_policies])).toEqual([
      [10, false, true],
      [20, true, false],
    ]);
  });

  it('files of current releases get no such warning', async () => {
    const ws = blueprintWorkspace();
    const report = await importOk(ws, [file('new.yaml', text('New'))]);
    expect(entries(report)[2]?.warnings).toEqual([]);
  });
});
