import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type JsonValue } from '@shared/model';
import { createWorkspaceEngine, type WorkspaceEngine } from '../../../src/main/engine-adapter';
import { type RunEvent, respond, startRun, type StepResult } from '../../../src/main/engine/executor';
import { planFlow } from '../../../src/main/engine/planner';
import { type PolicyTrace } from '../../../src/main/engine/policy';
import { type EngineUser, type SimRequest } from '../../../src/main/engine/ports';
import { engineUser } from '../../../src/main/engine/users';
import { openWorkspace, type Workspace } from '../../../src/main/workspace';
import { useNodeExpressionRuntime } from '../../support/expression-runtime';
import { FIXTURES } from '../flowtest/helpers';

/**
 * Every expression in the fixture blueprints (`../shared/fixtures/authentik-blueprints/`), run
 * in real Python (the Node child host) in the situation authentik runs it in: a flow-level
 * policy at plan time, a stage binding's policy when a ReevaluateMarker re-runs it, a prompt
 * stage's validation policy on submit, a prompt's initial value when the challenge is built.
 * Expected outcomes: src/main/expressions/AUTHENTIK-FACTS.md §6 (from authentik's source and
 * docs). Cases no flow can reach are evaluated through `policies.test` with the context
 * authentik would hand the policy. Needs the built child (`npx electron-vite build`).
 */

const runtimeOf = useNodeExpressionRuntime();
const opened: { close(): void }[] = [];
afterEach(() => {
  while (opened.length > 0) opened.pop()!.close();
});

/** A fresh in-memory workspace with the given fixture blueprints imported, expressions in real Python. */
async function workspaceWith(...fixtures: string[]): Promise<Workspace> {
  const ws = openWorkspace({ path: ':memory:', expressions: runtimeOf() });
  opened.push(ws);
  const report = await ws.services.blueprints.import(fixtures.map((name) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })));
  expect(report.ok, JSON.stringify(report.issues)).toBe(true);
  return ws;
}

function engineFor(ws: Workspace): WorkspaceEngine {
  const engine = createWorkspaceEngine(ws, { expressions: runtimeOf() });
  opened.push(engine);
  return engine;
}

function request(overrides: Partial<SimRequest> = {}): SimRequest {
  return { ip: '127.0.0.1', user_agent: 'flowbench-test', query: {}, geoip: null, asn: null, session_user: null, ...overrides };
}

function userNamed(engine: WorkspaceEngine, username: string): EngineUser {
  const user = engine.workspace.findUsers({ username })[0];
  if (!user) throw new Error(`no user ${username}`);
  return engineUser(engine.workspace, user);
}

/** `policies.test` (authentik's policy test API: fresh binding, failure_result false, debug). */
function policyTest(ws: Workspace, policy: string, input: { user?: string; context?: Record<string, JsonValue> } = {}) {
  return ws.services.policyTests.run({ policy, user: input.user ?? null, context: input.context ?? {} });
}

/** Every event of the steps so far. */
function eventsOf(...steps: StepResult[]): RunEvent[] {
  return steps.flatMap((step) => step.events);
}

/** The re-evaluation of the binding of stage `stage` (ReevaluateMarker). */
function reevaluation(events: RunEvent[], stage: string): { passing: boolean; trace: PolicyTrace } {
  const found = events.find((e): e is Extract<RunEvent, { type: 'reevaluate' }> => e.type === 'reevaluate' && e.binding.stage.name === stage);
  if (!found) throw new Error(`no re-evaluation of ${stage} in ${events.map((e) => e.type).join(', ')}`);
  return found;
}

/** The flow-level policy trace of the (first) plan. */
function planTrace(events: RunEvent[]): Extract<RunEvent, { type: 'plan' }> {
  const found = events.find((e): e is Extract<RunEvent, { type: 'plan' }> => e.type === 'plan');
  if (!found) throw new Error('no plan event');
  return found;
}

function promptValidation(events: RunEvent[]): Extract<RunEvent, { type: 'stage_policies' }> {
  const found = events.filter((e): e is Extract<RunEvent, { type: 'stage_policies' }> => e.type === 'stage_policies').at(-1);
  if (!found) throw new Error('no prompt validation');
  return found;
}

