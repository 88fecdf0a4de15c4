import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as OTPAuth from 'otpauth';
import { type Group, type JsonValue, type User } from '@shared/model';
import { type PasswordHasher } from '../auth/passwords';
import { createWorkspaceEngine, type WorkspaceEngine } from '../engine-adapter';
import {
  COMPONENT_FLOW_ERROR,
  FlowNotFoundError,
  navigate,
  respond,
  restartRun,
  runSessionUser,
  startRun,
  type Challenge,
  type RunState,
  type StepResult,
} from '../engine/executor';
import { FLOWBENCH_CAPTCHA_FAIL, FLOWBENCH_CAPTCHA_PASS, ManualClock, SeededRandom } from '../engine/memory';
import { type ExpressionRuntime, type SimRequest, type TotpDevice } from '../engine/ports';
import { engineUser, isUserRef } from '../engine/users';
import { openWorkspace, type Workspace } from '../workspace';
import { describeMismatches, projectOnto, show, subsetMismatches } from './match';
import { type ParsedFlowTest } from './parse';
import { runtimeValueKey, type ExpectObject, type FlowTest, type FlowTestOutcome, type Step } from './schema';
import { eventsToTranscript, type TranscriptEntry } from './transcript';

/**
 * Runs one flow test (spec: `../shared/spec/flowtest-format.md`): a fresh in-memory workspace,
 * the blueprints in order, the fixtures, then the flow through the engine's challenge/response
 * protocol step by step, then the outcome checks. Nothing leaves the workspace: email goes to
 * the local outbox, captchas to the built-in test provider, and the workspace is closed at the end.
 */

export interface FlowTestFailure {
  /** Index in `steps` (0-based) when the failure belongs to a step; absent for setup and outcome failures. */
  step?: number;
  expected: JsonValue;
  actual: JsonValue;
  message: string;
}

export interface FlowTestResult {
  file: string;
  name: string;
  ok: boolean;
  failures: FlowTestFailure[];
  transcript: TranscriptEntry[];
  /** Not part of `--json`: where the test starts in its file, how long it took, notes for the reader. */
  meta: { line: number; document: number; duration_ms: number; warnings: string[]; stepLines: number[]; outcomeLine: number | null };
}

export interface FlowTestRunOptions {
  /** Read a blueprint file (default: the file system). */
  readText?: (path: string) => Promise<string>;
  /** The workspace's password hasher (default: argon2id with OWASP parameters). */
  hasher?: PasswordHasher;
  /** Start of the test's fake clock (ms since the epoch; default: now). */
  start?: number;
  /** Expression policies and prompt expressions (default: the runtime that fails loudly). */
  expressions?: ExpressionRuntime;
}

/** A problem while setting the test up (blueprints, fixtures): the test fails before the flow runs. */
class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** A step cannot continue (the test stops there). */
class StepStop extends Error {}

const MAX_FOLLOWS = 20;

/** What the test is looking at: the last executor response. */
interface View {
  result: StepResult;
  /** Name of the stage that produced the response (challenge or denial), when known. */
  stage: string | null;
}

function stageOf(result: StepResult): string | null {
  if (result.status === 'denied' || result.status === 'completed') return result.state.outcome?.stage ?? null;
  for (let i = result.events.length - 1; i >= 0; i--) {
    const event = result.events[i]!;
    if (event.type === 'challenge' || event.type === 'stage_error' || event.type === 'stage_entered') return event.binding?.stage.name ?? null;
  }
  return null;
}

function ended(result: StepResult): boolean {
  return result.status === 'completed' || result.status === 'denied';
}

function describeView(view: View): string {
  const response = view.result.response;
  const at = view.stage ? ` (stage ${view.stage})` : '';
  if (view.result.status === 'completed') return `the flow completed${view.result.state.outcome?.redirect ? ` → ${view.result.state.outcome.redirect}` : ''}`;
  if (view.result.status === 'denied') return `the flow was denied${at}: "${view.result.state.outcome?.message ?? ''}"`;
  if (!response) return `no response (${view.result.status})`;
  if (response.component === COMPONENT_FLOW_ERROR) return `a flow error${at}: ${String(response.error ?? '')}`;
  return `${response.component}${at}`;
}

