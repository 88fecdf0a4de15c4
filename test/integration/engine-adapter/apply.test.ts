import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RpcFailure } from '@shared/contract';
import { type JsonValue } from '@shared/model';
import { createRunCommand } from '../../../src/main/cli/commands/run';
import { runCli } from '../../../src/main/cli/run';
import {
  applyRunEffects,
  createWorkspaceEngine,
  parseRunEffects,
  type RunEffect,
  type WorkspaceEngine,
} from '../../../src/main/engine-adapter';
import { simulatedRequest } from '../../../src/main/engine-adapter/cli-support';
import { respond, startRun } from '../../../src/main/engine/executor';
import { type SimRequest } from '../../../src/main/engine/ports';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { capture, FIXTURES, tempTree } from '../flowtest/helpers';

/** Build item 6: a run's effects are recorded on the sandbox and applied to the real workspace only on request. */

const PASSPHRASE = 'a long enough passphrase';

/** A stage_configuration flow that edits the pending user's username and name (user_write, never_create). */
const PROFILE_BLUEPRINT = `version: 1
metadata: {name: profile}
entries:
  - model: authentik_flows.flow
    id: flow
    identifiers: {slug: profile}
    attrs: {name: profile, title: Profile, designation: stage_configuration, authentication: none}
  - model: authentik_stages_prompt.prompt
    id: field-username
    identifiers: {name: profile-username}
    attrs: {field_key: username, label: Username, type: text, required: true, order: 0}
  - model: authentik_stages_prompt.prompt
    id: field-name
    identifiers: {name: profile-name}
    attrs: {field_key: name, label: Name, type: text, required: true, order: 1}
  - model: authentik_stages_prompt.promptstage
    id: prompt
    identifiers: {name: profile-prompt}
    attrs: {fields: [!KeyOf field-username, !KeyOf field-name]}
  - model: authentik_stages_user_write.userwritestage
    id: write
    identifiers: {name: profile-write}
    attrs: {user_creation_mode: never_create}
  - model: authentik_flows.flowstagebinding
    identifiers: {target: !KeyOf flow, stage: !KeyOf prompt, order: 10}
  - model: authentik_flows.flowstagebinding
    identifiers: {target: !KeyOf flow, stage: !KeyOf write, order: 20}
`;

let real: Workspace;
let engine: WorkspaceEngine | null = null;
let changes: { entity: string; action: string; pk: string | number | null }[];

async function importBlueprint(ws: Workspace, name: string, text: string): Promise<void> {
  const report = await ws.services.blueprints.import([{ name, text }]);
  expect(report.ok, JSON.stringify(report.issues)).toBe(true);
}

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const anonymous: SimRequest = { ip: '127.0.0.1', user_agent: 'test', query: {}, geoip: null, asn: null, session_user: null };

const user = (ws: Workspace, username: string) => ws.services.users.list().find((u) => u.username === username);
const usernames = (ws: Workspace) => ws.services.users.list().map((u) => u.username);
const passwordOk = async (ws: Workspace, username: string, password: string) =>
  (await ws.services.users.checkPassword({ pk: user(ws, username)!.pk, password })).valid;

/** The enrollment fixture on a sandbox: newbie / PASSPHRASE / New Bie. */
async function enroll(e: WorkspaceEngine, username = 'newbie'): Promise<void> {
  let step = await startRun(e, { flow: 'default-enrollment-flow', request: anonymous });
  step = await respond(e, step.state, { component: 'ak-stage-prompt', username, password: PASSPHRASE, password_repeat: PASSPHRASE });
  step = await respond(e, step.state, { component: 'ak-stage-prompt', name: 'New Bie', email: `${username}@example.org` });
  expect(step.status).toBe('completed');
}

/** The profile flow for a pending user: new username and name. */
async function editProfile(e: WorkspaceEngine, of: string, values: { username: string; name: string }): Promise<void> {
  const pk = e.workspace.findUsers({ username: of })[0]!.pk;
  const context: Record<string, JsonValue> = { pending_user: { $user: pk } };
  let step = await startRun(e, { flow: 'profile', request: anonymous, context });
  expect(step.response?.component).toBe('ak-stage-prompt');
  step = await respond(e, step.state, { component: 'ak-stage-prompt', ...values });
  expect(step.status, JSON.stringify(step.response)).toBe('completed');
}

