import { describe, expect, it } from 'vitest';
import { respond, runSessionUser, startRun, type StepResult } from '../../../../src/main/engine/executor';
import { PASSWORD, request, World } from '../fixtures';
import { bindStage, expectStatus } from '../executor/helpers';
import {
  errorsOf,
  IDENTIFICATION_STAGE,
  INBUILT,
  PASSWORD_STAGE,
  prompt,
  PROMPT_STAGE,
  USER_LOGIN_STAGE,
  USER_WRITE_STAGE,
  userWithPassword,
} from './core';

/**
 * Whole flows through startRun/respond, shaped like authentik's default blueprints: sign-in,
 * enrollment and password change with identification, password, prompt, user_write and
 * user_login together.
 */

function signInWorld(identification: Record<string, unknown> = {}) {
  const world = new World();
  const flow = world.flow({ slug: 'default-authentication-flow', title: 'Welcome to authentik!', designation: 'authentication' });
  bindStage(world, flow, 10, { name: 'default-authentication-identification', kind: IDENTIFICATION_STAGE, config: { user_fields: ['email', 'username'], ...identification } });
  bindStage(world, flow, 20, { name: 'default-authentication-password', kind: PASSWORD_STAGE, config: { backends: [INBUILT] } });
  bindStage(world, flow, 100, { name: 'default-authentication-login', kind: USER_LOGIN_STAGE, config: {} });
  const alice = userWithPassword(world, { username: 'alice', email: 'alice@example.org', name: 'Alice' }, 'correct horse battery');
  const start = () => startRun(world.engine, { flow: flow.slug, request: request() });
  return { world, flow, alice, start };
}

describe('sign-in (identification → password → login)', () => {
  it('a wrong password shows response_errors; the right one logs alice in', async () => {
    const { world, alice, start } = signInWorld();
    const ident = expectStatus(await start(), 'challenge', 'ak-stage-identification');
    const pw = expectStatus(await respond(world.engine, ident.state, { uid_field: 'alice' }), 'challenge', 'ak-stage-password');
    expect(pw.response).toMatchObject({ pending_user: 'alice', flow_info: { title: 'Welcome to authentik!' } });
    const retry = expectStatus(await respond(world.engine, pw.state, { password: 'wrong' }), 'challenge', 'ak-stage-password');
    expect(errorsOf(retry)).toEqual({ password: [{ string: 'Invalid password', code: 'invalid' }] });
    const done = expectStatus(await respond(world.engine, retry.state, { password: 'correct horse battery' }), 'completed', 'xak-flow-redirect');
    expect(done.response).toMatchObject({ to: '/' });
    expect(runSessionUser(world.engine, done.state)?.username).toBe('alice');
    expect(done.state.session.data).toMatchObject({ backend: INBUILT });
    expect(done.state.stages_run).toEqual(['default-authentication-identification', 'default-authentication-password', 'default-authentication-login']);
    expect(world.engine.events.query({ action: 'login' })).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ pk: alice.pk }), context: { auth_method: 'password', auth_method_args: {} } }),
    ]);
    expect(world.engine.events.query({ action: 'login_failed' })).toHaveLength(1);
    // −1 for the wrong password, +1 for the login.
    expect(world.engine.reputation.score({ identifier: 'alice' })).toBe(0);
    expect(done.messages).toEqual([{ level: 'success', message: 'Successfully logged in!' }]);
  });

  it('email login, case-insensitive', async () => {
    const { world, start } = signInWorld();
    const ident = await start();
    const pw = expectStatus(await respond(world.engine, ident.state, { uid_field: 'Alice@Example.ORG' }), 'challenge', 'ak-stage-password');
    expect(pw.response).toMatchObject({ pending_user: 'alice' });
    const done = expectStatus(await respond(world.engine, pw.state, { password: 'correct horse battery' }), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('alice');
  });

  it('an inactive user: even the right password is "Invalid password"; the fifth failure cancels the flow', async () => {
    const { world, start } = signInWorld();
    userWithPassword(world, { username: 'carol', is_active: false }, 'pw');
    const ident = await start();
    let step: StepResult = await respond(world.engine, ident.state, { uid_field: 'carol' });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      step = await respond(world.engine, step.state, { password: 'pw' });
      expect(errorsOf(step)).toEqual({ password: [{ string: 'Invalid password', code: 'invalid' }] });
    }
    const denied = expectStatus(await respond(world.engine, step.state, { password: 'pw' }), 'denied', 'ak-stage-access-denied');
    expect(denied.response).toMatchObject({ error_message: 'Invalid password', pending_user: 'carol' });
    expect(denied.state.session.user).toBeNull();
    expect(denied.state.outcome).toMatchObject({ result: 'denied', stage: 'default-authentication-password' });
  });

  it('an unknown user with pretend_user_exists: the password stage is shown for the typed name and never succeeds', async () => {
    const { world, start } = signInWorld();
    const ident = await start();
    const pw = expectStatus(await respond(world.engine, ident.state, { uid_field: 'mallory@example.org' }), 'challenge', 'ak-stage-password');
    expect(pw.response).toMatchObject({ pending_user: 'mallory@example.org' });
    const retry = await respond(world.engine, pw.state, { password: 'guess' });
    expect(errorsOf(retry)).toEqual({ password: [{ string: 'Invalid password', code: 'invalid' }] });
    // Identification −1, the failed password −1.
    expect(world.engine.reputation.score({ identifier: 'mallory@example.org' })).toBe(-2);
    expect(retry.state.session.user).toBeNull();
  });

  it('an unknown user without pretend_user_exists is told "Failed to authenticate." at identification', async () => {
    const { world, start } = signInWorld({ pretend_user_exists: false });
    const ident = await start();
    const retry = expectStatus(await respond(world.engine, ident.state, { uid_field: 'mallory' }), 'challenge', 'ak-stage-identification');
    expect(errorsOf(retry)).toEqual({ non_field_errors: [{ string: 'Failed to authenticate.', code: 'invalid' }] });
  });
});

