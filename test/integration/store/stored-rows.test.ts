import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/main/store';
import { openWorkspace } from '../../../src/main/workspace';

describe('rows that do not parse with the shared model', () => {
  it('raise a StoreError (STORE_ERROR) naming table, pk and column', () => {
    const ws = openWorkspace({ path: ':memory:' });
    const stage = ws.services.stages.create({
      name: 'pw',
      kind: 'authentik_stages_password.passwordstage',
      config: { backends: ['authentik.core.auth.InbuiltBackend'] },
    });
    ws.db
      .prepare('UPDATE stages SET config = ? WHERE pk = ?')
      .run('{"backends": "not a list"}', stage.pk);
    const error = (() => {
      try {
        ws.services.stages.get(stage.pk);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: 'STORE_ERROR',
      table: 'stages',
      pk: stage.pk,
      column: 'config',
    });
    expect((error as Error).message).toContain(stage.pk);
    expect(() => ws.services.stages.list()).toThrow(StoreError);
    ws.close();
  });

  it('name the kind column for a kind the registry does not know', () => {
    const ws = openWorkspace({ path: ':memory:' });
    const policy = ws.services.policies.create({
      name: 'p',
      kind: 'authentik_policies_dummy.dummypolicy',
      config: {},
    });
    ws.db
      .prepare('UPDATE policies SET kind = ? WHERE pk = ?')
      .run('authentik_policies_gone.gonepolicy', policy.pk);
    expect(() => ws.services.policies.get(policy.pk)).toThrow(
      expect.objectContaining({ table: 'policies', column: 'kind' }),
    );
    ws.close();
  });

  it('name an enum column holding a value the model does not know', () => {
    const ws = openWorkspace({ path: ':memory:' });
    const flow = ws.services.flows.create({
      name: 'f',
      slug: 'f',
      title: 'f',
      designation: 'authentication',
    });
    ws.db.prepare("UPDATE flows SET designation = 'teleportation' WHERE pk = ?").run(flow.pk);
    expect(() => ws.services.flows.list()).toThrow(
      expect.objectContaining({ table: 'flows', pk: flow.pk, column: 'designation' }),
    );
    ws.close();
  });
});