beforeEach(async () => {
  real = openWorkspace({ path: ':memory:' });
  await importBlueprint(real, 'enrollment', fixture('example/flows-enrollment-2-stage.yaml'));
  await importBlueprint(real, 'unenrollment', fixture('example/flows-unenrollment.yaml'));
  await importBlueprint(real, 'password-change', fixture('default/flow-password-change.yaml'));
  await importBlueprint(real, 'profile', PROFILE_BLUEPRINT);
  await real.services.users.create({ username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
  await real.services.users.create({ username: 'bob', name: 'Bob' });
  await real.services.users.create({ username: 'carol', password: 'carol password 1' });
  changes = [];
  real.events.subscribe('workspace.changed', (change) => changes.push(change));
});
afterEach(() => {
  engine?.close();
  engine = null;
  real.close();
});

describe('run effects', () => {
  it('an enrollment run leaves the real workspace unchanged and records its effects as JSON (a hash, never the password)', async () => {
    engine = createWorkspaceEngine(real);
    await enroll(engine);
    expect(usernames(real)).toEqual(['alice', 'bob', 'carol']);
    expect(changes).toEqual([]);

    const effects = engine.effects();
    expect(effects.map((e) => e.type)).toEqual(['user_created', 'password_set', 'last_login']);
    const sandboxPk = engine.workspace.findUsers({ username: 'newbie' })[0]!.pk;
    expect(effects[0]).toEqual({
      type: 'user_created',
      pk: sandboxPk,
      username: 'newbie',
      fields: {
        name: 'New Bie',
        email: 'newbie@example.org',
        is_active: true,
        type: 'external',
        path: 'users',
        attributes: {},
        date_joined: expect.any(String) as string,
        password_change_date: null,
      },
      groups: [],
    });
    expect(effects[1]).toMatchObject({ type: 'password_set', pk: sandboxPk, username: 'newbie', hash: expect.stringMatching(/^\$argon2id\$v=19\$/) as string });
    expect(effects[2]).toMatchObject({ type: 'last_login', pk: sandboxPk, username: 'newbie' });
    expect(JSON.stringify(effects)).not.toContain(PASSPHRASE);
    // A copy each time: the caller cannot change the log.
    effects.pop();
    expect(engine.effects()).toHaveLength(3);
  });

  it('applying creates the user under a new pk, with a password checkPassword accepts, and later effects follow it', async () => {
    engine = createWorkspaceEngine(real);
    await enroll(engine);
    const sandboxPk = engine.workspace.findUsers({ username: 'newbie' })[0]!.pk;
    // Meanwhile the real workspace got a user of its own: it takes the pk the sandbox gave newbie.
    const zed = await real.services.users.create({ username: 'zed' });
    expect(zed.pk).toBe(sandboxPk);
    changes = [];

    const result = await applyRunEffects(real, engine.effects());
    expect(result.conflicts).toEqual([]);
    const newbie = user(real, 'newbie')!;
    expect(newbie.pk).not.toBe(sandboxPk);
    expect(result.applied.map((a) => [a.index, a.type, a.sandbox_pk, a.pk])).toEqual([
      [0, 'user_created', sandboxPk, newbie.pk],
      [1, 'password_set', sandboxPk, newbie.pk],
      [2, 'last_login', sandboxPk, newbie.pk],
    ]);
    expect(newbie).toMatchObject({ name: 'New Bie', email: 'newbie@example.org', type: 'external', has_usable_password: true, groups: [] });
    expect(newbie.last_login).not.toBeNull();
    expect(newbie.password_change_date).not.toBeNull();
    expect(await passwordOk(real, 'newbie', PASSPHRASE)).toBe(true);
    expect(await passwordOk(real, 'newbie', 'wrong')).toBe(false);
    // zed (the sandbox's pk of newbie) is untouched.
    expect(user(real, 'zed')).toMatchObject({ has_usable_password: false, last_login: null });
    // One committed unit of work, announced after the commit.
    expect(changes).toEqual([
      { entity: 'user', action: 'created', pk: newbie.pk },
      { entity: 'user', action: 'updated', pk: newbie.pk },
      { entity: 'user', action: 'updated', pk: newbie.pk },
    ]);
  });

  it('a username created in the real workspace meanwhile is a conflict: nothing is applied', async () => {
    engine = createWorkspaceEngine(real);
    await editProfile(engine, 'bob', { username: 'bob', name: 'Bobby' });
    await enroll(engine);
    await real.services.users.create({ username: 'newbie', password: 'their own password' });
    changes = [];

    const effects = engine.effects();
    expect(effects.map((e) => e.type)).toEqual(['user_updated', 'user_created', 'password_set', 'last_login']);
    const result = await applyRunEffects(real, effects);
    expect(result.applied).toEqual([]);
    // One conflict: the effects on the user that could not be created are not repeated.
    expect(result.conflicts).toEqual([
      { index: 1, type: 'user_created', username: 'newbie', sandbox_pk: effects[1]!.pk, pk: user(real, 'newbie')!.pk, reason: expect.stringMatching(/username "newbie" is taken/) as string },
    ]);
    // All or nothing: bob's update (before the conflict) was rolled back too; no event.
    expect(user(real, 'bob')!.name).toBe('Bob');
    expect(user(real, 'newbie')!.last_login).toBeNull();
    expect(await passwordOk(real, 'newbie', 'their own password')).toBe(true);
    expect(await passwordOk(real, 'newbie', PASSPHRASE)).toBe(false);
    expect(changes).toEqual([]);
  });

  it('reports every conflict of a replay, in order', async () => {
    engine = createWorkspaceEngine(real);
    await enroll(engine, 'newbie');
    await enroll(engine, 'other');
    await real.services.users.create({ username: 'newbie' });
    await real.services.users.create({ username: 'other' });
    const result = await applyRunEffects(real, engine.effects());
    expect(result.applied).toEqual([]);
    expect(result.conflicts.map((c) => [c.index, c.type, c.username])).toEqual([
      [0, 'user_created', 'newbie'],
      [3, 'user_created', 'other'],
    ]);
  });

  it('maps update, rename, password and delete effects to the right real users', async () => {
    engine = createWorkspaceEngine(real);
    const bobPk = user(real, 'bob')!.pk;
    const carolPk = user(real, 'carol')!.pk;
    // bob → robert (profile flow), then robert changes his password (password change flow).
    await editProfile(engine, 'bob', { username: 'robert', name: 'Robert' });
    let step = await startRun(engine, { flow: 'default-password-change', request: simulatedRequest(engine, { user: 'robert' }) });
    step = await respond(engine, step.state, { component: 'ak-stage-prompt', password: 'Umbrella-Quartz-Orbit-42', password_repeat: 'Umbrella-Quartz-Orbit-42' });
    expect(step.status).toBe('completed');
    // carol unenrolls.
    step = await startRun(engine, { flow: 'default-unenrollment-flow', request: simulatedRequest(engine, { user: 'carol' }) });
    expect(step.status).toBe('completed');

    const effects = engine.effects();
    expect(effects).toEqual([
      { type: 'user_updated', pk: bobPk, username: 'bob', patch: { username: 'robert', name: 'Robert' }, before: { username: 'bob', name: 'Bob' } },
      { type: 'user_updated', pk: bobPk, username: 'robert', patch: {}, before: {} },
      { type: 'password_set', pk: bobPk, username: 'robert', hash: expect.stringMatching(/^\$argon2id\$/) as string, changed_at: expect.any(String) as string },
      { type: 'user_deleted', pk: carolPk, username: 'carol' },
    ]);
    expect(usernames(real)).toEqual(['alice', 'bob', 'carol']);

    // Unrelated changes meanwhile do not matter.
    await real.services.users.create({ username: 'dave' });
    real.services.users.update({ pk: bobPk, patch: { email: 'bob@example.org' } });
    const result = await applyRunEffects(real, effects);
    expect(result.conflicts).toEqual([]);
    expect(result.applied.map((a) => [a.type, a.pk])).toEqual([
      ['user_updated', bobPk],
      ['user_updated', bobPk],
      ['password_set', bobPk],
      ['user_deleted', carolPk],
    ]);
    expect(usernames(real)).toEqual(['alice', 'dave', 'robert']);
    expect(user(real, 'robert')).toMatchObject({ pk: bobPk, name: 'Robert', email: 'bob@example.org', has_usable_password: true });
    expect(await passwordOk(real, 'robert', 'Umbrella-Quartz-Orbit-42')).toBe(true);
    expect(await passwordOk(real, 'alice', 'correct horse battery')).toBe(true);
  });

  it('follows a user created in the sandbox through its later effects, up to its deletion', async () => {
    // The sandbox is a copy: it has the group too.
    const group = real.services.groups.create({ name: 'staff' });
    engine = createWorkspaceEngine(real);
    const temp = engine.writer.createUser(
      { username: 'temp', name: '', email: '', is_active: false, type: 'internal', path: 'users', attributes: { a: 1 }, groups: [group.pk] },
      { date_joined: '2025-01-01T00:00:00.000Z' },
    );
    engine.writer.updateUser(temp.pk, { ...temp, username: 'temp2', is_active: true, attributes: { a: 2 }, groups: [] });
    engine.writer.setLastLogin(temp.pk, '2025-02-02T00:00:00.000Z');
    engine.writer.setUnusablePassword(temp.pk);
    const gone = engine.writer.createUser({ ...temp, username: 'gone', groups: [] }, { date_joined: '2025-01-01T00:00:00.000Z' });
    engine.writer.deleteUser(gone.pk);
    expect(engine.effects().map((e) => e.type)).toEqual(['user_created', 'user_updated', 'last_login', 'password_unusable', 'user_created', 'user_deleted']);

    // The real workspace hands out the sandbox's pks to users of its own.
    const x = await real.services.users.create({ username: 'xavier' });
    const y = await real.services.users.create({ username: 'yvonne' });
    expect([x.pk, y.pk]).toEqual([temp.pk, gone.pk]);

    const result = await applyRunEffects(real, engine.effects());
    expect(result.conflicts).toEqual([]);
    const created = user(real, 'temp2')!;
    expect(created.pk).not.toBe(temp.pk);
    expect(created).toMatchObject({ is_active: true, attributes: { a: 2 }, groups: [], last_login: '2025-02-02T00:00:00.000Z', has_usable_password: false, date_joined: '2025-01-01T00:00:00.000Z' });
    expect(usernames(real)).toEqual(['alice', 'bob', 'carol', 'temp2', 'xavier', 'yvonne']);
    expect(user(real, 'xavier')).toMatchObject({ last_login: null, is_active: true });
    // The created-then-deleted user went through the real workspace and is gone again.
    expect(result.applied.map((a) => a.type)).toEqual(['user_created', 'user_updated', 'last_login', 'password_unusable', 'user_created', 'user_deleted']);
    expect(result.applied[4]!.pk).toBe(result.applied[5]!.pk);
    expect(result.applied[4]!.pk).not.toBe(gone.pk);
  });

  describe('divergence of an existing user', () => {
    let effects: RunEffect[];
    let bobPk: number;
    beforeEach(async () => {
      engine = createWorkspaceEngine(real);
      await editProfile(engine, 'bob', { username: 'bob', name: 'Bobby' });
      engine.writer.deleteUser(engine.workspace.findUsers({ username: 'carol' })[0]!.pk);
      effects = engine.effects();
      bobPk = user(real, 'bob')!.pk;
    });

    const cases: [string, (ws: Workspace) => Promise<unknown> | unknown, RegExp][] = [
      ['deleted', (ws) => ws.services.users.delete(user(ws, 'bob')!.pk), /user bob no longer exists/],
      ['renamed', (ws) => ws.services.users.update({ pk: user(ws, 'bob')!.pk, patch: { username: 'bobby' } }), /was renamed to "bobby"/],
      ['the same field changed', (ws) => ws.services.users.update({ pk: user(ws, 'bob')!.pk, patch: { name: 'Roberto' } }), /changed in the workspace since the run \(name\)/],
      [
        're-created (another user with the name)',
        async (ws) => {
          ws.services.users.delete(user(ws, 'bob')!.pk);
          await ws.services.users.create({ username: 'bob', name: 'Bob' });
        },
        /belongs to another user/,
      ],
    ];
    it.each(cases)('%s: a conflict, nothing applied', async (_label, diverge, reason) => {
      await diverge(real);
      const before = real.services.users.list();
      const result = await applyRunEffects(real, effects);
      expect(result.applied).toEqual([]);
      expect(result.conflicts).toHaveLength(1);
      expect(result.conflicts[0]).toMatchObject({ index: 0, type: 'user_updated', username: 'bob', sandbox_pk: bobPk });
      expect(result.conflicts[0]!.reason).toMatch(reason);
      // carol's deletion was not applied either.
      expect(real.services.users.list()).toEqual(before);
    });

    it('the field already has the value the run sets: no conflict', async () => {
      real.services.users.update({ pk: bobPk, patch: { name: 'Bobby' } });
      const result = await applyRunEffects(real, effects);
      expect(result.conflicts).toEqual([]);
      expect(usernames(real)).toEqual(['alice', 'bob']);
    });

    it('a user to delete that is gone already is a conflict', async () => {
      real.services.users.delete(user(real, 'carol')!.pk);
      const result = await applyRunEffects(real, effects);
      expect(result.applied).toEqual([]);
      expect(result.conflicts).toMatchObject([{ index: 1, type: 'user_deleted', username: 'carol', reason: 'user carol no longer exists in the workspace' }]);
      expect(user(real, 'bob')!.name).toBe('Bob');
    });

    it('a rename to a username taken meanwhile is a conflict', async () => {
      const e = createWorkspaceEngine(real);
      try {
        await editProfile(e, 'alice', { username: 'alicia', name: 'Alicia' });
        await real.services.users.create({ username: 'alicia' });
        const result = await applyRunEffects(real, e.effects());
        expect(result.conflicts).toMatchObject([{ type: 'user_updated', username: 'alice', reason: expect.stringMatching(/"alicia" is taken/) as string }]);
        expect(user(real, 'alice')!.name).toBe('');
      } finally {
        e.close();
      }
    });
  });

  it('effects round-trip through JSON and are validated at the boundary', async () => {
    engine = createWorkspaceEngine(real);
    await enroll(engine);
    await editProfile(engine, 'bob', { username: 'bob', name: 'Bobby' });
    const effects = engine.effects();
    const json = JSON.stringify(effects);
    const parsed = parseRunEffects(JSON.parse(json));
    expect(parsed).toEqual(effects);
    expect(JSON.stringify(parsed)).toBe(json);

    // Applying what came back from JSON works the same.
    const result = await applyRunEffects(real, JSON.parse(json) as RunEffect[]);
    expect(result.conflicts).toEqual([]);
    expect(await passwordOk(real, 'newbie', PASSPHRASE)).toBe(true);
    expect(user(real, 'bob')!.name).toBe('Bobby');

    // Never a plaintext password, never an unknown effect: INVALID_INPUT, nothing written.
    const plaintext = effects.map((e) => (e.type === 'password_set' ? { ...e, hash: PASSPHRASE } : e));
    await expect(applyRunEffects(real, plaintext)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/argon2id/) as string });
    await expect(applyRunEffects(real, [{ type: 'group_created', pk: 1, username: 'x' }] as unknown as RunEffect[])).rejects.toBeInstanceOf(RpcFailure);
    expect(() => parseRunEffects([{ ...effects[0], extra: true }])).toThrow(RpcFailure);
  });

  it('nothing to apply is a no-op; a read-only workspace is refused', async () => {
    expect(await applyRunEffects(real, [])).toEqual({ applied: [], conflicts: [] });
    const tree = tempTree();
    try {
      const path = join(tree.dir, 'w.sqlite');
      openWorkspace({ path }).close();
      const readonly = openWorkspace({ path, readonly: true });
      try {
        await expect(applyRunEffects(readonly, [{ type: 'user_deleted', pk: 1, username: 'x' }])).rejects.toMatchObject({ code: 'STORE_ERROR' });
      } finally {
        readonly.close();
      }
    } finally {
      tree.cleanup();
    }
  });
});