export async function runFlowTest(parsed: ParsedFlowTest, options: FlowTestRunOptions = {}): Promise<FlowTestResult> {
  const started = Date.now();
  const { test, file } = parsed;
  const failures: FlowTestFailure[] = [];
  const transcript: TranscriptEntry[] = [];
  const warnings: string[] = [];
  const clock = new ManualClock({ start: options.start ?? Date.now(), autoAdvance: true });
  let workspace: Workspace | null = null;
  let engine: WorkspaceEngine | null = null;
  try {
    workspace = openWorkspace({ path: ':memory:', clock: () => new Date(clock.now()), hasher: options.hasher });
    // The fixture workspace is itself a throwaway: the engine works on it directly.
    engine = createWorkspaceEngine(workspace, { sandbox: false, clock, random: new SeededRandom(1), expressions: options.expressions });
    let request: SimRequest;
    try {
      await applyBlueprints(workspace, test, file, options.readText ?? ((path) => readFile(path, 'utf8')));
      await createFixtures(workspace, engine, test);
      request = simRequest(engine, test);
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      failures.push({ expected: null, actual: null, message: `setup: ${error.message}` });
      return finish();
    }
    await runSteps(engine, test, request, failures, transcript);
    warnings.push(...expressionWarnings(transcript));
  } catch (error) {
    failures.push({ expected: null, actual: null, message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
  } finally {
    engine?.close();
    workspace?.close();
  }
  return finish();

  function finish(): FlowTestResult {
    return {
      file,
      name: test.name,
      ok: failures.length === 0,
      failures,
      transcript,
      meta: {
        line: parsed.lines.document,
        document: parsed.document,
        duration_ms: Date.now() - started,
        warnings,
        stepLines: parsed.lines.steps,
        outcomeLine: parsed.lines.outcome,
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Setup

async function applyBlueprints(workspace: Workspace, test: FlowTest, file: string, readText: (path: string) => Promise<string>): Promise<void> {
  for (const relative of test.blueprints) {
    const path = resolve(dirname(file), relative);
    let text: string;
    try {
      text = await readText(path);
    } catch (error) {
      throw new SetupError(`cannot read blueprint ${relative} (${path}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const report = await workspace.services.blueprints.import([{ name: relative, text }], { context: test.blueprint_context });
    if (!report.ok) {
      const issues = report.issues
        .slice(0, 5)
        .map((i) => `${i.fileName}${i.line ? `:${i.line}` : ''}${i.entryIndex === null ? '' : ` entry ${i.entryIndex}`}: ${i.message}`);
      throw new SetupError(`blueprint ${relative} did not import: ${issues.join('; ')}${report.issues.length > 5 ? ` (+${report.issues.length - 5} more)` : ''}`);
    }
  }
}

function groupByName(workspace: Workspace, name: string): Group | undefined {
  return workspace.services.groups.list().find((g) => g.name === name);
}

function userByName(workspace: Workspace, username: string): User | undefined {
  return workspace.services.users.list().find((u) => u.username === username);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function createFixtures(workspace: Workspace, engine: WorkspaceEngine, test: FlowTest): Promise<void> {
  const { services } = workspace;
  // Groups: parents first (a parent may be a fixture group listed later, or a blueprint's group).
  const pending = [...test.groups];
  while (pending.length > 0) {
    const index = pending.findIndex((g) => g.parent === null || !pending.some((other) => other !== g && other.name === g.parent));
    if (index === -1) throw new SetupError(`groups: the parents of ${pending.map((g) => g.name).join(', ')} form a cycle`);
    const group = pending.splice(index, 1)[0]!;
    let parent: string | null = null;
    if (group.parent !== null) {
      const found = groupByName(workspace, group.parent);
      if (!found) throw new SetupError(`group "${group.name}": no parent group named "${group.parent}"`);
      parent = found.pk;
    }
    try {
      services.groups.create({ name: group.name, is_superuser: group.is_superuser, parent, attributes: group.attributes });
    } catch (error) {
      throw new SetupError(`group "${group.name}": ${describeError(error)}`);
    }
  }
  for (const fixture of test.users) {
    const groups = fixture.groups.map((name) => {
      const group = groupByName(workspace, name);
      if (!group) throw new SetupError(`user "${fixture.username}": no group named "${name}"`);
      return group.pk;
    });
    let user: User;
    try {
      user = await services.users.create({
        username: fixture.username,
        name: fixture.name,
        email: fixture.email,
        is_active: fixture.is_active,
        type: fixture.type,
        attributes: fixture.attributes,
        groups,
        ...(fixture.password === undefined || fixture.password === null ? {} : { password: fixture.password }),
      });
    } catch (error) {
      throw new SetupError(`user "${fixture.username}": ${describeError(error)}`);
    }
    for (const device of fixture.authenticators) {
      if (device.type === 'totp') {
        engine.devices.create({
          type: 'totp',
          user_pk: user.pk,
          name: device.name,
          confirmed: true,
          secret: device.secret,
          digits: device.digits,
          period: 30,
          tolerance: 1,
          drift: 0,
          last_t: -1,
        });
      } else {
        engine.devices.create({ type: 'static', user_pk: user.pk, name: device.name, confirmed: true, tokens: [...device.tokens] });
      }
    }
  }
  for (const seed of test.reputation) engine.reputation.update(seed.identifier, seed.ip, seed.score);
}

function simRequest(engine: WorkspaceEngine, test: FlowTest): SimRequest {
  let sessionUser = null;
  if (test.session_user !== null) {
    const user = engine.workspace.findUsers({ username: test.session_user })[0];
    if (!user) throw new SetupError(`session_user: no user named "${test.session_user}"`);
    sessionUser = engineUser(engine.workspace, user);
  }
  return {
    ip: test.request.ip,
    user_agent: test.request.user_agent,
    query: {},
    geoip: test.request.geoip,
    asn: null,
    session_user: sessionUser,
    session_key: sessionUser ? engine.random.uuid().replaceAll('-', '') : null,
  };
}

/** `run.context` with `pending_user: <username>` replaced by that user. */
function runContext(engine: WorkspaceEngine, test: FlowTest): Record<string, JsonValue> {
  const context: Record<string, JsonValue> = structuredClone(test.run.context);
  const pending = context.pending_user;
  if (typeof pending === 'string') {
    const user = engine.workspace.findUsers({ username: pending })[0];
    if (!user) throw new SetupError(`run.context.pending_user: no user named "${pending}"`);
    context.pending_user = { $user: user.pk };
  }
  return context;
}

// ---------------------------------------------------------------------------------------------
// Steps

async function runSteps(
  engine: WorkspaceEngine,
  test: FlowTest,
  request: SimRequest,
  failures: FlowTestFailure[],
  transcript: TranscriptEntry[],
): Promise<void> {
  let context: Record<string, JsonValue>;
  try {
    context = runContext(engine, test);
  } catch (error) {
    failures.push({ expected: null, actual: null, message: `setup: ${describeError(error)}` });
    return;
  }
  transcript.push({
    kind: 'start',
    flow: test.run.flow ?? null,
    designation: test.run.designation ?? null,
    request: { ip: request.ip, user_agent: request.user_agent, query: test.request.query, geoip: request.geoip as JsonValue },
    session_user: request.session_user?.username ?? null,
    context: test.run.context,
  });

  const record = (result: StepResult, step: number | null): View => {
    transcript.push(...eventsToTranscript(result.events));
    const view: View = { result, stage: stageOf(result) };
    if (result.response && !ended(result)) transcript.push({ kind: 'challenge', step, stage: view.stage, response: result.response });
    return view;
  };
  /** A browser follows a redirect to a flow interface URL by itself. */
  const settle = async (view: View, step: number | null): Promise<View> => {
    let current = view;
    for (let hops = 0; current.result.status === 'redirect' && current.result.follow; hops++) {
      if (hops >= MAX_FOLLOWS) throw new StepStop(`more than ${MAX_FOLLOWS} redirects between flows`);
      const follow = current.result.follow;
      transcript.push({ kind: 'navigate', to: String(current.result.response?.to ?? ''), reason: 'redirect to a flow' });
      current = record(await navigate(engine, current.result.state, { flow: follow.flow_slug, query: follow.query }), step);
    }
    return current;
  };

  let view: View;
  try {
    const first = await startRun(engine, {
      ...(test.run.flow !== undefined ? { flow: test.run.flow } : { designation: test.run.designation! }),
      request,
      query: test.request.query,
      context,
    });
    view = await settle(record(first, null), null);
  } catch (error) {
    if (error instanceof FlowNotFoundError || error instanceof StepStop) {
      failures.push({ expected: test.outcome.result, actual: 'not_found', message: error.message });
      return;
    }
    throw error;
  }

  for (let index = 0; index < test.steps.length; index++) {
    const step = test.steps[index]!;
    if (step.expect) {
      const problems = checkExpect(step.expect, view);
      if (problems.length > 0) {
        failures.push(...problems.map((p) => ({ step: index, ...p })));
        return;
      }
    }
    try {
      const next = await perform(engine, step, index, view, transcript);
      if (next) view = await settle(record(next, index), index);
    } catch (error) {
      if (!(error instanceof StepStop)) throw error;
      failures.push({ step: index, expected: stepExpectation(step), actual: describeView(view), message: error.message });
      return;
    }
  }
  transcript.push({
    kind: 'end',
    result: ended(view.result) ? view.result.status : `waiting (${view.result.status})`,
    reason: view.result.state.outcome?.reason ?? null,
    redirect: view.result.state.outcome?.redirect ?? null,
    message: view.result.state.outcome?.message ?? null,
    stage: view.result.state.outcome?.stage ?? view.stage,
  });
  await checkOutcome(engine, test.outcome, view, failures);
}

function stepExpectation(step: Step): JsonValue {
  if (step.respond) return { respond: step.respond };
  if (step.action) return { action: step.action.name, ...(step.action.to ? { to: step.action.to } : {}) };
  return step.expect as JsonValue;
}

/** Send the step's response or do its action; null when the step only checks. */
async function perform(engine: WorkspaceEngine, step: Step, index: number, view: View, transcript: TranscriptEntry[]): Promise<StepResult | null> {
  const state = view.result.state;
  if (step.action?.name === 'restart') {
    transcript.push({ kind: 'action', step: index, action: 'restart', detail: null });
    return restartRun(engine, state);
  }
  if (step.action?.name === 'follow_email_link') {
    const to = step.action.to ?? undefined;
    const messages = engine.outbox.list(to === undefined ? {} : { to });
    const message = messages[messages.length - 1];
    if (!message) {
      throw new StepStop(to === undefined ? 'the outbox is empty: no email was sent' : `no email was sent to ${to} (outbox: ${engine.outbox.list().map((m) => m.to).join(', ') || 'empty'})`);
    }
    if (!message.link) throw new StepStop(`the newest email to ${message.to} ("${message.subject}") has no flow link`);
    transcript.push({ kind: 'action', step: index, action: 'follow_email_link', detail: { to: message.to, subject: message.subject, url: message.url } });
    return navigate(engine, state, { flow: message.link.flow, query: message.link.query });
  }
  if (step.respond) {
    if (ended(view.result)) throw new StepStop(`there is nothing to respond to: ${describeView(view)}`);
    const response = view.result.response;
    if (!response) throw new StepStop(`there is nothing to respond to: ${describeView(view)}`);
    const body = resolveValues(engine, state, step.respond) as Record<string, JsonValue>;
    const sent = { component: response.component, ...body };
    transcript.push({ kind: 'response', step: index, body: sent });
    return respond(engine, state, sent);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Run-time values

function pendingUserPk(engine: WorkspaceEngine, state: RunState): number | null {
  const ref = state.plan?.context.pending_user;
  if (isUserRef(ref) && typeof ref.$user === 'number') return ref.$user;
  if (isUserRef(ref) && ref.$user === 'placeholder') {
    const found = engine.workspace.findUsers({ username: ref.data.username })[0];
    if (found) return found.pk;
  }
  return runSessionUser(engine, state)?.pk ?? null;
}

function totpCode(engine: WorkspaceEngine, device: TotpDevice): string {
  const now = Math.floor(engine.clock.now() / 1000 / device.period) + device.drift;
  // A code is never accepted twice: use the next time step when this one was used already
  // (within the device's tolerance, as an authenticator app a few seconds later would).
  const step = Math.max(now, device.last_t + 1);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(device.secret), digits: device.digits, period: device.period, algorithm: 'SHA1' });
  return totp.generate({ timestamp: step * device.period * 1000 });
}

function resolveValues(engine: WorkspaceEngine, state: RunState, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((item) => resolveValues(engine, state, item));
  if (typeof value !== 'object' || value === null) return value;
  const key = runtimeValueKey(value);
  if (key === null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValues(engine, state, v)]));
  const arg = value[key];
  if (key === '$captcha') return arg === 'pass' ? FLOWBENCH_CAPTCHA_PASS : FLOWBENCH_CAPTCHA_FAIL;
  const userPk = pendingUserPk(engine, state);
  if (userPk === null) throw new StepStop(`${key}: there is no pending user whose device could be used`);
  const type = key === '$totp' ? 'totp' : 'static';
  const device = engine.devices.list({ user_pk: userPk, type }).find((d) => d.name === arg);
  const username = engine.workspace.userByPk(userPk)?.username ?? `#${userPk}`;
  if (!device) throw new StepStop(`${key}: ${username} has no ${type} device named "${String(arg)}"`);
  if (device.type === 'totp') return totpCode(engine, device);
  if (device.type === 'static') {
    const token = device.tokens[0];
    if (token === undefined) throw new StepStop(`$static: every token of ${username}'s device "${device.name}" has been used`);
    return token;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Checks

type Problem = Omit<FlowTestFailure, 'step'>;

function responseErrorKeys(response: Challenge): string[] {
  const errors = response.response_errors;
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return [];
  return Object.keys(errors).filter((k) => {
    const list = (errors as Record<string, JsonValue>)[k];
    return !Array.isArray(list) || list.length > 0;
  });
}

function checkExpect(expect: ExpectObject, view: View): Problem[] {
  const response = view.result.response;
  const component = response?.component ?? null;
  if (component !== expect.component) {
    return [{ expected: expect.component, actual: component, message: `expected the challenge ${expect.component}, but got ${describeView(view)}` }];
  }
  const problems: Problem[] = [];
  if (expect.stage !== undefined && expect.stage !== view.stage) {
    problems.push({ expected: expect.stage, actual: view.stage, message: `expected the challenge of stage "${expect.stage}", but it came from ${view.stage ? `"${view.stage}"` : 'no stage'}` });
  }
  if (expect.fields !== undefined && response) {
    const mismatches = subsetMismatches(expect.fields, response);
    if (mismatches.length > 0) {
      problems.push({ expected: expect.fields, actual: projectOnto(expect.fields, response), message: `the ${component} challenge does not match: ${describeMismatches(mismatches)}` });
    }
  }
  if (expect.errors !== undefined && response) {
    const actual = responseErrorKeys(response);
    const missing = expect.errors.filter((field) => !actual.includes(field));
    if (expect.errors.length === 0 && actual.length > 0) {
      problems.push({ expected: [], actual: (response.response_errors ?? null) as JsonValue, message: `expected no response_errors, got errors on ${actual.join(', ')}` });
    } else if (missing.length > 0) {
      problems.push({
        expected: expect.errors,
        actual: (response.response_errors ?? null) as JsonValue,
        message: `expected response_errors on ${missing.join(', ')}${actual.length ? `; errors are on ${actual.join(', ')}` : '; the challenge has no response_errors'}`,
      });
    }
  }
  return problems;
}

function outcomeActual(view: View): string {
  if (ended(view.result)) return view.result.status;
  return `waiting: ${describeView(view)}`;
}

async function checkOutcome(engine: WorkspaceEngine, outcome: FlowTestOutcome, view: View, failures: FlowTestFailure[]): Promise<void> {
  const state = view.result.state;
  const end = state.outcome;
  const push = (expected: JsonValue, actual: JsonValue, message: string): void => {
    failures.push({ expected, actual, message });
  };
  if (end?.reason === 'stage_unavailable') {
    push(outcome.result, 'stage_unavailable', `${end.message ?? 'a stage kind is not available'} — Flowbench cannot run this flow yet, so the test cannot pass`);
  }
  const actualResult = outcomeActual(view);
  if (actualResult !== outcome.result) {
    push(outcome.result, actualResult, `expected the flow to be ${outcome.result}, but ${ended(view.result) ? `it was ${actualResult}` : 'it did not finish'}: ${describeView(view)}`);
  }
  if (outcome.redirect !== undefined) {
    const actual = end?.result === 'completed' ? end.redirect : null;
    if (actual !== outcome.redirect) push(outcome.redirect, actual, `expected the final redirect to ${show(outcome.redirect)}, got ${show(actual)}`);
  }
  if (outcome.message !== undefined) {
    const actual = end?.result === 'denied' ? (end.message ?? '') : null;
    if (actual === null || !actual.includes(outcome.message)) {
      push(outcome.message, actual, actual === null ? 'expected an access-denied message, but the flow was not denied' : `the access-denied message ${show(actual)} does not contain ${show(outcome.message)}`);
    }
  }
  if (outcome.session_user !== undefined) {
    const actual = runSessionUser(engine, state)?.username ?? null;
    if (actual !== outcome.session_user) push(outcome.session_user, actual, `expected ${outcome.session_user === null ? 'nobody' : outcome.session_user} to be logged in, but ${actual === null ? 'nobody is' : `${actual} is`}`);
  }
  if (outcome.plan !== undefined) {
    const mismatches = subsetMismatches(outcome.plan, state.initial_plan);
    if (mismatches.length > 0) push(outcome.plan, state.initial_plan, `the plan differs: expected [${outcome.plan.join(', ')}], planned [${state.initial_plan.join(', ')}]`);
  }
  if (outcome.stages_run !== undefined) {
    const mismatches = subsetMismatches(outcome.stages_run, state.stages_run);
    if (mismatches.length > 0) push(outcome.stages_run, state.stages_run, `the stages run differ: expected [${outcome.stages_run.join(', ')}], ran [${state.stages_run.join(', ')}]`);
  }
  for (const [username, check] of Object.entries(outcome.users ?? {})) {
    const workspace = engine.target;
    const user = userByName(workspace, username);
    const at = `users.${username}`;
    if (check.exists !== undefined && check.exists !== (user !== undefined)) {
      push(check.exists, user !== undefined, `expected ${username} ${check.exists ? 'to exist' : 'not to exist'}, but ${user ? 'it does' : 'it does not'}`);
      continue;
    }
    const keys = Object.keys(check).filter((k) => k !== 'exists');
    if (!user) {
      if (keys.length > 0) push(check as JsonValue, null, `${at}: no user named ${username}`);
      continue;
    }
    for (const key of ['is_active', 'name', 'email', 'type', 'path'] as const) {
      const expected = check[key];
      if (expected !== undefined && user[key] !== expected) push(expected, user[key], `${at}.${key}: expected ${show(expected)}, got ${show(user[key])}`);
    }
    if (check.attributes !== undefined) {
      const mismatches = subsetMismatches(check.attributes, user.attributes);
      if (mismatches.length > 0) push(check.attributes, projectOnto(check.attributes, user.attributes), `${at}.attributes: ${describeMismatches(mismatches)}`);
    }
    if (check.groups !== undefined) {
      const all = workspace.services.groups.list();
      const actual = user.groups.map((pk) => all.find((g) => g.pk === pk)?.name ?? pk).sort();
      const expected = [...check.groups].sort();
      if (JSON.stringify(actual) !== JSON.stringify(expected)) push(check.groups, actual, `${at}.groups: expected [${expected.join(', ')}], got [${actual.join(', ')}]`);
    }
    if (check.password !== undefined) {
      if (check.password === null) {
        if (user.has_usable_password) push(null, 'a usable password', `${at}.password: expected no usable password, but one is set`);
      } else {
        const { valid } = await workspace.services.users.checkPassword({ pk: user.pk, password: check.password });
        if (!valid) {
          push(check.password, user.has_usable_password ? 'a different password' : 'no usable password', `${at}.password: the stored password is not ${show(check.password)}`);
        }
      }
    }
  }
}

/** Notes for the reader: expression policies that raised or timed out shaped this run. */
function expressionWarnings(transcript: readonly TranscriptEntry[]): string[] {
  const names = new Set<string>();
  const visit = (results: { policy: string; error: string | null }[]): void => {
    for (const r of results) if (r.error && /\(expression\)$/.test(r.policy)) names.add(r.policy.replace(/ \(expression\)$/, ''));
  };
  for (const entry of transcript) {
    if (entry.kind === 'plan' || entry.kind === 'flow_selected') for (const t of entry.traces) visit(t.results);
    if (entry.kind === 'reevaluate') visit(entry.trace.results);
  }
  return names.size === 0
    ? []
    : [`expression policies raised or timed out: ${[...names].join(', ')} (the run took their failure path; the transcript has the errors)`];
}
