import { describe, expect, it } from 'vitest';
import { type JsonValue } from '../../../../src/shared/model';
import { startRun } from '../../../../src/main/engine/executor';
import { placeholderUser, userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, DUMMY_STAGE, expectStatus } from '../executor/helpers';
import { INBUILT, logLines, USER_WRITE_STAGE, userWithPassword } from './core';
import { lastContext } from './helpers';

function writeWorld(config: Record<string, unknown> = {}) {
  const world = new World();
  const flow = world.flow({ designation: 'enrollment' });
  const { stage } = bindStage(world, flow, 0, { name: 'write', kind: USER_WRITE_STAGE, config });
  bindStage(world, flow, 1, { name: 'after', kind: DUMMY_STAGE });
  const run = (context: Record<string, JsonValue>, sessionUser = null as ReturnType<World['user']> | null) =>
    startRun(world.engine, { flow: flow.slug, request: request({ session_user: sessionUser }), context });
  return { world, flow, stage, run };
}

const ENROLL = {
  username: 'newbie',
  email: 'newbie@example.org',
  name: 'New Bie',
  password: 'correct horse',
  password_repeat: 'correct horse',
  component: 'ak-stage-prompt',
};

describe('user_write — creating users', () => {
  it('no pending user: a new user from prompt_data (external, users, active), password set, pending_user saved', async () => {
    const { world, run } = writeWorld();
    const result = expectStatus(await run({ prompt_data: ENROLL }), 'challenge', 'ak-stage-dummy');
    const [created] = world.ws.findUsers({ username: 'newbie' });
    expect(created).toMatchObject({
      username: 'newbie',
      email: 'newbie@example.org',
      name: 'New Bie',
      is_active: true,
      type: 'external',
      path: 'users',
      attributes: {},
      groups: [],
      has_usable_password: true,
      password_change_date: '2025-01-01T00:00:00.000Z',
      date_joined: '2025-01-01T00:00:00.000Z',
    });
    expect(await world.engine.passwords.verify(created!.pk, 'correct horse')).toBe(true);
    const context = lastContext(result.state);
    expect(context.pending_user).toEqual({ $user: created!.pk });
    expect(context.user_backend).toBe(INBUILT);
    // authentik pops `component` from the context's prompt_data.
    expect(context.prompt_data).not.toHaveProperty('component');
    expect(world.engine.events.query({ action: 'user_write' })).toEqual([
      expect.objectContaining({
        user: { pk: created!.pk, username: 'newbie', email: 'newbie@example.org' },
        context: { ...ENROLL, component: undefined, password: '********************', password_repeat: '********************', created: true },
      }),
    ]);
    expect(world.engine.events.query({ action: 'password_set' })).toEqual([]);
    expect(result.events.filter((e) => e.type === 'side_effect').map((e) => (e as { action: string }).action)).toEqual(['create_user', 'set_password']);
  });

  it('create_users_as_inactive, create_users_group and context.groups', async () => {
    const { world, run } = writeWorld({ create_users_as_inactive: true });
    const staff = world.group({ name: 'staff' });
    const extra = world.group({ name: 'extra' });
    const other = writeWorld({ create_users_group: staff.pk });
    other.world.ws.put('group', staff);
    other.world.ws.put('group', extra);
    await run({ prompt_data: { username: 'dormant' } });
    expect(world.ws.findUsers({ username: 'dormant' })[0]).toMatchObject({ is_active: false });
    await other.run({ prompt_data: { username: 'member' }, groups: [extra.pk] });
    expect(other.world.ws.findUsers({ username: 'member' })[0]?.groups).toEqual([staff.pk, extra.pk]);
  });

  it('type and path: the context overrides the stage; internal_service_account becomes service_account; an unknown type falls back', async () => {
    const { world, run } = writeWorld({ user_type: 'internal', user_path_template: 'users/enrolled' });
    await run({ prompt_data: { username: 'a' } });
    await run({ prompt_data: { username: 'b' }, user_type: 'internal_service_account', user_path: 'robots' });
    await run({ prompt_data: { username: 'c' }, user_type: 'wizard' });
    expect(world.ws.findUsers({ username: 'a' })[0]).toMatchObject({ type: 'internal', path: 'users/enrolled' });
    expect(world.ws.findUsers({ username: 'b' })[0]).toMatchObject({ type: 'service_account', path: 'robots' });
    expect(world.ws.findUsers({ username: 'c' })[0]).toMatchObject({ type: 'internal' });
  });

  it('never_create without a pending user → "No user found and can\'t create new user."', async () => {
    const { run } = writeWorld({ user_creation_mode: 'never_create' });
    const denied = expectStatus(await run({ prompt_data: { username: 'x' } }), 'denied', 'ak-stage-access-denied');
    expect(denied.response).toMatchObject({ error_message: "No user found and can't create new user." });
  });

  it('always_create creates a new user even with a pending user', async () => {
    const { world, run } = writeWorld({ user_creation_mode: 'always_create' });
    const alice = world.user({ username: 'alice' });
    await run({ prompt_data: { username: 'second' }, pending_user: userRef(alice) });
    expect(world.ws.findUsers({ username: 'second' })).toHaveLength(1);
    expect(world.ws.userByPk(alice.pk!)?.username).toBe('alice');
  });

  it('a placeholder pending user (pretend_user_exists) is saved from its data (created: false)', async () => {
    const { world, run } = writeWorld();
    await run({ prompt_data: { name: 'Ghost' }, pending_user: userRef(placeholderUser({ username: 'ghost@example.org', email: 'ghost@example.org' })) });
    expect(world.ws.findUsers({ username: 'ghost@example.org' })[0]).toMatchObject({ email: 'ghost@example.org', name: 'Ghost', type: 'internal' });
    expect(world.engine.events.query({ action: 'user_write' })[0]?.context.created).toBe(false);
  });
});