function enrollmentWorld() {
  const world = new World();
  const users = world.group({ name: 'enrolled' });
  const fields = [
    prompt(world, { field_key: 'username', type: 'username', label: 'Username', order: 0 }),
    prompt(world, { field_key: 'name', type: 'text', label: 'Name', order: 1 }),
    prompt(world, { field_key: 'email', type: 'email', label: 'Email', order: 2 }),
    prompt(world, { field_key: 'password', type: 'password', label: 'Password', order: 3 }),
    prompt(world, { field_key: 'password_repeat', type: 'password', label: 'Password (repeat)', order: 4 }),
  ];
  const flow = world.flow({ slug: 'default-enrollment-flow', designation: 'enrollment', authentication: 'require_unauthenticated' });
  bindStage(world, flow, 10, { name: 'default-enrollment-prompt', kind: PROMPT_STAGE, config: { fields: fields.map((f) => f.pk) } });
  bindStage(world, flow, 20, { name: 'default-enrollment-user-write', kind: USER_WRITE_STAGE, config: { create_users_group: users.pk, user_type: 'internal' } });
  bindStage(world, flow, 100, { name: 'default-enrollment-user-login', kind: USER_LOGIN_STAGE, config: {} });
  const start = () => startRun(world.engine, { flow: flow.slug, request: request() });
  return { world, users, start };
}

const NEWBIE = { username: 'newbie', name: 'New Bie', email: 'newbie@example.org', password: 'a long passphrase', password_repeat: 'a long passphrase' };