/** The stage name of a flow stage binding (plans list binding pks). */
function stageNameOfBinding(engine: WorkspaceEngine, flowPk: string, bindingPk: string): string | undefined {
  const binding = engine.workspace.flowStageBindings(flowPk).find((b) => b.pk === bindingPk);
  return binding ? engine.workspace.stageByPk(binding.stage)?.name : undefined;
}

/** A policy's result inside a trace, by policy name. */
function resultOf(trace: PolicyTrace, policy: string) {
  const result = trace.results.find((r) => r.policy?.name === policy);
  if (!result) throw new Error(`${policy} not in the trace`);
  return result;
}

const PASSWORD = 'correct horse battery staple';

// -----------------------------------------------------------------------------------------------

describe('default/flow-default-authentication-flow.yaml — default-authentication-flow-password-stage', () => {
  const POLICY = 'default-authentication-flow-password-stage';
  const FIXTURE = 'default/flow-default-authentication-flow.yaml';

  async function setup() {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'alice', email: 'alice@example.org', password: PASSWORD });
    return ws;
  }

  it('without a flow_plan in the context (flow-level or policy-test use): True', async () => {
    const ws = await setup();
    // authentik: `if not flow_plan: return True`.
    const result = await policyTest(ws, POLICY, { user: 'alice' });
    expect(result).toMatchObject({ passing: true, raw_result: true, messages: [], error: null, outcome: 'returned' });
  });

  it('a pending user identified only (no backend): the password stage is kept', async () => {
    const ws = await setup();
    const engine = engineFor(ws);
    const start = await startRun(engine, { flow: 'default-authentication-flow', request: request() });
    expect(start.response?.component).toBe('ak-stage-identification');
    const ident = await respond(engine, start.state, { component: 'ak-stage-identification', uid_field: 'alice' });
    // authentik: `not hasattr(pending_user, "backend")` → True; the binding re-evaluates and keeps the stage.
    expect(ident.response).toMatchObject({ component: 'ak-stage-password', pending_user: 'alice' });
    const reeval = reevaluation(eventsOf(ident), 'default-authentication-password');
    expect(reeval.passing).toBe(true);
    expect(resultOf(reeval.trace, POLICY)).toMatchObject({ passing: true, raw_result: true, error: null });
    const done = await respond(engine, ident.state, { component: 'ak-stage-password', password: PASSWORD });
    expect(done.status).toBe('completed');
    expect(done.state.stages_run).toContain('default-authentication-password');
  });

  it('the password given at identification (pending user with a backend): the password stage is skipped', async () => {
    const ws = await setup();
    // The fixture's identification stage has no password_stage; authentik admins set one to ask
    // for the password on the first screen — that is what this expression exists for.
    const stages = ws.services.stages.list();
    const ident = stages.find((s) => s.name === 'default-authentication-identification')!;
    const password = stages.find((s) => s.name === 'default-authentication-password')!;
    ws.services.stages.update({ pk: ident.pk, patch: { config: { ...ident.config, password_stage: password.pk } } });
    const engine = engineFor(ws);
    const start = await startRun(engine, { flow: 'default-authentication-flow', request: request() });
    expect(start.response).toMatchObject({ component: 'ak-stage-identification', password_fields: true });
    const done = await respond(engine, start.state, { component: 'ak-stage-identification', uid_field: 'alice', password: PASSWORD });
    // authentik: authenticate() set user.backend → `not hasattr(...)` is False → the stage is removed
    // (failure_result true does not apply: the policy returned, it did not raise).
    const reeval = reevaluation(eventsOf(done), 'default-authentication-password');
    expect(reeval.passing).toBe(false);
    expect(resultOf(reeval.trace, POLICY)).toMatchObject({ passing: false, raw_result: false, error: null, outcome: 'returned' });
    expect(done.status).toBe('completed');
    expect(done.state.stages_run).toEqual([
      'default-authentication-identification',
      'default-authentication-mfa-validation',
      'default-authentication-login',
    ]);
  });
});

// -----------------------------------------------------------------------------------------------