describe('flowbench run --apply', () => {
  let tree: ReturnType<typeof tempTree>;
  let db: string;
  beforeEach(async () => {
    tree = tempTree();
    db = join(tree.dir, 'workspace.sqlite');
    const ws = openWorkspace({ path: db });
    try {
      await importBlueprint(ws, 'enrollment', fixture('example/flows-enrollment-2-stage.yaml'));
      await ws.services.users.create({ username: 'alice', password: 'correct horse battery' });
    } finally {
      ws.close();
    }
  });
  afterEach(() => tree.cleanup());

  /** `flowbench run ARGV` answering LINES; `meanwhile` runs once the sandbox exists, before the first answer. */
  async function run(argv: string[], lines: string[], meanwhile?: () => Promise<void>): Promise<{ code: number; text: string }> {
    const input = new PassThrough();
    const output = new Writable({ write: (_chunk, _enc, done) => done() });
    const { io, out, err } = capture();
    // The command opens the workspace and copies it into the sandbox before its first await.
    const pending = runCli(['run', ...argv], io, [createRunCommand({ input, output })]);
    await meanwhile?.();
    input.end(lines.map((l) => `${l}\n`).join(''));
    const code = await pending;
    return { code, text: [...out, ...err].join('\n') };
  }
  const answers = ['newbie', PASSPHRASE, PASSPHRASE, 'New Bie', 'newbie@example.org'];
  const readUsers = async (check?: (ws: Workspace) => Promise<void>) => {
    const ws = openWorkspace({ path: db, readonly: true });
    try {
      await check?.(ws);
      return usernames(ws);
    } finally {
      ws.close();
    }
  };

  it('without --apply: lists the effects and writes nothing', async () => {
    const result = await run(['--db', db, '--flow', 'default-enrollment-flow'], answers);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('  effects: 3');
    expect(result.text).toContain('    1. create user newbie (email newbie@example.org, type external)');
    expect(result.text).toContain('    2. set the password of newbie (argon2id hash)');
    expect(result.text).toMatch(/ {4}3\. last login of newbie = \d{4}-/);
    expect(result.text).toContain('3 effect(s) not applied (sandbox); re-run with --apply to write them');
    expect(result.text).not.toContain(PASSPHRASE);
    expect(await readUsers()).toEqual(['alice']);
  });

  it('with --apply: writes them to the --db workspace and says what was applied', async () => {
    const result = await run(['--db', db, '--flow', 'default-enrollment-flow', '--apply'], answers);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('its effects are written to it when the flow completes (--apply)');
    expect(result.text).toContain('  effects: 3');
    expect(result.text).toContain(`✔ Applied 3 effect(s) to ${db}:`);
    expect(result.text).toMatch(/ {4}1\. create user newbie .*\(pk \d+\)/);
    expect(result.text).not.toContain('not applied');
    expect(
      await readUsers(async (ws) => {
        expect(await passwordOk(ws, 'newbie', PASSPHRASE)).toBe(true);
      }),
    ).toEqual(['alice', 'newbie']);

    // The same enrollment again: the username is now taken in the workspace itself, so the
    // run is refused by the flow (nothing to apply).
    const again = await run(['--db', db, '--flow', 'default-enrollment-flow', '--apply'], [...answers, ':quit']);
    expect(again.code).toBe(1);
    expect(await readUsers()).toEqual(['alice', 'newbie']);
  });

  it('with --apply and a workspace that diverged during the run: lists the conflict, writes nothing', async () => {
    const result = await run(['--db', db, '--flow', 'default-enrollment-flow', '--apply'], answers, async () => {
      const ws = openWorkspace({ path: db });
      try {
        await ws.services.users.create({ username: 'newbie', name: 'Someone Else' });
      } finally {
        ws.close();
      }
    });
    expect(result.code, result.text).toBe(1);
    expect(result.text).toContain('✔ Flow completed');
    expect(result.text).toContain(`✖ Nothing applied: ${db} changed since the run was started (1 conflict(s)):`);
    expect(result.text).toMatch(/ {4}1\. user_created newbie: the username "newbie" is taken in the workspace \(user pk \d+\)/);
    expect(
      await readUsers(async (ws) => {
        expect(user(ws, 'newbie')).toMatchObject({ name: 'Someone Else', has_usable_password: false, last_login: null });
      }),
    ).toEqual(['alice', 'newbie']);
  });

  it('with --apply after a denial: nothing is written', async () => {
    const result = await run(['--db', db, '--flow', 'default-enrollment-flow', '--user', 'alice', '--apply'], []);
    expect(result.code).toBe(1);
    expect(result.text).toContain('✖ Access denied');
    expect(await readUsers()).toEqual(['alice']);
  });
});
