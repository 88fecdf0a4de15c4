import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, RpcCallError, type Client, type EventPayload, type ProcedureName, type Transport } from '@shared/contract';
import { adapters, quietLogger, type Harness } from './support/adapters';
import { openTestWorkspace, type TestWorkspace } from './support/workspace';

/**
 * The contract, written once and run over every adapter: in-process, HTTP (real server on
 * 127.0.0.1:0 + the browser's HTTP transport) and IPC (fake ipcMain + the IPC adapter).
 */
describe.each(adapters)('contract over $name', (adapter) => {
  let workspace: TestWorkspace;
  let harness: Harness;
  let transport: Transport;
  let client: Client;

  beforeEach(async () => {
    workspace = await openTestWorkspace();
    harness = await adapter.start(workspace, quietLogger);
    transport = harness.transport;
    client = createClient(transport);
  });

  afterEach(async () => {
    await harness.close();
    await workspace.close();
  });

  it('round-trips a flow: create, list, get, update, delete', async () => {
    const created = await client.call('flows.create', { name: 'Login', slug: 'contract-login', title: 'Welcome', designation: 'authentication' });
    expect(created).toMatchObject({ name: 'Login', slug: 'contract-login', title: 'Welcome', designation: 'authentication', policy_engine_mode: 'any' });
    expect(created.pk).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

    expect((await client.call('flows.list')).map((flow) => flow.pk)).toContain(created.pk);
    expect(await client.call('flows.get', { pk: created.pk })).toEqual(created);

    const updated = await client.call('flows.update', { pk: created.pk, patch: { title: 'Sign in', layout: 'sidebar_left' } });
    expect(updated).toEqual({ ...created, title: 'Sign in', layout: 'sidebar_left' });
    expect(await client.call('flows.get', { pk: created.pk })).toEqual(updated);

    expect(await client.call('flows.delete', { pk: created.pk })).toEqual({ deleted: true });
    expect((await client.call('flows.list')).map((flow) => flow.pk)).not.toContain(created.pk);
    expect(await transport.call('flows.get', { pk: created.pk })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await expect(client.call('flows.get', { pk: created.pk })).rejects.toBeInstanceOf(RpcCallError);
  });

  it('round-trips a user: create, list, get, update, delete', async () => {
    const created = await client.call('users.create', { username: 'contract-amy', email: 'amy@example.com' });
    expect(created).toMatchObject({ username: 'contract-amy', email: 'amy@example.com', is_active: true, type: 'internal', has_usable_password: false });
    expect(Number.isInteger(created.pk)).toBe(true);

    expect((await client.call('users.list')).map((user) => user.pk)).toContain(created.pk);
    expect(await client.call('users.get', { pk: created.pk })).toEqual(created);

    const updated = await client.call('users.update', { pk: created.pk, patch: { name: 'Amy', is_active: false } });
    expect(updated).toMatchObject({ pk: created.pk, username: 'contract-amy', name: 'Amy', is_active: false });
    expect(await client.call('users.get', { pk: created.pk })).toEqual(updated);

    expect(await client.call('users.delete', { pk: created.pk })).toEqual({ deleted: true });
    expect((await client.call('users.list')).map((user) => user.pk)).not.toContain(created.pk);
    expect(await transport.call('users.get', { pk: created.pk })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('never sends a password or its hash back', async () => {
    const created = await client.call('users.create', { username: 'contract-pw', password: 'correct horse battery staple' });
    expect(created.has_usable_password).toBe(true);
    const text = JSON.stringify([created, await client.call('users.get', { pk: created.pk }), await client.call('users.list')]);
    expect(text).not.toContain('correct horse');
    expect(text).not.toMatch(/argon2|pbkdf2|\$[0-9a-z]+\$/i);
  });

  it('answers CONFLICT for a duplicate flow slug', async () => {
    await client.call('flows.create', { name: 'A', slug: 'contract-dup', title: 'A', designation: 'authentication' });
    const second = await transport.call('flows.create', { name: 'B', slug: 'contract-dup', title: 'B', designation: 'enrollment' });
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('answers INVALID_INPUT with issues for malformed input', async () => {
    const result = await transport.call('flows.create', { name: '', slug: 'not a slug!', designation: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    const paths = (result.error.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'slug', 'title', 'designation']));

    expect(await transport.call('flows.get', { pk: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['pk'] }] } });
    expect(await transport.call('flows.get', undefined)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await transport.call('users.get', { pk: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers UNKNOWN_PROCEDURE for names outside the contract', async () => {
    for (const name of ['flows.nuke', '__proto__', 'constructor']) {
      expect(await transport.call(name as ProcedureName, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PROCEDURE' } });
    }
  });

  it('delivers workspace.changed events after a create, update and delete', async () => {
    const received: EventPayload<'workspace.changed'>[] = [];
    const unsubscribe = transport.subscribe('workspace.changed', (payload) => received.push(payload));
    await harness.eventsReady();

    const flow = await client.call('flows.create', { name: 'Evented', slug: 'contract-evented', title: 'E', designation: 'authentication' });
    await until(() => received.some((e) => e.entity === 'flow' && e.action === 'created' && e.pk === flow.pk));
    await client.call('flows.update', { pk: flow.pk, patch: { title: 'E2' } });
    await client.call('flows.delete', { pk: flow.pk });
    await until(() => received.some((e) => e.entity === 'flow' && e.action === 'deleted' && e.pk === flow.pk));
    const forFlow = received.filter((e) => e.entity === 'flow' && e.pk === flow.pk).map((e) => e.action);
    expect(forFlow).toEqual(['created', 'updated', 'deleted']);

    // After unsubscribing, nothing more arrives.
    unsubscribe();
    const count = received.length;
    await client.call('users.create', { username: 'contract-after' });
    await new Promise((done) => setTimeout(done, 50));
    expect(received).toHaveLength(count);
  });

  it('policies.test evaluates one policy of any kind: anonymous, a user by name or pk, context users', async () => {
    const dummy = 'authentik_policies_dummy.dummypolicy';
    const policy = await client.call('policies.create', { name: 'contract-dummy', kind: dummy, config: { result: true, wait_min: 0, wait_max: 1 } });
    const user = await client.call('users.create', { username: 'contract-tester' });
    const anonymous = await client.call('policies.test', { policy: 'contract-dummy' });
    expect(anonymous).toEqual({
      policy: { pk: policy.pk, name: 'contract-dummy', kind: dummy, label: 'Dummy Policy' },
      user: { pk: null, username: '', is_anonymous: true },
      request: { ip: '127.0.0.1', user_agent: 'flowbench' },
      timeout: 30,
      passing: true,
      raw_result: null,
      messages: ['dummy'],
      logs: [{ level: 'info', message: 'Policy waiting (delay=0s)' }],
      output: '',
      notes: [],
      duration_ms: expect.any(Number),
      error: null,
      error_line: null,
      outcome: 'returned',
      expressions_unavailable: false,
    });
    for (const ref of ['contract-tester', String(user.pk), user.pk]) {
      const result = await client.call('policies.test', { policy: policy.pk, user: ref, request: { ip: '203.0.113.9' }, timeout: 5 });
      expect(result).toMatchObject({ user: { pk: user.pk, username: 'contract-tester', is_anonymous: false }, request: { ip: '203.0.113.9' }, timeout: 5, passing: true });
    }
    const withContext = await client.call('policies.test', { policy: 'contract-dummy', user: null, context: { pending_user: 'contract-tester', is_sso: true } });
    expect(withContext.passing).toBe(true);
  });

  it('policies.test: clear errors for an unknown policy, user or context user; expressions without a runtime fail visibly', async () => {
    await client.call('policies.create', { name: 'contract-expr', kind: 'authentik_policies_expression.expressionpolicy', config: { expression: 'return True' } });
    expect(await transport.call('policies.test', { policy: 'no-such-policy' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no policy "no-such-policy"'), issues: [{ path: ['policy'] }] },
    });
    expect(await transport.call('policies.test', { policy: 'contract-expr', user: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('no user "nobody"'), issues: [{ path: ['user'] }] },
    });
    expect(await transport.call('policies.test', { policy: 'contract-expr', context: { pending_user: 'nobody' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'pending_user "nobody" is not a user of this workspace', issues: [{ path: ['context'] }] },
    });
    expect(await transport.call('policies.test', { policy: 'contract-expr', context: { who: { $user: 999999 } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', issues: [{ path: ['context'] }] },
    });
    expect(await transport.call('policies.test', { policy: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['policy'] }] } });
    expect(await transport.call('policies.test', { policy: 'contract-expr', context: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await transport.call('policies.test', { policy: 'contract-expr', request: { ip: 'not-an-ip' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const expression = await client.call('policies.test', { policy: 'contract-expr' });
    expect(expression).toMatchObject({ passing: false, outcome: 'crash', expressions_unavailable: true, error: expect.stringContaining('not available') });
  });

  it('keeps concurrent calls apart', async () => {
    const slugs = Array.from({ length: 8 }, (_, i) => `contract-par-${i}`);
    const flows = await Promise.all(slugs.map((slug) => client.call('flows.create', { name: slug, slug, title: slug, designation: 'authentication' })));
    expect(flows.map((flow) => flow.slug)).toEqual(slugs);
  });
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((done) => setTimeout(done, 5));
  }
}