describe('default/flow-default-source-enrollment.yaml — if-sso (flow, plan time) and if-username (prompt binding)', () => {
  const FIXTURE = 'default/flow-default-source-enrollment.yaml';

  it('is_sso true and no prompt_data: the flow applies and the username prompt is shown', async () => {
    const engine = engineFor(await workspaceWith(FIXTURE));
    const step = await startRun(engine, { flow: 'default-source-enrollment', request: request(), context: { is_sso: true } });
    // authentik: `return ak_is_sso_flow` → True; `'username' not in context.get('prompt_data', {})` → True.
    expect(resolveOutcome(step)).toBe('challenge');
    expect(step.response?.component).toBe('ak-stage-prompt');
    const plan = planTrace(eventsOf(step));
    expect(resultOf(plan.traces[0]!, 'default-source-enrollment-if-sso')).toMatchObject({ passing: true, raw_result: true });
    expect(resultOf(reevaluation(eventsOf(step), 'default-source-enrollment-prompt').trace, 'default-source-enrollment-if-username')).toMatchObject({
      passing: true,
      raw_result: true,
    });
  });

  for (const context of [{}, { is_sso: false }] as Record<string, JsonValue>[]) {
    it(`context ${JSON.stringify(context)} (is_sso absent or false): the flow does not apply`, async () => {
      const engine = engineFor(await workspaceWith(FIXTURE));
      const step = await startRun(engine, { flow: 'default-source-enrollment', request: request(), context });
      // authentik: ak_is_sso_flow = context.get("is_sso", False) → falsy → FlowNonApplicable.
      expect(step.status).toBe('denied');
      const plan = planTrace(eventsOf(step));
      expect(plan.outcome).toBe('not_applicable');
      expect(resultOf(plan.traces[0]!, 'default-source-enrollment-if-sso')).toMatchObject({ passing: false, raw_result: false, messages: [] });
    });
  }

  it('a username from the source in prompt_data: the prompt is skipped and the user is written', async () => {
    const ws = await workspaceWith(FIXTURE);
    const engine = engineFor(ws);
    const step = await startRun(engine, {
      flow: 'default-source-enrollment',
      request: request(),
      context: { is_sso: true, prompt_data: { username: 'from-idp' } },
    });
    // authentik: 'username' in prompt_data → False → the prompt binding is removed at re-evaluation.
    const reeval = reevaluation(eventsOf(step), 'default-source-enrollment-prompt');
    expect(reeval.passing).toBe(false);
    expect(resultOf(reeval.trace, 'default-source-enrollment-if-username')).toMatchObject({ passing: false, raw_result: false });
    expect(step.state.stages_run).not.toContain('default-source-enrollment-prompt');
    expect(engine.target.services.users.list().map((u) => u.username)).toContain('from-idp');
  });

  it('if-username on its own: {} and other keys → True, a username (even "") → False', async () => {
    const ws = await workspaceWith(FIXTURE);
    const policy = 'default-source-enrollment-if-username';
    expect((await policyTest(ws, policy, { context: { prompt_data: {} } })).passing).toBe(true);
    expect((await policyTest(ws, policy, { context: { prompt_data: { email: 'x@example.org' } } })).passing).toBe(true);
    expect((await policyTest(ws, policy, { context: { prompt_data: { username: '' } } })).passing).toBe(false);
  });

  it('if-username with prompt_data None: the exception path with CPython\'s TypeError text', async () => {
    const ws = await workspaceWith(FIXTURE);
    const none = await policyTest(ws, 'default-source-enrollment-if-username', { context: { prompt_data: null } });
    // authentik (CPython 3.12/3.13): TypeError "argument of type 'NoneType' is not iterable" → failure_result (False).
    // Pyodide's CPython 3.14 words the same TypeError "… is not a container or iterable": a
    // difference of interpreter versions, not of semantics (same exception, same path).
    expect(none).toMatchObject({ passing: false, outcome: 'policy_exception' });
    expect(none.messages).toEqual([expect.stringMatching(/^argument of type 'NoneType' is not (a container or )?iterable$/)]);
  });
});

/** The prompt challenge's fields. */
function promptFields(step: StepResult): { field_key: string; initial_value: string }[] {
  return (step.response as unknown as { fields: { field_key: string; initial_value: string }[] }).fields;
}

/** status, for readable failures. */
function resolveOutcome(step: StepResult): string {
  return step.status === 'denied' ? `denied: ${JSON.stringify(step.response)}` : step.status;
}