describe('user_write — errors', () => {
  it('no prompt_data → "No Pending data."', async () => {
    const { run } = writeWorld();
    expect((await run({})).response).toMatchObject({ component: 'ak-stage-access-denied', error_message: 'No Pending data.' });
  });

  it('an empty username → stage_invalid without a message ("Unknown error")', async () => {
    const { world, run } = writeWorld();
    const denied = expectStatus(await run({ prompt_data: { email: 'x@example.org' } }), 'denied');
    expect(denied.response).toMatchObject({ error_message: 'Unknown error' });
    expect(logLines(denied).join('\n')).toMatch(/Aborting write to empty username/);
    expect(world.ws.findUsers({ email: 'x@example.org' })).toEqual([]);
  });

  it('a taken username → "Failed to update user. Please try again later.", nothing written', async () => {
    const { world, run } = writeWorld();
    world.user({ username: 'taken' });
    const denied = expectStatus(await run({ prompt_data: { username: 'taken', password: 'pw' } }), 'denied');
    expect(denied.response).toMatchObject({ error_message: 'Failed to update user. Please try again later.' });
    expect(world.ws.findUsers({ username: 'taken' })).toHaveLength(1);
    expect(world.engine.events.query({ action: 'user_write' })).toEqual([]);
  });

  it('a null username or an unknown group in context.groups → "Failed to update user. Please try again later."', async () => {
    const { run } = writeWorld();
    expect((await run({ prompt_data: { username: null } })).response).toMatchObject({ error_message: 'Failed to update user. Please try again later.' });
    expect((await run({ prompt_data: { username: 'g' }, groups: ['00000000-0000-4000-8000-0000000fffff'] })).response).toMatchObject({
      error_message: 'Failed to update user. Please try again later.',
    });
  });
});

