import { LATEST_SCHEMA_VERSION } from '../../../src/main/store/migrations';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, type ProcedureName, procedureNames, RpcFailure } from '@shared/contract';
import { type createHandlers } from '../../../src/main/api';
import { openWorkspace } from '../../../src/main/workspace';
import { testWorkspace } from './support';

/** What the dispatcher does: parse input with the contract, call the handler, check the output. */
function caller(handlers: ReturnType<typeof createHandlers>) {
  return async (name: ProcedureName, input?: unknown): Promise<unknown> => {
    const parsed = contract[name].input.parse(input);
    const handler = handlers[name] as (input: unknown, ctx: { transport: 'in-process' }) => unknown;
    const value = await handler(parsed, { transport: 'in-process' });
    return contract[name].output.parse(value);
  };
}

describe('handlers', () => {
  it('exist for every procedure of the contract', () => {
    const handlers = testWorkspace().ws.handlers;
    expect(Object.keys(handlers).sort()).toEqual([...procedureNames].sort());
    for (const name of procedureNames) expect(typeof handlers[name]).toBe('function');
  });

  it('answer every procedure with output the contract accepts', async () => {
    const { ws } = testWorkspace();
    const call = caller(ws.handlers);
    const used = new Set<ProcedureName>();
    const c = async <T>(name: ProcedureName, input?: unknown) => {
      used.add(name);
      return (await call(name, input)) as T;
    };
    type WithPk = { pk: string };

    const flow = await c<WithPk>('flows.create', {
      name: 'Login',
      slug: 'login',
      title: 'Hi',
      designation: 'authentication',
    });
    await c('flows.get', { pk: flow.pk });
    await c('flows.update', { pk: flow.pk, patch: { title: 'Hello' } });
    await c('flows.list');
    const stage = await c<WithPk>('stages.create', {
      name: 'dummy',
      kind: 'authentik_stages_dummy.dummystage',
      config: {},
    });
    await c('stages.get', { pk: stage.pk });
    await c('stages.update', { pk: stage.pk, patch: { name: 'dummy-2' } });
    await c('stages.list', { kind: 'authentik_stages_dummy.dummystage' });
    const b1 = await c<WithPk>('bindings.create', { target: flow.pk, stage: stage.pk, order: 1 });
    const b2 = await c<WithPk>('bindings.create', { target: flow.pk, stage: stage.pk, order: 2 });
    await c('bindings.update', { pk: b1.pk, patch: { evaluate_on_plan: true } });
    expect(
      ((await c('bindings.reorder', { flow: flow.pk, order: [b2.pk, b1.pk] })) as WithPk[]).map(
        (b) => b.pk,
      ),
    ).toEqual([b2.pk, b1.pk]);
    await c('bindings.list', { flow: flow.pk });
    const policy = await c<WithPk>('policies.create', {
      name: 'p',
      kind: 'authentik_policies_dummy.dummypolicy',
      config: {},
    });
    await c('policies.get', { pk: policy.pk });
    await c('policies.update', { pk: policy.pk, patch: { execution_logging: true } });
    await c('policies.list');
    await c('policies.create', {
      name: 'quick',
      kind: 'authentik_policies_dummy.dummypolicy',
      config: { result: true, wait_min: 0, wait_max: 1 },
    });
    expect(await c('policies.test', { policy: 'quick', context: { x: 1 } })).toMatchObject({ passing: true });
    // This workspace has no Python runtime: the status says so (warmUp is then a no-op).
    expect(await c('policies.runtime', { warmUp: true })).toMatchObject({ state: 'unavailable', host: 'none' });
    const pb = await c<WithPk>('policyBindings.create', {
      target: b1.pk,
      policy: policy.pk,
      order: 0,
    });
    await c('policyBindings.update', { pk: pb.pk, patch: { negate: true } });
    await c('policyBindings.list', { target: b1.pk });
    const prompt = await c<WithPk>('prompts.create', {
      name: 'u',
      field_key: 'username',
      label: 'Username',
      type: 'username',
    });
    await c('prompts.get', { pk: prompt.pk });
    await c('prompts.update', { pk: prompt.pk, patch: { order: 3 } });
    await c('prompts.list');
    const group = await c<WithPk>('groups.create', { name: 'staff' });
    await c('groups.get', { pk: group.pk });
    await c('groups.update', { pk: group.pk, patch: { is_superuser: true } });
    await c('groups.list');
    const user = await c<{ pk: number }>('users.create', {
      username: 'ada',
      password: 'pw',
      groups: [group.pk],
    });
    await c('users.get', { pk: user.pk });
    await c('users.update', { pk: user.pk, patch: { email: 'ada@example.com' } });
    await c('users.list');
    expect(await c('users.checkPassword', { pk: user.pk, password: 'pw' })).toEqual({
      valid: true,
    });
    await c('users.setPassword', { pk: user.pk, password: null });
    const blueprint = {
      files: [
        {
          name: 'b.yaml',
          text: 'version: 1\nmetadata: {name: b}\nentries:\n  - model: authentik_flows.flow\n    identifiers: {slug: from-blueprint}\n    attrs: {name: B, title: B, designation: recovery}\n',
        },
      ],
    };
    expect(await c('blueprints.validate', blueprint)).toMatchObject({ ok: true, committed: false });
    expect(await c('blueprints.import', blueprint)).toMatchObject({ ok: true, committed: true });
    expect(await c('blueprints.list')).toMatchObject([{ name: 'b', entries: 1 }]);
    expect(await c('blueprints.export', { flows: ['from-blueprint'], style: 'portable' })).toMatchObject({
      fileName: expect.any(String),
    });
    await c('flows.delete', { pk: (await c<WithPk[]>('flows.list')).find((f) => f.pk !== flow.pk)?.pk });
    const copy = await c<WithPk>('flows.duplicate', { pk: flow.pk, slug: 'login-2', name: 'Copy' });
    expect(await c('workspace.info')).toMatchObject({
      counts: { flows: 2, bindings: 4, policyBindings: 2 },
    });

    for (const [name, pk] of [
      ['policyBindings.delete', pb.pk],
      ['bindings.delete', b2.pk],
      ['prompts.delete', prompt.pk],
      ['flows.delete', copy.pk],
      ['stages.delete', stage.pk],
      ['policies.delete', policy.pk],
      ['users.delete', user.pk],
      ['groups.delete', group.pk],
      ['flows.delete', flow.pk],
    ] as const) {
      expect(await c(name, { pk })).toEqual({ deleted: true });
    }
    expect(await c('workspace.info')).toMatchObject({
      counts: { flows: 0, stages: 0, users: 0, groups: 0 },
    });
    expect(procedureNames.filter((n) => !used.has(n))).toEqual([]);
  });

  it('throw RpcFailures the dispatcher can wrap', async () => {
    const call = caller(testWorkspace().ws.handlers);
    await expect(
      call('flows.get', { pk: '99999999-9999-4999-8999-999999999999' }),
    ).rejects.toBeInstanceOf(RpcFailure);
  });
});

describe('openWorkspace', () => {
  it('creates the parent folder and the file, and closes idempotently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowbench-open-'));
    try {
      const path = join(dir, 'deep', 'er', 'workspace.sqlite');
      const ws = openWorkspace({ path });
      expect(ws.path).toBe(path);
      expect(ws.services.workspace.info()).toMatchObject({ path, schema_version: LATEST_SCHEMA_VERSION });
      ws.close();
      ws.close();
      expect(ws.db.open).toBe(false);
      const again = openWorkspace({ path, readonly: true });
      expect(again.services.flows.list()).toEqual([]);
      expect(() => again.services.groups.create({ name: 'x' })).toThrow(RpcFailure);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
