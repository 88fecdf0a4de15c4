import { describe, expect, it } from 'vitest';
import { type Flow } from '../../../../src/shared/model';
import { respond, startRun } from '../../../../src/main/engine/executor';
import { request, World } from '../fixtures';
import { bindStage, DUMMY_STAGE, expectStatus } from '../executor/helpers';
import { CAPTCHA_STAGE, errorsOf, IDENTIFICATION_STAGE, logLines, PASSWORD_STAGE, planContext, userWithPassword } from './core';
import { lastContext } from './helpers';

function identWorld(config: Record<string, unknown> = {}, flowInput: Partial<Flow> = {}) {
  const world = new World();
  const flow = world.flow(flowInput);
  const { stage, binding } = bindStage(world, flow, 0, { name: 'ident', kind: IDENTIFICATION_STAGE, config: { user_fields: ['username', 'email'], ...config } });
  bindStage(world, flow, 10, { name: 'after', kind: DUMMY_STAGE });
  return { world, flow, stage, binding };
}

const FAILED = { non_field_errors: [{ string: 'Failed to authenticate.', code: 'invalid' }] };

describe('identification — challenge', () => {
  it('an authentication flow: "Log in", the fields, no password/captcha, sources [], no links', async () => {
    const { world, flow } = identWorld();
    const result = expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'challenge', 'ak-stage-identification');
    expect(result.response).toEqual({
      flow_info: expect.objectContaining({ title: 'Test flow' }),
      component: 'ak-stage-identification',
      primary_action: 'Log in',
      user_fields: ['username', 'email'],
      password_fields: false,
      captcha_stage: null,
      allow_show_password: false,
      show_source_labels: false,
      flow_designation: 'authentication',
      enable_remember_me: false,
      sources: [],
    });
  });

  it('other designations say "Continue"; links to enrollment/recovery/passwordless flows carry the query', async () => {
    const world = new World();
    const enroll = world.flow({ slug: 'enroll', designation: 'enrollment' });
    const recover = world.flow({ slug: 'recover', designation: 'recovery' });
    const passwordless = world.flow({ slug: 'webauthn', designation: 'authentication' });
    const flow = world.flow({ designation: 'recovery' });
    bindStage(world, flow, 0, {
      kind: IDENTIFICATION_STAGE,
      config: { user_fields: ['email'], enrollment_flow: enroll.pk, recovery_flow: recover.pk, passwordless_flow: passwordless.pk, show_source_labels: true, enable_remember_me: true },
    });
    const result = await startRun(world.engine, { flow: flow.slug, request: request(), query: { next: '/app' } });
    expect(result.response).toMatchObject({
      primary_action: 'Continue',
      flow_designation: 'recovery',
      enroll_url: '/if/flow/enroll/?next=%2Fapp',
      recovery_url: '/if/flow/recover/?next=%2Fapp',
      passwordless_url: '/if/flow/webauthn/?next=%2Fapp',
      show_source_labels: true,
      enable_remember_me: true,
    });
    const bare = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(bare.response).toMatchObject({ enroll_url: '/if/flow/enroll/' });
  });

  it('application_pre is the name of context.application; configured sources are not simulated (logged)', async () => {
    const { world, flow } = identWorld({ sources: ['00000000-0000-4000-8000-00000000abcd'] });
    const result = await startRun(world.engine, { flow: flow.slug, request: request(), context: { application: { name: 'Grafana', slug: 'grafana' } } });
    expect(result.response).toMatchObject({ application_pre: 'Grafana', sources: [] });
    expect(logLines(result).join('\n')).toMatch(/sources .* not simulated/);
  });

  it('an embedded password stage: password_fields, and allow_show_password from that stage', async () => {
    const world = new World();
    const password = world.stage({ kind: PASSWORD_STAGE, config: { backends: ['authentik.core.auth.InbuiltBackend'], allow_show_password: true } });
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'], password_stage: password.pk } });
    expect((await startRun(world.engine, { flow: flow.slug, request: request() })).response).toMatchObject({ password_fields: true, allow_show_password: true });
  });

  it('an embedded captcha stage: {js_url, site_key, interactive, pending_user "", avatar}', async () => {
    const world = new World();
    const captcha = world.stage({ kind: CAPTCHA_STAGE, config: { public_key: 'site', private_key: 'secret', interactive: true } });
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'], captcha_stage: captcha.pk } });
    expect((await startRun(world.engine, { flow: flow.slug, request: request() })).response).toMatchObject({
      captcha_stage: { js_url: 'https://www.recaptcha.net/recaptcha/api.js', site_key: 'site', interactive: true, pending_user: '', pending_user_avatar: expect.any(String) },
    });
  });
});