describe('enrollment (prompt → user_write → login)', () => {
  it('creates the user from the form and logs it in', async () => {
    const { world, users, start } = enrollmentWorld();
    const form = expectStatus(await start(), 'challenge', 'ak-stage-prompt');
    expect((form.response?.fields as { field_key: string }[]).map((f) => f.field_key)).toEqual(['username', 'name', 'email', 'password', 'password_repeat']);
    const done = expectStatus(await respond(world.engine, form.state, NEWBIE), 'completed', 'xak-flow-redirect');
    const created = world.ws.findUsers({ username: 'newbie' })[0];
    expect(created).toMatchObject({ name: 'New Bie', email: 'newbie@example.org', type: 'internal', is_active: true, groups: [users.pk], has_usable_password: true });
    expect(await world.engine.passwords.verify(created!.pk, 'a long passphrase')).toBe(true);
    expect(runSessionUser(world.engine, done.state)?.username).toBe('newbie');
    expect(done.state.stages_run).toEqual(['default-enrollment-prompt', 'default-enrollment-user-write', 'default-enrollment-user-login']);
    expect(world.engine.events.query({ action: 'user_write' })[0]).toMatchObject({ context: { username: 'newbie', password: '********************', created: true } });
  });

  it('a taken username is refused at the form', async () => {
    const { world, start } = enrollmentWorld();
    world.user({ username: 'newbie' });
    const form = await start();
    const retry = expectStatus(await respond(world.engine, form.state, NEWBIE), 'challenge', 'ak-stage-prompt');
    expect(errorsOf(retry)).toEqual({ username: [{ string: 'Username is already taken.', code: 'invalid' }] });
    expect(world.ws.findUsers({ username: 'newbie' })).toHaveLength(1);
  });

  it('mismatching passwords are refused; fixing them enrolls', async () => {
    const { world, start } = enrollmentWorld();
    const form = await start();
    const retry = expectStatus(await respond(world.engine, form.state, { ...NEWBIE, password_repeat: 'something else' }), 'challenge', 'ak-stage-prompt');
    expect(errorsOf(retry)).toEqual({ non_field_errors: [{ string: "Passwords don't match.", code: 'invalid' }] });
    expectStatus(await respond(world.engine, retry.state, NEWBIE), 'completed');
  });
});

describe('password change (prompt with a password policy → user_write)', () => {
  function changeWorld() {
    const world = new World();
    const policy = world.policy(PASSWORD, {
      length_min: 8,
      amount_digits: 1,
      error_message: 'At least 8 characters with a digit.',
      check_zxcvbn: true,
      zxcvbn_score_threshold: 2,
    });
    const fields = [
      prompt(world, { field_key: 'password', type: 'password', label: 'Password', order: 0 }),
      prompt(world, { field_key: 'password_repeat', type: 'password', label: 'Password (repeat)', order: 1 }),
    ];
    const flow = world.flow({ slug: 'default-password-change', designation: 'stage_configuration', authentication: 'require_authenticated' });
    bindStage(world, flow, 0, { name: 'default-password-change-prompt', kind: PROMPT_STAGE, config: { fields: fields.map((f) => f.pk), validation_policies: [policy.pk] } });
    bindStage(world, flow, 1, { name: 'default-password-change-write', kind: USER_WRITE_STAGE, config: { user_creation_mode: 'never_create' } });
    const alice = userWithPassword(world, { username: 'alice', name: 'Alice', email: 'alice@example.org' }, 'old password 1');
    const start = () => startRun(world.engine, { flow: flow.slug, request: request({ session_user: alice }) });
    return { world, alice, start };
  }

  it('static rules, then zxcvbn ("Password is too weak." + suggestions), then the new password is stored', async () => {
    const { world, alice, start } = changeWorld();
    const form = expectStatus(await start(), 'challenge', 'ak-stage-prompt');
    const tooShort = await respond(world.engine, form.state, { password: 'abc', password_repeat: 'abc' });
    expect(errorsOf(tooShort)).toEqual({ non_field_errors: [{ string: 'At least 8 characters with a digit.', code: 'invalid' }] });

    const weak = await respond(world.engine, tooShort.state, { password: 'password1', password_repeat: 'password1' });
    const messages = errorsOf(weak).non_field_errors?.map((e) => e.string) ?? [];
    expect(messages[0]).toBe('Password is too weak.');
    expect(messages.length).toBeGreaterThan(1);
    expect(weak.events.find((e) => e.type === 'stage_policies')).toMatchObject({ passing: false, trace: { user: { username: 'alice' } } });

    const done = expectStatus(await respond(world.engine, weak.state, { password: 'Vivid-Otter-Carousel-93', password_repeat: 'Vivid-Otter-Carousel-93' }), 'completed');
    expect(await world.engine.passwords.verify(alice.pk!, 'Vivid-Otter-Carousel-93')).toBe(true);
    expect(await world.engine.passwords.verify(alice.pk!, 'old password 1')).toBe(false);
    expect(world.engine.events.query({ action: 'password_set' })).toHaveLength(1);
    // The session stays logged in (authentik updates the session hash).
    expect(runSessionUser(world.engine, done.state)?.username).toBe('alice');
  });
});
