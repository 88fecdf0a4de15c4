import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkspaceEngine, type WorkspaceEngine } from '../../../src/main/engine-adapter';
import { respond, startRun } from '../../../src/main/engine/executor';
import { ManualClock } from '../../../src/main/engine/memory';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { FIXTURES } from './helpers';

/** The engine's ports over a real (SQLite, argon2) workspace. */

let source: Workspace;
let engine: WorkspaceEngine | null = null;

async function importFixture(ws: Workspace, name: string): Promise<void> {
  const report = await ws.services.blueprints.import([{ name, text: readFileSync(join(FIXTURES, name), 'utf8') }]);
  expect(report.ok, JSON.stringify(report.issues)).toBe(true);
}

beforeEach(async () => {
  source = openWorkspace({ path: ':memory:' });
  await importFixture(source, 'example/flows-enrollment-2-stage.yaml');
  await source.services.users.create({ username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
});
afterEach(() => {
  engine?.close();
  engine = null;
  source.close();
});

const request = { ip: '127.0.0.1', user_agent: 'test', query: {}, geoip: null, asn: null, session_user: null };

describe('createWorkspaceEngine', () => {
  it('runs on a sandbox copy by default: the source workspace never sees the run', async () => {
    engine = createWorkspaceEngine(source);
    expect(engine.sandboxed).toBe(true);
    let step = await startRun(engine, { flow: 'default-enrollment-flow', request });
    expect(step.response?.component).toBe('ak-stage-prompt');
    step = await respond(engine, step.state, { component: 'ak-stage-prompt', username: 'newbie', password: 'a long enough passphrase', password_repeat: 'a long enough passphrase' });
    step = await respond(engine, step.state, { component: 'ak-stage-prompt', name: 'New Bie', email: 'newbie@example.org' });
    expect(step.status).toBe('completed');
    // In the sandbox: created, hashed with argon2id, logged in.
    const created = engine.target.services.users.list().find((u) => u.username === 'newbie');
    expect(created).toMatchObject({ name: 'New Bie', email: 'newbie@example.org', has_usable_password: true, type: 'external' });
    expect(created?.last_login).not.toBeNull();
    expect(await engine.passwords.verify(created!.pk, 'a long enough passphrase')).toBe(true);
    expect(await engine.passwords.verify(created!.pk, 'wrong')).toBe(false);
    // Not in the source.
    expect(source.services.users.list().map((u) => u.username)).toEqual(['alice']);
  });

  it('reads through the services with one snapshot until the workspace changes', () => {
    engine = createWorkspaceEngine(source);
    const reader = engine.workspace;
    expect(reader.flowBySlug('default-enrollment-flow')?.designation).toBe('enrollment');
    expect(reader.findUsers({ username: 'alice' })).toHaveLength(1);
    expect(reader.snapshots).toBe(1);
    engine.target.services.users.update({ pk: reader.findUsers({ username: 'alice' })[0]!.pk, patch: { name: 'Alice' } });
    expect(reader.findUsers({ username: 'alice' })[0]!.name).toBe('Alice');
    expect(reader.snapshots).toBe(2);
    // Prompts and bindings come along.
    const flow = reader.flowBySlug('default-enrollment-flow')!;
    const bindings = reader.flowStageBindings(flow.pk);
    expect(bindings.map((b) => b.order)).toEqual([10, 11, 20, 100]);
    const promptStage = reader.stageByPk(bindings[0]!.stage)!;
    const fields = (promptStage.config as { fields: string[] }).fields;
    expect(fields.map((pk) => reader.promptByPk(pk)?.field_key)).toEqual(['username', 'password', 'password_repeat']);
  });

  it('writes through the services: users, passwords, last login, deletion', async () => {
    engine = createWorkspaceEngine(source);
    const { writer, workspace: reader } = engine;
    const group = engine.target.services.groups.create({ name: 'staff' });
    const user = writer.createUser(
      { username: 'bob', name: 'Bob', email: 'bob@example.org', is_active: false, type: 'internal', path: 'users', attributes: { a: { b: 1 } }, groups: [group.pk] },
      { date_joined: '2025-01-01T00:00:00.000Z' },
    );
    expect(user).toMatchObject({ username: 'bob', has_usable_password: false, date_joined: '2025-01-01T00:00:00.000Z', groups: [group.pk] });
    expect(reader.userByPk(user.pk)?.is_active).toBe(false);
    expect(() => writer.createUser({ ...user, username: 'alice' }, { date_joined: '2025-01-01T00:00:00.000Z' })).toThrow(/already exists/);
    expect(() => writer.createUser({ ...user, username: 'carol', groups: ['00000000-0000-0000-0000-000000000000'] }, { date_joined: 'x' })).toThrow(/does not exist/);

    const updated = writer.updateUser(user.pk, { ...user, is_active: true, attributes: { c: 2 } });
    expect(updated).toMatchObject({ is_active: true, attributes: { c: 2 } });

    await writer.setPassword(user.pk, 'bob the builder', '2025-02-02T00:00:00.000Z');
    expect(reader.userByPk(user.pk)).toMatchObject({ has_usable_password: true, password_change_date: '2025-02-02T00:00:00.000Z' });
    expect(await engine.passwords.verify(user.pk, 'bob the builder')).toBe(true);

    writer.setLastLogin(user.pk, '2025-03-03T00:00:00.000Z');
    expect(reader.userByPk(user.pk)?.last_login).toBe('2025-03-03T00:00:00.000Z');

    writer.setUnusablePassword(user.pk);
    expect(reader.userByPk(user.pk)?.has_usable_password).toBe(false);
    expect(await engine.passwords.verify(user.pk, 'bob the builder')).toBe(false);

    writer.deleteUser(user.pk);
    writer.deleteUser(user.pk); // unknown pks are ignored
    expect(reader.userByPk(user.pk)).toBeNull();
    expect(await engine.passwords.verify(user.pk, 'bob the builder')).toBe(false);
  });

  it('keeps the in-memory ports on the injected clock, and closes its sandbox', () => {
    const clock = new ManualClock({ start: '2025-06-01T00:00:00Z' });
    engine = createWorkspaceEngine(source, { clock });
    engine.reputation.update('alice', '127.0.0.1', -2);
    expect(engine.reputation.records()[0]).toMatchObject({ score: -2, updated: '2025-06-01T00:00:00.000Z' });
    const sent = engine.outbox.send({ from: 'a@b', to: 'c@d', to_name: 'C', subject: 's', template: 't', body: 'b', url: null, link: null, stage: null, flow_slug: null });
    expect(sent.created).toBe('2025-06-01T00:00:00.000Z');
    const target = engine.target;
    engine.close();
    engine.close();
    engine = null;
    expect(target.db.open).toBe(false);
    expect(source.db.open).toBe(true);
  });

  it('can work on the given workspace itself (sandbox: false)', () => {
    engine = createWorkspaceEngine(source, { sandbox: false });
    expect(engine.target).toBe(source);
    engine.writer.setLastLogin(source.services.users.list()[0]!.pk, '2025-03-03T00:00:00.000Z');
    expect(source.services.users.list()[0]!.last_login).toBe('2025-03-03T00:00:00.000Z');
    engine.close();
    engine = null;
    expect(source.db.open).toBe(true);
  });
});