describe('default/flow-default-source-authentication.yaml — default-source-authentication-if-sso', () => {
  it('applies only when the planner context has is_sso true', async () => {
    const engine = engineFor(await workspaceWith('default/flow-default-source-authentication.yaml'));
    const flow = engine.workspace.flowBySlug('default-source-authentication')!;
    // authentik: `return ak_is_sso_flow` at plan time (flow-level binding).
    const sso = await planFlow(engine, { flow, request: request(), context: { is_sso: true }, useCache: false });
    expect(sso.ok).toBe(true);
    for (const context of [{}, { is_sso: false }] as Record<string, JsonValue>[]) {
      const plain = await planFlow(engine, { flow, request: request(), context, useCache: false });
      expect(plain.ok).toBe(false);
      expect(resultOf(plain.traces[0]!, 'default-source-authentication-if-sso')).toMatchObject({ passing: false, raw_result: false });
    }
  });
});

// -----------------------------------------------------------------------------------------------

describe('example/flows-login-2fa.yaml — test-not-app-password on the MFA binding', () => {
  const POLICY = 'test-not-app-password';

  it('a password sign-in (auth_method "password"): the MFA binding stays', async () => {
    const ws = await workspaceWith('example/flows-login-2fa.yaml');
    await ws.services.users.create({ username: 'alice', password: PASSWORD });
    const engine = engineFor(ws);
    let step = await startRun(engine, { flow: 'default-authentication-flow', request: request() });
    step = await respond(engine, step.state, { component: 'ak-stage-identification', uid_field: 'alice' });
    step = await respond(engine, step.state, { component: 'ak-stage-password', password: PASSWORD });
    // authentik: the password stage sets auth_method "password" → `!= "app_password"` → True.
    const reeval = reevaluation(eventsOf(step), 'default-authentication-mfa-validation');
    expect(reeval.passing).toBe(true);
    expect(resultOf(reeval.trace, POLICY)).toMatchObject({ passing: true, raw_result: true });
    expect(step.status).toBe('completed');
    expect(step.state.stages_run).toContain('default-authentication-mfa-validation');
  });

  it('no auth_method → True; "password" → True; "app_password" → False', async () => {
    const ws = await workspaceWith('example/flows-login-2fa.yaml');
    expect((await policyTest(ws, POLICY)).passing).toBe(true);
    expect((await policyTest(ws, POLICY, { context: { auth_method: 'password' } })).passing).toBe(true);
    expect(await policyTest(ws, POLICY, { context: { auth_method: 'app_password' } })).toMatchObject({ passing: false, raw_result: false, messages: [] });
  });
});

describe('example/flows-recovery-email-verification.yaml — default-recovery-skip-if-restored', () => {
  const POLICY = 'default-recovery-skip-if-restored';

  it('a new plan (is_restored absent): False, so the identification binding (evaluate_on_plan, negate false) is not planned', async () => {
    const ws = await workspaceWith('example/flows-recovery-email-verification.yaml');
    await ws.services.users.create({ username: 'alice', email: 'alice@example.org', password: PASSWORD });
    const engine = engineFor(ws);
    const flow = engine.workspace.flowBySlug('default-recovery-flow')!;
    const alice = userNamed(engine, 'alice');
    const plan = await planFlow(engine, { flow, request: request(), context: { pending_user: { $user: alice.pk! } }, useCache: false });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    // authentik: request.context.get('is_restored', False) → False.
    const trace = plan.traces.find((t) => t.results.some((r) => r.policy?.name === POLICY))!;
    expect(resultOf(trace, POLICY)).toMatchObject({ passing: false, raw_result: false });
    const names = plan.plan.bindings.map((pk) => stageNameOfBinding(engine, flow.pk, pk));
    expect(names).not.toContain('default-recovery-identification');
  });

  it('is_restored set (the flow token): True, and the raw result is the token itself', async () => {
    const ws = await workspaceWith('example/flows-recovery-email-verification.yaml');
    expect((await policyTest(ws, POLICY)).passing).toBe(false);
    const token = { identifier: 'ak-recovery-token', flow: 'default-recovery-flow' };
    // authentik: returns the FlowToken (truthy) → passing True, raw_result = the token.
    expect(await policyTest(ws, POLICY, { context: { is_restored: token } })).toMatchObject({ passing: true, raw_result: token });
  });
});