describe('identification — finding the user', () => {
  it('username or email, case-insensitive by default; the pending user is the stored user', async () => {
    const { world, flow } = identWorld();
    const alice = world.user({ username: 'alice', email: 'Alice@Example.org' });
    for (const uid of ['alice', 'ALICE', 'alice@example.org']) {
      const first = await startRun(world.engine, { flow: flow.slug, request: request() });
      const done = expectStatus(await respond(world.engine, first.state, { uid_field: uid }), 'challenge', 'ak-stage-dummy');
      expect(planContext(done.state).pending_user).toEqual({ $user: alice.pk });
      expect(planContext(done.state)).not.toHaveProperty('pending_user_identifier');
    }
    expect(world.engine.reputation.records()).toEqual([]);
  });

  it('exact matching when case_insensitive_matching is off', async () => {
    const { world, flow } = identWorld({ case_insensitive_matching: false, pretend_user_exists: false });
    world.user({ username: 'alice' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: 'Alice' }))).toEqual(FAILED);
    expectStatus(await respond(world.engine, first.state, { uid_field: 'alice' }), 'challenge', 'ak-stage-dummy');
  });

  it('upn is attributes.upn; only the configured fields are searched; the first match by pk wins', async () => {
    const { world, flow } = identWorld({ user_fields: ['upn'], pretend_user_exists: false });
    const first = world.user({ username: 'u1', attributes: { upn: 'someone@corp.example' } });
    world.user({ username: 'u2', attributes: { upn: 'SOMEONE@corp.example' } });
    const start = await startRun(world.engine, { flow: flow.slug, request: request() });
    const done = await respond(world.engine, start.state, { uid_field: 'someone@CORP.example' });
    expect(planContext(done.state).pending_user).toEqual({ $user: first.pk });
    // The username is not searched when only upn is configured.
    expect(errorsOf(await respond(world.engine, start.state, { uid_field: 'u1' }))).toEqual(FAILED);
  });

  it('no user_fields: nobody matches', async () => {
    const { world, flow } = identWorld({ user_fields: [], pretend_user_exists: false });
    world.user({ username: 'alice' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const result = await respond(world.engine, first.state, { uid_field: 'alice' });
    expect(errorsOf(result)).toEqual(FAILED);
    expect(logLines(result).join('\n')).toMatch(/Empty user query/);
  });

  it('uid_field is required and not blank (DRF texts)', async () => {
    const { world, flow } = identWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, {}))).toEqual({ uid_field: [{ string: 'This field is required.', code: 'required' }] });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: '  ' }))).toEqual({ uid_field: [{ string: 'This field may not be blank.', code: 'blank' }] });
  });

  it('show_matched_user off: pending_user_identifier is what was typed (the challenge title shows it)', async () => {
    const world = new World();
    const flow = world.flow({ title: 'Hello %(user)s' });
    bindStage(world, flow, 0, { kind: IDENTIFICATION_STAGE, config: { user_fields: ['email'], show_matched_user: false } });
    bindStage(world, flow, 1, { kind: DUMMY_STAGE });
    const alice = world.user({ username: 'alice', email: 'alice@example.org' });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const next = await respond(world.engine, first.state, { uid_field: 'ALICE@example.org' });
    expect(planContext(next.state)).toMatchObject({ pending_user: { $user: alice.pk }, pending_user_identifier: 'ALICE@example.org' });
    expect(next.response).toMatchObject({ flow_info: { title: 'Hello ALICE@example.org' } });
  });
});

describe('identification — unknown identifiers', () => {
  it('pretend_user_exists (default): passes with an unsaved placeholder, reputation −1 for (identifier, IP)', async () => {
    const { world, flow } = identWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const next = expectStatus(await respond(world.engine, first.state, { uid_field: 'nobody@example.org' }), 'challenge', 'ak-stage-dummy');
    expect(lastContext(next.state).pending_user).toEqual({ $user: 'placeholder', data: { username: 'nobody@example.org', email: 'nobody@example.org' } });
    expect(world.engine.reputation.score({ identifier: 'nobody@example.org' })).toBe(-1);
    expect(world.engine.reputation.records()).toEqual([expect.objectContaining({ identifier: 'nobody@example.org', ip: '192.0.2.10', score: -1 })]);
    expect(logLines(next).join('\n')).toMatch(/invalid_login \(identifier=nobody@example.org/);
    expect(world.engine.events.query()).toEqual([]);
  });

  it('pretend_user_exists off: "Failed to authenticate." — but the placeholder (and identifier) are in the context', async () => {
    const { world, flow } = identWorld({ pretend_user_exists: false, show_matched_user: false });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const retry = expectStatus(await respond(world.engine, first.state, { uid_field: 'ghost' }), 'challenge', 'ak-stage-identification');
    expect(errorsOf(retry)).toEqual(FAILED);
    expect(planContext(retry.state)).toMatchObject({
      pending_user: { $user: 'placeholder', data: { username: 'ghost', email: 'ghost' } },
      pending_user_identifier: 'ghost',
    });
    expect(world.engine.reputation.score({ identifier: 'ghost' })).toBe(-1);
  });

  it('pretend_user_exists is ignored when a password stage is embedded', async () => {
    const world = new World();
    const password = world.stage({ kind: PASSWORD_STAGE, config: { backends: ['authentik.core.auth.InbuiltBackend'] } });
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: IDENTIFICATION_STAGE, config: { user_fields: ['username'], password_stage: password.pk, pretend_user_exists: true } });
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: 'ghost', password: 'x' }))).toEqual(FAILED);
    // No backend ran for an unknown identifier: no login_failed.
    expect(world.engine.events.query({ action: 'login_failed' })).toEqual([]);
  });
});

