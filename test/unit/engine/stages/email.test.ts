import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cancelRun, navigate, respond, runSessionUser, saveRunFlowToken, startRun } from '../../../../src/main/engine/executor';
import { sha256Hex } from '../../../../src/main/engine/stages/sha256';
import { placeholderUser, userRef } from '../../../../src/main/engine/users';
import { request, World } from '../fixtures';
import { bindStage, expectStatus, USER_LOGIN_STAGE } from '../executor/helpers';
import { EMAIL_STAGE } from './helpers';

function emailWorld(config: Record<string, unknown> = {}, designation: 'recovery' | 'enrollment' | 'authentication' = 'recovery') {
  const world = new World();
  const user = world.user({ username: 'alice', name: 'Alice Example', email: 'alice@example.org' });
  const flow = world.flow({ slug: 'recover', designation });
  bindStage(world, flow, 0, { name: 'email', kind: EMAIL_STAGE, config });
  bindStage(world, flow, 1, { name: 'after-email' });
  return { world, user, flow };
}

describe('email stage — sending', () => {
  it('GET with a pending user: one message in the outbox with the flow link, ak-stage-email, email_sent', async () => {
    const { world, user, flow } = emailWorld();
    const result = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/after' }, context: { pending_user: userRef(user) } }),
      'challenge',
      'ak-stage-email',
    );
    expect(result.response).toMatchObject({ flow_info: { title: 'Test flow' }, flowbench_notice: expect.stringContaining('outbox') });
    expect(result.response).not.toHaveProperty('pending_user');
    const messages = world.engine.outbox.list();
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    const token = world.engine.flowTokens.list()[0]!;
    expect(message).toMatchObject({
      from: 'system@authentik.local',
      to: 'alice@example.org',
      to_name: 'Alice Example',
      subject: 'authentik',
      template: 'email/password_reset.html',
      url: `/if/flow/recover/?next=%2Fafter&flow_token=${token.key}`,
      link: { flow: 'recover', query: { next: '/after', flow_token: token.key } },
      stage: 'email',
      flow_slug: 'recover',
      created: '2025-01-01T00:00:00.000Z',
    });
    expect(message.body).toContain(message.url);
    expect(message.body).toContain('Hi Alice Example,');
    // token_expiry (30 minutes) + 1 minute, for the pending user, revoked when used.
    expect(token).toMatchObject({ flow_pk: flow.pk, user_pk: user.pk, expires: '2025-01-01T00:31:00.000Z', revoke_on_execution: true });
    expect(result.state.plan?.context).toMatchObject({ email_sent: true });
    // A second GET does not send again.
    await navigate(world.engine, result.state, { flow: 'recover' });
    expect(world.engine.outbox.list()).toHaveLength(1);
  });

  it('context.email overrides the recipient; subject, template, sender and expiry come from the stage', async () => {
    const { world, user, flow } = emailWorld({ subject: 'Confirm', template: 'email/account_confirmation.html', from_address: 'idp@example.org', token_expiry: 'hours=2' });
    await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user), email: 'other@example.org' } });
    expect(world.engine.outbox.list()[0]).toMatchObject({ to: 'other@example.org', subject: 'Confirm', template: 'email/account_confirmation.html', from: 'idp@example.org' });
    expect(world.engine.outbox.list()[0]?.body).toContain('Confirm your email address');
    expect(world.engine.flowTokens.list()[0]?.expires).toBe('2025-01-01T02:01:00.000Z');
  });

  it('a POST is always invalid ("email-sent") and sends the mail again', async () => {
    const { world, user, flow } = emailWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const again = expectStatus(await respond(world.engine, first.state, {}), 'challenge', 'ak-stage-email');
    expect(again.response?.response_errors).toEqual({ non_field_errors: [{ string: 'email-sent', code: 'email-sent' }] });
    expect(again.messages).toEqual([{ level: 'success', message: 'Email Successfully sent.' }]);
    expect(world.engine.outbox.list()).toHaveLength(2);
    expect(world.engine.flowTokens.list()).toHaveLength(2);
  });

  it('re-sending is rate limited per email (recovery_max_attempts within recovery_cache_timeout)', async () => {
    const { world, user, flow } = emailWorld({ recovery_max_attempts: 2, recovery_cache_timeout: 'minutes=5' });
    let state = (await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } })).state;
    for (let i = 0; i < 2; i += 1) state = (await respond(world.engine, state, {})).state;
    expect(world.engine.outbox.list()).toHaveLength(3);
    world.engine.clock.set('2025-01-01T00:01:30Z');
    const limited = await respond(world.engine, state, {});
    expect(limited.messages).toEqual([{ level: 'error', message: 'Too many account verification attempts. Please try again after 4 minutes.' }]);
    expect(limited.response?.response_errors).toEqual({ non_field_errors: [{ string: 'email-sent', code: 'email-sent' }] });
    expect(world.engine.outbox.list()).toHaveLength(3);
    const key = `goauthentik.io/stages/email/stage/${createHash('sha256').update('alice@example.org').digest('hex')}`;
    expect(world.engine.cache.keys('goauthentik.io/stages/email/')).toEqual([key]);
    world.engine.clock.set('2025-01-01T00:05:01Z');
    const allowed = await respond(world.engine, limited.state, {});
    expect(allowed.messages).toEqual([{ level: 'success', message: 'Email Successfully sent.' }]);
    expect(world.engine.outbox.list()).toHaveLength(4);
  });

  it('no pending user → access denied ("Unknown error") with the "No pending user." message', async () => {
    const { world, flow } = emailWorld();
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Unknown error' });
    expect(result.messages).toEqual([{ level: 'error', message: 'No pending user.' }]);
    expect(world.engine.outbox.list()).toEqual([]);
  });

  it('recovery flow with an unknown (unsaved) pending user: the same screen, no mail, no token', async () => {
    const { world, flow } = emailWorld();
    const result = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(placeholderUser({ username: 'nobody' })) } }),
      'challenge',
      'ak-stage-email',
    );
    expect(result.state.plan?.context).toMatchObject({ email_sent: true });
    expect(world.engine.outbox.list()).toEqual([]);
    expect(world.engine.flowTokens.list()).toEqual([]);
  });

  it('without an outbox port the stage fails loudly', async () => {
    const { world, user, flow } = emailWorld();
    const deps = { ...world.engine, outbox: null };
    const result = expectStatus(await startRun(deps, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }), 'error');
    expect(result.events.find((e) => e.type === 'stage_error')).toMatchObject({ error: expect.stringContaining('outbox') });
  });
});