// -----------------------------------------------------------------------------------------------

describe('default/flow-oobe.yaml — initial setup', () => {
  const FIXTURE = 'default/flow-oobe.yaml';
  const STARTED_BY = 'goauthentik.io/core/setup/started-by';
  const INVALID_URL = 'Enter a valid URL, for example https://authentik.company';
  const https = { host: 'auth.example.com', scheme: 'https' as const };

  it('not started by the setup view: False with a message carrying the absolute URL', async () => {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'akadmin' });
    const engine = engineFor(ws);
    const step = await startRun(engine, { flow: 'initial-setup', request: request(https) });
    // authentik: started_by != "setup" → ak_message(f"... {request.http_request.build_absolute_uri('/')}"), False.
    const message = 'Access the authentik setup by navigating to https://auth.example.com/';
    expect(step.status).toBe('denied');
    expect(step.response).toMatchObject({ component: 'ak-stage-access-denied', error_message: message });
    const plan = planTrace(eventsOf(step));
    expect(resultOf(plan.traces[0]!, 'default-oobe-password-usable')).toMatchObject({ passing: false, raw_result: false, messages: [message] });
  });

  it('started by setup, akadmin without a usable password: True; the prompt shows the base URL; the prefill policy sets pending_user to akadmin', async () => {
    const ws = await workspaceWith(FIXTURE);
    const akadmin = await ws.services.users.create({ username: 'akadmin' });
    expect(akadmin.has_usable_password).toBe(false);
    const engine = engineFor(ws);
    const start = await startRun(engine, { flow: 'initial-setup', request: request(https), context: { [STARTED_BY]: 'setup' } });
    expect(resolveOutcome(start)).toBe('challenge');
    // authentik: `akadmin is None or not akadmin.has_usable_password()` → True.
    expect(resultOf(planTrace(eventsOf(start)).traces[0]!, 'default-oobe-password-usable')).toMatchObject({ passing: true, raw_result: true, messages: [] });
    // authentik: initial_value_expression `request.http_request.build_absolute_uri("/").rstrip("/")`.
    const fields = promptFields(start);
    expect(fields.find((f) => f.field_key === 'base_url')?.initial_value).toBe('https://auth.example.com');

    const done = await respond(engine, start.state, {
      component: 'ak-stage-prompt',
      email: 'admin@example.org',
      base_url: 'https://auth.example.com',
      password: PASSWORD,
      password_repeat: PASSWORD,
    });
    expect(resolveOutcome(done)).toBe('completed');
    expect(resultOf(promptValidation(eventsOf(done)).trace, 'default-oobe-base-url-valid')).toMatchObject({ passing: true, messages: [] });
    // authentik: `context["flow_plan"].context["pending_user"] = ak_user_by(username="akadmin")` writes the live plan.
    const reeval = reevaluation(eventsOf(done), 'default-password-change-write');
    expect(resultOf(reeval.trace, 'default-oobe-prefill-user')).toMatchObject({ passing: true, raw_result: true });
    const flowPk = engine.workspace.flowBySlug('initial-setup')!.pk;
    const planAtWrite = done.state.history.find((p) => p.bindings.length > 0 && stageNameOfBinding(engine, flowPk, p.bindings[0]!) === 'default-password-change-write');
    expect(planAtWrite?.context.pending_user).toEqual({ $user: akadmin.pk });
    // … so user_write (never_create) updates akadmin, and user_login logs akadmin in.
    const after = engine.target.services.users.list().find((u) => u.username === 'akadmin')!;
    expect(after).toMatchObject({ email: 'admin@example.org', has_usable_password: true });
    expect(await engine.passwords.verify(akadmin.pk, PASSWORD)).toBe(true);
    expect(done.state.session.user).toEqual({ $user: akadmin.pk });
  });

  it('started by setup, akadmin with a usable password: False without a message (the flow does not apply)', async () => {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'akadmin', password: PASSWORD });
    const engine = engineFor(ws);
    const step = await startRun(engine, { flow: 'initial-setup', request: request(https), context: { [STARTED_BY]: 'setup' } });
    expect(step.status).toBe('denied');
    expect(resultOf(planTrace(eventsOf(step)).traces[0]!, 'default-oobe-password-usable')).toMatchObject({ passing: false, raw_result: false, messages: [] });
  });

  it('started by setup, no akadmin at all: True', async () => {
    const ws = await workspaceWith(FIXTURE);
    const result = await policyTest(ws, 'default-oobe-password-usable', { context: { [STARTED_BY]: 'setup' } });
    expect(result).toMatchObject({ passing: true, raw_result: true, messages: [] });
  });

  it('the prefill policy without a flow_plan: KeyError → failure_result False with the message "\'flow_plan\'"', async () => {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'akadmin' });
    const result = await policyTest(ws, 'default-oobe-prefill-user');
    // authentik: the exception path, message str(KeyError('flow_plan')).
    expect(result).toMatchObject({ passing: false, outcome: 'policy_exception', messages: ["'flow_plan'"] });
  });

  it('a bad base URL in the prompt: the prompt is shown again with the policy message', async () => {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'akadmin' });
    const engine = engineFor(ws);
    const start = await startRun(engine, { flow: 'initial-setup', request: request(https), context: { [STARTED_BY]: 'setup' } });
    const again = await respond(engine, start.state, {
      component: 'ak-stage-prompt',
      email: 'admin@example.org',
      base_url: 'authentik.company',
      password: PASSWORD,
      password_repeat: PASSWORD,
    });
    // authentik: prompt validation policies (ListPolicyEngine, ALL) → ValidationError(messages).
    expect(again.status).toBe('challenge');
    expect(again.response).toMatchObject({
      component: 'ak-stage-prompt',
      response_errors: { non_field_errors: [{ string: INVALID_URL, code: 'invalid' }] },
    });
    expect(promptValidation(eventsOf(again))).toMatchObject({ passing: false, messages: [INVALID_URL] });
  });

  // authentik: Django's URLValidator (AUTHENTIK-FACTS §6, §7); empty is left to `required`.
  const VALID = [
    '',
    '   ',
    'https://authentik.company',
    'http://localhost:9000',
    'http://127.0.0.1',
    'http://[::1]:9000',
    'ftp://files.example.org',
    'HTTPS://Example.COM/path?q=1#f',
    'http://user:pw@example.com',
    'http://example.com.',
    'http://bücher.example',
    'http://xn--bcher-kva.example',
  ];
  const INVALID = [
    'authentik.company',
    'ws://x.example',
    'https://authentik',
    'http://example.c',
    'http://a_b.example.com',
    'http://-x.example',
    'http://256.1.1.1',
    'http://1.2.3',
    'http://example.com:',
    'http://exa mple.com',
    'http://[::g]',
  ];

  it('default-oobe-base-url-valid: the URL table (prompt_data as the prompt stage passes it)', async () => {
    const ws = await workspaceWith(FIXTURE);
    const policy = 'default-oobe-base-url-valid';
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const url of VALID) {
      const r = await policyTest(ws, policy, { context: { prompt_data: { base_url: url } } });
      outcomes[url] = { passing: r.passing, messages: r.messages };
      expected[url] = { passing: true, messages: [] };
    }
    for (const url of INVALID) {
      const r = await policyTest(ws, policy, { context: { prompt_data: { base_url: url } } });
      outcomes[url] = { passing: r.passing, messages: r.messages };
      expected[url] = { passing: false, messages: [INVALID_URL] };
    }
    const missing = await policyTest(ws, policy, { context: { prompt_data: {} } });
    outcomes['(missing)'] = { passing: missing.passing, messages: missing.messages };
    expected['(missing)'] = { passing: true, messages: [] };
    expect(outcomes).toEqual(expected);
  });
});