describe('identification — embedded password and captcha', () => {
  function comboWorld(captcha = false) {
    const world = new World();
    const password = world.stage({ name: 'pw', kind: PASSWORD_STAGE, config: { backends: ['authentik.core.auth.InbuiltBackend'] } });
    const captchaStage = captcha ? world.stage({ kind: CAPTCHA_STAGE, config: { public_key: 'site', private_key: 'secret' } }) : null;
    const flow = world.flow();
    const { stage } = bindStage(world, flow, 0, {
      name: 'ident',
      kind: IDENTIFICATION_STAGE,
      config: { user_fields: ['username'], password_stage: password.pk, captcha_stage: captchaStage?.pk ?? null },
    });
    bindStage(world, flow, 1, { kind: DUMMY_STAGE });
    const alice = userWithPassword(world, { username: 'alice' }, 'right horse');
    return { world, flow, stage, alice };
  }

  it('the right password: pending user carrying its backend (authentik user.backend), auth_method password (user_backend is not set here)', async () => {
    const { world, flow, alice } = comboWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    const next = expectStatus(await respond(world.engine, first.state, { uid_field: 'alice', password: 'right horse' }), 'challenge', 'ak-stage-dummy');
    expect(lastContext(next.state)).toEqual({
      pending_user: { $user: alice.pk, backend: 'authentik.core.auth.InbuiltBackend' },
      auth_method: 'password',
      auth_method_args: {},
    });
  });

  it('a wrong or missing password: "Failed to authenticate.", login_failed in the identification stage\'s name, reputation −1', async () => {
    const { world, flow, stage, alice } = comboWorld();
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: 'alice', password: 'wrong' }))).toEqual(FAILED);
    const missing = await respond(world.engine, first.state, { uid_field: 'alice' });
    expect(errorsOf(missing)).toEqual(FAILED);
    expect(logLines(missing).join('\n')).toMatch(/Password not set for ident\+auth attempt/);
    const events = world.engine.events.query({ action: 'login_failed', order: 'oldest' });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      user: { pk: alice.pk, username: 'alice' },
      client_ip: '192.0.2.10',
      context: {
        username: 'alice',
        password: '********************',
        stage: { pk: stage.pk.replaceAll('-', ''), app: 'authentik_stages_identification', model_name: 'identificationstage', name: 'ident' },
      },
    });
    expect(world.engine.reputation.score({ identifier: 'alice' })).toBe(-2);
  });

  it('the captcha is checked first: a rejected or missing token fails without trying the password', async () => {
    const { world, flow } = comboWorld(true);
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: 'alice', password: 'right horse', captcha_token: 'flowbench-captcha-fail' }))).toEqual(FAILED);
    const missing = await respond(world.engine, first.state, { uid_field: 'alice', password: 'right horse' });
    expect(errorsOf(missing)).toEqual(FAILED);
    expect(logLines(missing).join('\n')).toMatch(/Token not set for captcha attempt/);
    expect(world.engine.events.query({ action: 'login_failed' })).toEqual([]);
    expectStatus(await respond(world.engine, first.state, { uid_field: 'alice', password: 'right horse', captcha_token: 'pass' }), 'challenge', 'ak-stage-dummy');
  });

  it('a captcha score outside the stage thresholds fails', async () => {
    const { world, flow } = comboWorld(true);
    const first = await startRun(world.engine, { flow: flow.slug, request: request() });
    expect(errorsOf(await respond(world.engine, first.state, { uid_field: 'alice', password: 'right horse', captcha_token: 'pass:0.2' }))).toEqual(FAILED);
  });
});