describe('email stage — the link', () => {
  it('opening the link restores the plan (is_restored): the stage passes with "Successfully verified Email."', async () => {
    const { world, user, flow } = emailWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const link = world.engine.outbox.newest()!.link!;
    const opened = expectStatus(await navigate(world.engine, first.state, link), 'challenge', 'ak-stage-dummy');
    expect(opened.response).toMatchObject({ name: 'after-email' });
    expect(opened.messages).toEqual([{ level: 'success', message: 'Successfully verified Email.' }]);
    expect(opened.state.stages_run).toEqual(['email', 'email', 'after-email']);
    // The token is revoked: the link works once.
    expect(world.engine.flowTokens.list()).toEqual([]);
  });

  it('in another browser (no session plan) the link restores the saved plan', async () => {
    const { world, user, flow } = emailWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const elsewhere = cancelRun({ ...first.state, session: { user: null, key: 'other-browser', data: {} } });
    const opened = expectStatus(await navigate(world.engine, elsewhere, world.engine.outbox.newest()!.link!), 'challenge', 'ak-stage-dummy');
    expect(opened.state.plan?.context).toMatchObject({ pending_user: { $user: user.pk }, is_restored: { $flow_token: expect.any(String) } });
  });

  it('activate_user_on_success activates the pending user', async () => {
    const { world, user, flow } = emailWorld({ activate_user_on_success: true }, 'enrollment');
    world.ws.put('user', { ...world.ws.userByPk(user.pk!)!, is_active: false });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    expect(world.ws.userByPk(user.pk!)?.is_active).toBe(false);
    const opened = await navigate(world.engine, first.state, world.engine.outbox.newest()!.link!);
    expect(world.ws.userByPk(user.pk!)?.is_active).toBe(true);
    expect(opened.events.find((e) => e.type === 'side_effect')).toMatchObject({ action: 'activate_user', applied: true });
  });

  it('a token issued for another user → access denied', async () => {
    const { world, user, flow } = emailWorld();
    const mallory = world.user({ username: 'mallory' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    const key = saveRunFlowToken(world.engine, first.state, { userPk: mallory.pk });
    const result = expectStatus(await navigate(world.engine, first.state, { flow: 'recover', query: { flow_token: key } }), 'denied', 'ak-stage-access-denied');
    expect(result.response).toMatchObject({ error_message: 'Unknown error' });
  });

  it('an expired link is not restored: the email screen stays (no new mail)', async () => {
    const { world, user, flow } = emailWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } });
    world.engine.clock.set('2025-01-01T00:31:00Z');
    const late = expectStatus(await navigate(world.engine, first.state, world.engine.outbox.newest()!.link!), 'challenge', 'ak-stage-email');
    expect(late.events.find((e) => e.type === 'flow_token')).toMatchObject({ restored: false });
    expect(world.engine.outbox.list()).toHaveLength(1);
  });

  it('recovery end to end: mail, link, then the login stage logs the user in', async () => {
    const world = new World();
    const user = world.user({ username: 'alice', email: 'alice@example.org' });
    const flow = world.flow({ slug: 'default-recovery-flow', designation: 'recovery' });
    bindStage(world, flow, 10, { name: 'recovery-email', kind: EMAIL_STAGE, config: {} });
    bindStage(world, flow, 20, { name: 'recovery-login', kind: USER_LOGIN_STAGE, config: {} });
    const first = expectStatus(
      await startRun(world.engine, { flow: flow.slug, request: request(), context: { pending_user: userRef(user) } }),
      'challenge',
      'ak-stage-email',
    );
    const done = expectStatus(await navigate(world.engine, first.state, world.engine.outbox.newest({ to: 'ALICE@example.org' })!.link!), 'completed');
    expect(runSessionUser(world.engine, done.state)?.username).toBe('alice');
    expect(done.state.stages_run).toEqual(['recovery-email', 'recovery-email', 'recovery-login']);
  });
});

describe('sha256Hex', () => {
  it('matches Node for ASCII, UTF-8 and block-boundary lengths', () => {
    for (const text of ['', 'abc', 'alice@example.org', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'ünïcödé'.repeat(30)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