// -----------------------------------------------------------------------------------------------

describe('default/flow-default-user-settings-flow.yaml — initial values and default-user-settings-authorization', () => {
  const FIXTURE = 'default/flow-default-user-settings-flow.yaml';
  const EMAIL_DENIED = 'Not allowed to change email address.';
  const USERNAME_DENIED = 'Not allowed to change username.';
  const unchanged = { username: 'alice', name: 'Alice Example', email: 'alice@example.org', 'attributes.settings.locale': 'de' };

  async function setup(options: { groupAttributes?: Record<string, JsonValue>; userAttributes?: Record<string, JsonValue> } = {}) {
    const ws = await workspaceWith(FIXTURE);
    const groups = options.groupAttributes ? [ws.services.groups.create({ name: 'staff', attributes: options.groupAttributes }).pk] : [];
    await ws.services.users.create({
      username: 'alice',
      name: 'Alice Example',
      email: 'alice@example.org',
      password: PASSWORD,
      attributes: { settings: { locale: 'de' }, ...options.userAttributes },
      groups,
    });
    const engine = engineFor(ws);
    const start = await startRun(engine, { flow: 'default-user-settings-flow', request: request({ session_user: userNamed(engine, 'alice') }) });
    expect(resolveOutcome(start)).toBe('challenge');
    return { ws, engine, start };
  }

  async function submit(options: Parameters<typeof setup>[0], values: Record<string, string>) {
    const { engine, start } = await setup(options);
    const step = await respond(engine, start.state, { component: 'ak-stage-prompt', ...unchanged, ...values });
    return { engine, step, validation: promptValidation(eventsOf(step)) };
  }

  it('the initial values are the session user\'s username, name, email and locale', async () => {
    const { start } = await setup();
    // authentik: `try: return user.<x> except: return ''` with `user` = the pending/session user.
    const fields = promptFields(start);
    expect(Object.fromEntries(fields.map((f) => [f.field_key, f.initial_value]))).toEqual(unchanged);
  });

  it('nothing changed: True', async () => {
    const { step, validation } = await submit({}, {});
    expect(validation).toMatchObject({ passing: true, messages: [] });
    expect(step.status).toBe('completed');
  });

  it('the name changed (default_user_change_name True): True, and the name is written', async () => {
    const { engine, step, validation } = await submit({}, { name: 'Alice Renamed' });
    expect(validation).toMatchObject({ passing: true, messages: [] });
    expect(step.status).toBe('completed');
    expect(engine.target.services.users.list().find((u) => u.username === 'alice')?.name).toBe('Alice Renamed');
  });

  it('the email changed (default_user_change_email False): False with the email message', async () => {
    const { step, validation } = await submit({}, { email: 'new@example.org' });
    expect(validation).toMatchObject({ passing: false, messages: [EMAIL_DENIED] });
    expect(step.response).toMatchObject({ component: 'ak-stage-prompt', response_errors: { non_field_errors: [{ string: EMAIL_DENIED }] } });
  });

  it('the username changed (default_user_change_username False): False with the username message', async () => {
    const { validation } = await submit({}, { username: 'alice2' });
    expect(validation).toMatchObject({ passing: false, messages: [USERNAME_DENIED] });
  });

  it('email and username changed: only the email message (the policy returns at the first denial)', async () => {
    const { validation } = await submit({}, { email: 'new@example.org', username: 'alice2' });
    expect(validation).toMatchObject({ passing: false, messages: [EMAIL_DENIED] });
  });

  it('a group with goauthentik.io/user/can-change-email true allows the email change', async () => {
    const { step, validation } = await submit({ groupAttributes: { 'goauthentik.io/user/can-change-email': true } }, { email: 'new@example.org' });
    expect(validation).toMatchObject({ passing: true, messages: [] });
    expect(step.status).toBe('completed');
  });

  it('the group says false but the user attribute says true: the user wins (username change allowed)', async () => {
    const { validation } = await submit(
      { groupAttributes: { 'goauthentik.io/user/can-change-username': false }, userAttributes: { 'goauthentik.io/user/can-change-username': true } },
      { username: 'alice2' },
    );
    // authentik: group_attributes merges brand, then groups by name, then the user's own attributes.
    expect(validation).toMatchObject({ passing: true, messages: [] });
  });

  it('the email key missing from prompt_data while user.email is "": None != "" → the email message', async () => {
    const ws = await workspaceWith(FIXTURE);
    await ws.services.users.create({ username: 'bob', name: 'Bob' });
    const result = await policyTest(ws, 'default-user-settings-authorization', { user: 'bob', context: { prompt_data: { username: 'bob', name: 'Bob' } } });
    expect(result).toMatchObject({ passing: false, messages: [EMAIL_DENIED] });
  });
});