describe('user_write — updating users', () => {
  it('the pending user is updated: fields, attributes (merged, dotted, underscored), groups and unknown keys discarded', async () => {
    const { world, run } = writeWorld();
    const staff = world.group({ name: 'staff' });
    const alice = world.user({ username: 'alice', email: 'old@example.org', attributes: { keep: 1, settings: { theme: 'dark' } }, groups: [staff.pk] });
    const result = await run({
      pending_user: userRef(alice),
      prompt_data: {
        email: 'new@example.org',
        attributes: { added: true },
        'attributes.settings.locale': 'de',
        attributes_my_key: 'underscored',
        groups: ['ignored'],
        favourite_colour: 'blue',
        first_name: 'Alice',
      },
    });
    expectStatus(result, 'challenge', 'ak-stage-dummy');
    expect(world.ws.userByPk(alice.pk!)).toMatchObject({
      username: 'alice',
      email: 'new@example.org',
      groups: [staff.pk],
      // Underscores count as dots: attributes_my_key writes attributes.my.key.
      attributes: { keep: 1, added: true, settings: { theme: 'dark', locale: 'de' }, my: { key: 'underscored' } },
    });
    const logs = logLines(result).join('\n');
    expect(logs).toMatch(/discarding key \(key=groups\)/);
    expect(logs).toMatch(/discarding key \(key=favourite_colour\)/);
    expect(logs).toMatch(/first_name: authentik's User has this field, Flowbench does not store it/);
    expect(world.engine.events.query({ action: 'user_write' })[0]).toMatchObject({ user: { username: 'alice' }, context: { created: false } });
  });

  it('an authenticated request user is the default pending user; a new password records password_set', async () => {
    const { world, run } = writeWorld({ user_creation_mode: 'never_create' });
    const alice = userWithPassword(world, { username: 'alice' }, 'old password');
    const result = expectStatus(await run({ prompt_data: { password: 'new password' } }, alice), 'challenge', 'ak-stage-dummy');
    expect(await world.engine.passwords.verify(alice.pk!, 'new password')).toBe(true);
    expect(await world.engine.passwords.verify(alice.pk!, 'old password')).toBe(false);
    expect(world.ws.userByPk(alice.pk!)?.password_change_date).toBe('2025-01-01T00:00:00.000Z');
    expect(world.engine.events.query({ action: 'password_set' })).toEqual([expect.objectContaining({ user: expect.objectContaining({ username: 'alice' }) })]);
    expect(logLines(result).join('\n')).toMatch(/Updated session hash/);
    expect(result.state.session.user).toEqual({ $user: alice.pk });
  });

  it('password None makes the password unusable (Django make_password(None))', async () => {
    const { world, run } = writeWorld();
    const alice = userWithPassword(world, { username: 'alice' }, 'pw');
    await run({ pending_user: userRef(alice), prompt_data: { password: null } });
    expect(world.ws.userByPk(alice.pk!)?.has_usable_password).toBe(false);
    expect(await world.engine.passwords.verify(alice.pk!, 'pw')).toBe(false);
  });

  it('a nested attributes path through a non-dict value, or unusable_password, is a flow error (Python raises)', async () => {
    const { world, run } = writeWorld();
    const alice = world.user({ username: 'alice', attributes: { settings: 'flat' } });
    expectStatus(await run({ pending_user: userRef(alice), prompt_data: { 'attributes.settings.locale': 'de' } }), 'error', 'ak-stage-flow-error');
    expectStatus(await run({ pending_user: userRef(alice), prompt_data: { unusable_password: true } }), 'error', 'ak-stage-flow-error');
  });

  it('without a writer nothing is saved and the trace says so', async () => {
    const { world, flow } = writeWorld();
    const readOnly = { ...world.engine, writer: null };
    const result = expectStatus(await startRun(readOnly, { flow: flow.slug, request: request(), context: { prompt_data: { username: 'dry' } } }), 'challenge');
    expect(world.ws.findUsers({ username: 'dry' })).toEqual([]);
    expect(result.events.find((e) => e.type === 'side_effect')).toMatchObject({ action: 'create_user', applied: false });
    expect(logLines(result).join('\n')).toMatch(/no writer/);
  });
});
