import { stageRegistry, findKind, type Flow, type FlowDesignation, type JsonValue } from '@shared/model';
import {
  PLAN_CONTEXT_IS_REDIRECTED,
  PLAN_CONTEXT_IS_RESTORED,
  PLAN_CONTEXT_METHOD,
  PLAN_CONTEXT_METHOD_ARGS,
  PLAN_CONTEXT_PENDING_USER,
  PLAN_CONTEXT_PENDING_USER_IDENTIFIER,
  PLAN_CONTEXT_REDIRECT,
  PLAN_CONTEXT_SOURCE,
} from '../context-keys';
import { isJsonObject, pythonStr, pythonTruthy, uuidHex } from '../json';
import { clearPlanCache, planFlow, planSchema, type Plan, requestUser as plannerRequestUser, selectFlowForDesignation, type PlanResult } from '../planner';
import { evaluatePolicies } from '../policy';
import { type EngineDeps, type EngineUser, type FlowToken, type SimRequest, type TraceLog, type WorkspaceWriter } from '../ports';
import {
  findStageImpl,
  issuesToResponseErrors,
  responseObject,
  stageImplementations,
  unavailableStageMessage,
  IgnoredStageError,
  StageInvalid,
  type AnyStageImpl,
  type StageContext,
  type StageOutcome,
  type StageRegistry,
  type StageSession,
} from '../stages';
import { anonymousUser, eventUser, isAuthenticated, isUserRef, loadEngineUser, placeholderUser, resolveUserRef, userRef } from '../users';
import {
  COMPONENT_ACCESS_DENIED,
  COMPONENT_FLOW_ERROR,
  COMPONENT_REDIRECT,
  flowInfo,
  formatFlowTitle,
  UNKNOWN_ERROR,
  userInfo,
  type Challenge,
  type ResponseErrors,
} from './challenge';
import { bindingRef, type FlowMessage, type PlanReason, type RunEvent, type RunEventBody } from './events';
import { bindingStageName, LivePlan, resolveBinding, type ResolvedBinding } from './live-plan';
import {
  cloneRunState,
  RUN_STATE_VERSION,
  type RunOutcome,
  type RunOutcomeReason,
  type RunRequest,
  type RunState,
} from './state';
import { flowInterfaceUrl, isUrlAbsolute, parseFlowInterfaceUrl, resolveRedirect, ROOT_REDIRECT_ROUTE, ROOT_REDIRECT_URL } from './urls';

/**
 * The flow executor of spec §4 (authentik `authentik/flows/views/executor.py`, `stage.py`,
 * `challenge.py`, `markers.py`). One call = one or more simulated HTTP requests to
 * `/api/v3/flows/executor/<slug>/?query=…`: a 302 back to the executor (a stage passed, a
 * restart) is followed like authentik's frontend does, so a call returns the next thing a person
 * would see. The session (plan, stored query, history, user) is the run state.
 */

export const QS_KEY_TOKEN = 'flow_token';
export const NEXT_ARG_NAME = 'next';
export const INVALID_NEXT_URL = 'Invalid next URL';
/** How many 302s a call follows before giving up (what `fetch` and browsers allow). */
export const DEFAULT_MAX_REDIRECTS = 20;

export interface ExecutorOptions {
  /** Stage implementations (default: `stageImplementations`). Tests and later passes add kinds here. */
  stages?: StageRegistry;
  /** Follow 302s back to the executor (default true). False returns status `continue` instead. */
  follow?: boolean;
  maxRedirects?: number;
}

export interface StartRunInput {
  /** The flow's slug … */
  flow?: string;
  /** … or a designation: the flow is chosen as authentik's `ToDefaultFlow` does (spec §1.3). */
  designation?: FlowDesignation;
  /** The brand's flow for the designation (pk or slug), used without a policy check. */
  brandFlow?: string | null;
  /** The simulated request; its `session_user`/`session_key` start the session. */
  request: SimRequest;
  /** The executor's `query` (the flow interface's query string, e.g. `{next: '/app'}`). */
  query?: Record<string, string>;
  /** A default context for the first plan (what a provider or `execute` hands the planner). */
  context?: Record<string, JsonValue>;
  /** Use the plan cache (authentik's executor does; default false, as previews should). */
  useCache?: boolean;
}

/**
 * - `challenge`: a stage waits for a response.
 * - `redirect`: an `xak-flow-redirect` while the plan is still active (redirect stage,
 *   `flow_plan.redirect()`, a flow switch — see `follow`).
 * - `completed` / `denied`: the run ended (`state.outcome` says how).
 * - `error`: `ak-stage-flow-error` (a stage raised) or too many redirects; the plan is kept.
 * - `continue`: only with `follow: false` — a 302 back to the executor (call `get`).
 */
export type StepStatus = 'challenge' | 'redirect' | 'completed' | 'denied' | 'error' | 'continue';

export interface StepResult {
  state: RunState;
  status: StepStatus;
  /** authentik's challenge JSON; null only for status `continue`. */
  response: Challenge | null;
  /** The trace of this call. */
  events: RunEvent[];
  /** Django messages queued during this call. */
  messages: FlowMessage[];
  /** When the response redirects to a flow interface URL: where to `navigate`. */
  follow: { flow_slug: string; query: Record<string, string> } | null;
}

export class FlowNotFoundError extends Error {
  readonly code = 'FLOW_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'FlowNotFoundError';
  }
}

export class RunFinishedError extends Error {
  readonly code = 'RUN_FINISHED';
  constructor() {
    super('This run has ended; use restartRun or navigate to run the flow again.');
    this.name = 'RunFinishedError';
  }
}

/** What one simulated request returns. */
type HttpOut =
  | { kind: 'challenge'; body: Challenge; source: 'stage' | 'denied' | 'error' }
  /** 302 to the executor itself. */
  | { kind: 'self' }
  /** 302 elsewhere (delivered as `xak-flow-redirect` without flow_info). */
  | { kind: 'redirect'; to: string };

/** `goauthentik.io/user/debug`: users (or their groups) with it see flow-error details. */
export const USER_ATTRIBUTE_DEBUG = 'goauthentik.io/user/debug';

class RestartRecursion extends Error {
  constructor() {
    super('maximum recursion depth exceeded (the restarted flow does not apply and the binding restarts again)');
    this.name = 'RecursionError';
  }
}

class EmptyFlowException extends Error {
  constructor() {
    super('Flow has no stages.');
    this.name = 'EmptyFlowException';
  }
}

function stripSession(request: SimRequest): RunRequest {
  const { session_user: _user, session_key: _key, ...rest } = request;
  return JSON.parse(JSON.stringify(rest)) as RunRequest;
}

/** The JSON a restored plan carries as `is_restored` (authentik puts the FlowToken object there). */
export function flowTokenRef(token: FlowToken): Record<string, JsonValue> {
  return {
    $flow_token: token.key,
    flow_pk: token.flow_pk,
    user: token.user_pk === null ? null : { $user: token.user_pk },
    expires: token.expires,
  };
}

/** One executor call (one or more requests) over a working copy of the run state. */
class Call {
  readonly events: RunEvent[] = [];
  readonly messages: FlowMessage[] = [];
  readonly registry: StageRegistry;
  terminal: RunOutcome | null = null;
  /** Default context for the next planning from scratch (startRun / restartRun), used once. */
  initialContext: Record<string, JsonValue> | undefined;
  recordInitialPlan: boolean;

  // Request-scoped (authentik's executor instance and session).
  flow!: Flow;
  request!: SimRequest;
  /** `self.plan`. */
  plan: LivePlan | null = null;
  /** `request.session[SESSION_KEY_PLAN]`. */
  sessionPlan: LivePlan | null = null;
  /** `request.session[SESSION_KEY_GET]`; null when absent (cancelled or flushed). */
  sessionGet: Record<string, string> | null = null;
  current: ResolvedBinding | null = null;
  restarting = 0;

  constructor(
    readonly deps: EngineDeps,
    readonly state: RunState,
    options: ExecutorOptions,
    extra: { initialContext?: Record<string, JsonValue>; recordInitialPlan?: boolean },
  ) {
    this.registry = options.stages ?? stageImplementations;
    this.initialContext = extra.initialContext;
    this.recordInitialPlan = extra.recordInitialPlan ?? false;
  }

  // --- tracing ----------------------------------------------------------------------------

  event(body: RunEventBody): void {
    this.events.push({ ...body, seq: this.events.length, at: new Date(this.deps.clock.now()).toISOString() } as RunEvent);
  }

  log(level: TraceLog['level'], message: string, binding: ResolvedBinding | null = this.current): void {
    this.event({ type: 'log', level, message, binding: binding ? bindingRef(binding) : null });
  }

  mint = (): string => uuidHex(this.deps.random.uuid());

  // --- session and users ------------------------------------------------------------------

  /** The session user as Django's auth middleware loads it (inactive or deleted users are anonymous). */
  sessionUser(): EngineUser | null {
    const ref = this.state.session.user;
    if (!ref || ref.$user === 'anonymous') return null;
    if (ref.$user === 'placeholder') return null;
    const user = loadEngineUser(this.deps.workspace, ref.$user);
    return user && user.is_active ? user : null;
  }

  buildRequest(): SimRequest {
    return { ...this.state.request, query: { ...this.state.request.query }, session_user: this.sessionUser(), session_key: this.state.session.key };
  }

  requestUser(): EngineUser {
    return plannerRequestUser(this.request);
  }

  /** authentik `StageView.get_pending_user(for_display)` (spec §5.0). */
  pendingUser(forDisplay = false): EngineUser {
    const plan = this.plan;
    if (!plan) return this.requestUser();
    const context = plan.context;
    if (forDisplay && Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER_IDENTIFIER)) {
      return placeholderUser({ username: pythonStr(context[PLAN_CONTEXT_PENDING_USER_IDENTIFIER]), email: '' });
    }
    if (Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) {
      const ref = context[PLAN_CONTEXT_PENDING_USER];
      if (!isUserRef(ref)) throw new Error('context.pending_user is not a user reference ({"$user": pk} …)');
      return resolveUserRef(this.deps.workspace, ref);
    }
    return this.requestUser();
  }

  newSessionKey(): string {
    return uuidHex(this.deps.random.uuid());
  }

  /** Django `session.flush()`: everything in the session goes, a new key is made. */
  flushSession(): void {
    this.state.session = { user: null, key: this.newSessionKey(), data: {} };
    this.sessionPlan = null;
    this.sessionGet = null;
  }

  login(user: EngineUser, options: { backend: string; data?: Record<string, JsonValue> }): void {
    if (user.pk === null || !user.saved) throw new Error(`Cannot log in unsaved user "${user.username}"`);
    const previous = this.state.session.user;
    const samePrincipal = previous === null || (typeof previous.$user === 'number' && previous.$user === user.pk);
    if (samePrincipal) {
      // Django login(): cycle_key() keeps the session data.
      this.state.session.key = this.newSessionKey();
    } else {
      // Django login() as someone else than the session's user: flush() (plan and query included).
      this.flushSession();
    }
    this.state.session.user = userRef(user);
    this.state.session.data = { ...this.state.session.data, backend: options.backend, ...(options.data ?? {}) };
    this.request = this.buildRequest();
    this.request.session_user = user;
    const now = new Date(this.deps.clock.now()).toISOString();
    this.sideEffect('set_last_login', `last_login of ${user.username} = ${now}`, (writer) => writer.setLastLogin(user.pk as number, now));
    // authentik's user_logged_in receivers: the login event, reputation +1 for (username, IP).
    const context: Record<string, JsonValue> = {};
    const planContext = this.sessionPlan?.context ?? this.plan?.context ?? {};
    if (Object.hasOwn(planContext, PLAN_CONTEXT_SOURCE)) context[PLAN_CONTEXT_SOURCE] = planContext[PLAN_CONTEXT_SOURCE] ?? null;
    if (Object.hasOwn(planContext, PLAN_CONTEXT_METHOD)) {
      context[PLAN_CONTEXT_METHOD] = planContext[PLAN_CONTEXT_METHOD] ?? null;
      context[PLAN_CONTEXT_METHOD_ARGS] = planContext[PLAN_CONTEXT_METHOD_ARGS] ?? {};
    }
    this.deps.events.append({ action: 'login', user: eventUser(user), client_ip: this.request.ip, app: 'authentik.events.signals', model: null, context });
    this.deps.reputation.update(user.username, this.request.ip, 1);
    this.event({ type: 'session', action: 'login', user: { pk: user.pk, username: user.username } });
  }

  logout(): void {
    const user = this.requestUser();
    this.deps.events.append({ action: 'logout', user: eventUser(user), client_ip: this.request.ip, app: 'authentik.events.signals', model: null, context: {} });
    this.flushSession();
    this.request = this.buildRequest();
    this.event({ type: 'session', action: 'logout', user: user.is_anonymous ? null : { pk: user.pk, username: user.username } });
  }

  sideEffect(action: string, detail: string, apply: (writer: WorkspaceWriter) => void): boolean {
    const writer = this.deps.writer ?? null;
    if (writer) apply(writer);
    this.event({ type: 'side_effect', action, applied: writer !== null, detail });
    return writer !== null;
  }

  // --- planning ---------------------------------------------------------------------------

  planEvent(reason: PlanReason, flow: Flow, result: PlanResult): void {
    this.event({
      type: 'plan',
      reason,
      flow_slug: flow.slug,
      outcome: result.ok ? 'planned' : result.reason,
      cached: result.ok ? result.cached : false,
      stages: result.ok ? result.plan.bindings.map((id) => bindingStageName(this.deps.workspace, id)) : [],
      messages: result.ok ? [] : result.messages,
      failed_requirement: result.ok ? null : (result.failed_requirement ?? null),
      traces: result.traces,
    });
  }

  newLivePlan(result: Extract<PlanResult, { ok: true }>): LivePlan {
    return new LivePlan(result.plan, this.mint);
  }

  /** authentik `FlowPlan.next()` with `ReevaluateMarker.process` (spec §4.3). */
  async next(): Promise<ResolvedBinding | null> {
    const plan = this.plan;
    if (!plan) return null;
    while (plan.has_stages) {
      const id = plan.bindings[0] as string;
      const marker = plan.markers[0];
      const binding = resolveBinding(this.deps.workspace, id);
      if (marker === 'reevaluate') {
        const context = plan.context;
        let user: EngineUser;
        if (Object.hasOwn(context, PLAN_CONTEXT_PENDING_USER)) {
          const ref = context[PLAN_CONTEXT_PENDING_USER];
          if (!isUserRef(ref)) throw new Error('context.pending_user is not a user reference');
          user = resolveUserRef(this.deps.workspace, ref);
        } else {
          user = this.requestUser();
        }
        const evaluation = await evaluatePolicies(this.deps, {
          target: { kind: 'binding', pk: binding.pk, label: `${this.flow.slug} #${binding.order} ${binding.stage.name}` },
          mode: binding.policy_engine_mode,
          user,
          request: this.request,
          // authentik: request.context["flow_plan"] = plan, then update(plan.context).
          context: { flow_plan: plan, ...plan.context },
          useCache: false,
        });
        this.event({ type: 'reevaluate', binding: bindingRef(binding), passing: evaluation.passing, trace: evaluation.trace });
        if (!evaluation.passing) {
          this.event({ type: 'stage_skipped', binding: bindingRef(binding), reason: 'policy', messages: evaluation.messages });
          const index = plan.bindings.indexOf(id);
          if (index >= 0) {
            plan.bindings.splice(index, 1);
            plan.markers.splice(index, 1);
          }
          continue;
        }
      }
      return binding;
    }
    return null;
  }

  // --- one request ------------------------------------------------------------------------

  async request_(method: 'GET' | 'POST', body: unknown): Promise<HttpOut> {
    const flow = this.deps.workspace.flowBySlug(this.state.flow_slug);
    if (!flow) throw new FlowNotFoundError(`No flow with slug "${this.state.flow_slug}"`);
    this.flow = flow;
    this.request = this.buildRequest();
    this.plan = null;
    this.current = null;
    this.restarting = 0;
    this.sessionPlan = this.state.plan ? new LivePlan(this.state.plan, this.mint) : null;
    this.event({ type: 'request', method, flow_slug: flow.slug });
    let out: HttpOut;
    try {
      out = await this.dispatch(method, body);
    } catch (error) {
      if (error instanceof FlowNotFoundError) throw error;
      out = this.flowError(this.current, error);
    }
    // Django saves the session (the GET key is written on every dispatch): the session plan,
    // including what re-evaluation removed from it, persists.
    this.state.plan = this.sessionPlan ? this.sessionPlan.toPlan() : null;
    return out;
  }

  async dispatch(method: 'GET' | 'POST', body: unknown): Promise<HttpOut> {
    const flow = this.flow;
    const getParams = { ...this.state.query };
    if (Object.hasOwn(getParams, QS_KEY_TOKEN)) {
      const restored = this.checkFlowToken(getParams[QS_KEY_TOKEN] ?? '');
      if (restored) this.sessionPlan = restored;
    }
    if (this.sessionPlan) {
      this.plan = this.sessionPlan;
      if (this.plan.flow_pk !== flow.pk) {
        this.event({ type: 'plan_discarded', flow_pk: this.plan.flow_pk });
        this.plan = null;
        this.cancel();
      }
    }
    this.sessionGet = getParams;
    if (!this.plan) {
      this.state.history = [];
      const context = this.initialContext;
      this.initialContext = undefined;
      const result = await planFlow(this.deps, { flow, request: this.request, context, useCache: this.state.use_cache });
      this.planEvent('start', flow, result);
      const record = this.recordInitialPlan;
      this.recordInitialPlan = false;
      if (!result.ok) {
        if (result.reason === 'not_applicable') {
          if (flow.designation === 'authentication' && isAuthenticated(this.requestUser())) return this.flowDone('already_authenticated');
          return this.handleInvalidFlow(result.messages);
        }
        return this.flowDone();
      }
      this.plan = this.sessionPlan = this.newLivePlan(result);
      this.state.current = null;
      if (record) this.state.initial_plan = result.plan.bindings.map((id) => bindingStageName(this.deps.workspace, id));
    }
    let binding: ResolvedBinding | null;
    try {
      binding = await this.next();
    } catch (error) {
      // authentik: an incompatible plan → flush every cached plan, stage_invalid().
      this.event({ type: 'plan_error', error: error instanceof Error ? error.message : String(error) });
      clearPlanCache(this.deps.cache);
      return this.stageInvalid(null);
    }
    if (!binding) return this.flowDone();
    this.current = binding;
    if (this.state.current !== binding.id) {
      this.state.current = binding.id;
      this.state.stages_run.push(binding.stage.name);
      this.event({ type: 'stage_entered', binding: bindingRef(binding), method });
    }
    const impl = findStageImpl(this.registry, binding.stage.kind);
    if (!impl) {
      // A Flowbench limitation, not authentik behaviour: refuse clearly, never restart or pass.
      this.event({ type: 'stage_unavailable', binding: bindingRef(binding), kind: binding.stage.kind });
      this.cancel();
      return this.accessDenied(unavailableStageMessage(binding.stage.kind), 'stage_unavailable');
    }
    return this.runStage(impl, binding, method, body);
  }

  // --- stages -----------------------------------------------------------------------------

  stageConfig(impl: AnyStageImpl, binding: ResolvedBinding): unknown {
    const shared = findKind(stageRegistry, binding.stage.kind);
    const schema = shared?.config ?? impl.config;
    if (!schema) return binding.stage.config;
    const parsed = schema.safeParse(binding.stage.config ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Stage "${binding.stage.name}" has an invalid config: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    return parsed.data;
  }

  stageContext(binding: ResolvedBinding, config: unknown, method: 'GET' | 'POST'): StageContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const call = this;
    const plan = this.plan as LivePlan;
    const session: StageSession = {
      user: () => call.sessionUser(),
      login: (user, options) => call.login(user, options),
      logout: () => call.logout(),
      get data() {
        return call.state.session.data;
      },
    };
    return {
      deps: this.deps,
      flow: this.flow,
      binding,
      stage: binding.stage,
      config,
      plan,
      method,
      get query() {
        return call.sessionGet ?? {};
      },
      get request() {
        return call.request;
      },
      session,
      requestUser: () => call.requestUser(),
      pendingUser: (options) => call.pendingUser(options?.forDisplay ?? false),
      ok: () => ({ kind: 'ok' }),
      skip: () => ({ kind: 'skip' }),
      invalid: (message) => ({ kind: 'invalid', message: message ?? null }),
      showChallenge: (errors) => ({ kind: 'challenge', errors: errors ?? null }),
      useChallenge: () => ({ kind: 'use_challenge' }),
      redirect: (to) => ({ kind: 'redirect', to }),
      switchFlow: (target, options) => call.switchFlow(target, options.keepContext),
      createFlowToken: (options) => call.createFlowToken(options),
      sideEffect: (action, detail, apply) => call.sideEffect(action, detail, apply),
      log: (level, message) => call.log(level, message, binding),
      policyTrace: (purpose, evaluation) =>
        call.event({
          type: 'stage_policies',
          binding: bindingRef(binding),
          purpose,
          passing: evaluation.passing,
          messages: evaluation.messages,
          trace: evaluation.trace,
        }),
      message: (level, text) => {
        call.messages.push({ level, message: text });
      },
    };
  }

  async runStage(impl: AnyStageImpl, binding: ResolvedBinding, method: 'GET' | 'POST', body: unknown): Promise<HttpOut> {
    try {
      const config = this.stageConfig(impl, binding);
      const ctx = this.stageContext(binding, config, method);
      if (impl.run) {
        const outcome = await impl.run(ctx);
        if (outcome.kind !== 'use_challenge') return await this.applyOutcome(impl, ctx, outcome);
      }
      if (!impl.challenge) throw new Error(`Stage kind ${impl.model} defines neither run() nor challenge()`);
      if (method === 'GET') return await this.challengeOut(impl, ctx, null);
      // POST: authentik ChallengeStageView.post.
      const schema = impl.responseSchema ?? responseObject({});
      const parsed = schema.safeParse(body === undefined ? {} : body);
      let errors: ResponseErrors | null = null;
      let data: unknown = undefined;
      if (!parsed.success) {
        errors = issuesToResponseErrors(parsed.error.issues);
      } else {
        data = parsed.data;
        const extra = impl.validate ? await impl.validate(ctx, data) : null;
        if (extra && Object.keys(extra).length > 0) errors = extra;
      }
      if (errors) {
        this.event({ type: 'response_invalid', binding: bindingRef(binding), errors });
        if (binding.invalid_response_action === 'restart' || binding.invalid_response_action === 'restart_with_context') {
          return await this.restartFlow(binding.invalid_response_action === 'restart_with_context');
        }
        return await this.challengeOut(impl, ctx, errors);
      }
      const outcome: StageOutcome = impl.onValid ? await impl.onValid(ctx, data) : { kind: 'ok' };
      return await this.applyOutcome(impl, ctx, outcome);
    } catch (error) {
      if (error instanceof StageInvalid) return this.stageInvalid(error.detail);
      return this.flowError(binding, error);
    }
  }

  async applyOutcome(impl: AnyStageImpl, ctx: StageContext, outcome: StageOutcome): Promise<HttpOut> {
    switch (outcome.kind) {
      case 'ok':
      case 'skip':
        return this.stageOk(impl, ctx, outcome.kind);
      case 'invalid':
        return this.stageInvalid(outcome.message);
      case 'redirect':
        return { kind: 'redirect', to: outcome.to };
      case 'challenge':
        return this.challengeOut(impl, ctx, outcome.errors);
      case 'use_challenge':
        return this.challengeOut(impl, ctx, null);
    }
  }

  componentOf(impl: AnyStageImpl): string {
    return impl.component ?? findKind(stageRegistry, impl.model)?.component ?? '';
  }

  /** `ChallengeStageView._get_challenge` (+ `challenge_invalid`'s `response_errors`). */
  async challengeOut(impl: AnyStageImpl, ctx: StageContext, errors: ResponseErrors | null): Promise<HttpOut> {
    if (!impl.challenge) throw new Error(`Stage kind ${impl.model} has no challenge`);
    const fields = await impl.challenge(ctx);
    const display = this.pendingUser(true);
    const body: Challenge = {
      flow_info: flowInfo(this.flow, formatFlowTitle(this.flow, this.plan?.context ?? null, display)) as unknown as JsonValue,
      component: this.componentOf(impl),
    };
    if (errors) body.response_errors = errors as unknown as JsonValue;
    if (impl.withUserInfo) Object.assign(body, userInfo(display));
    for (const [key, value] of Object.entries(fields)) if (key !== 'component') body[key] = value;
    this.event({ type: 'challenge', binding: bindingRef(ctx.binding), component: body.component, retry: errors !== null });
    return { kind: 'challenge', body, source: 'stage' };
  }

  // --- executor callbacks -----------------------------------------------------------------

  /** authentik `stage_ok` (spec §4.5). */
  async stageOk(impl: AnyStageImpl | null, ctx: StageContext | null, via: 'ok' | 'skip'): Promise<HttpOut> {
    const plan = this.plan as LivePlan;
    if (impl?.cleanup && ctx) impl.cleanup(ctx);
    this.state.history.push(plan.toPlan());
    plan.pop();
    this.sessionPlan = plan;
    this.state.current = null;
    if (this.current) this.event({ type: 'stage_completed', binding: bindingRef(this.current), via });
    if (plan.bindings.length > 0) return { kind: 'self' };
    return this.flowDone();
  }

  /** authentik `stage_invalid` (spec §4.5): restart when the binding says so, else access denied. */
  async stageInvalid(message: string | null, reason: RunOutcomeReason = 'stage_invalid'): Promise<HttpOut> {
    const binding = this.current;
    if (binding && (binding.invalid_response_action === 'restart' || binding.invalid_response_action === 'restart_with_context')) {
      this.event({ type: 'stage_invalid', binding: bindingRef(binding), message, action: binding.invalid_response_action });
      return this.restartFlow(binding.invalid_response_action === 'restart_with_context');
    }
    this.event({ type: 'stage_invalid', binding: binding ? bindingRef(binding) : null, message, action: 'deny' });
    this.cancel();
    return this.accessDenied(message, reason);
  }

  /** `AccessDeniedStage`: a WithUserInfo challenge with `error_message` (default "Unknown error"). */
  accessDenied(message: string | null, reason: RunOutcomeReason): HttpOut {
    const display = this.pendingUser(true);
    const errorMessage = message ? message : UNKNOWN_ERROR;
    const body: Challenge = {
      flow_info: flowInfo(this.flow, formatFlowTitle(this.flow, this.plan?.context ?? null, display)) as unknown as JsonValue,
      component: COMPONENT_ACCESS_DENIED,
      ...userInfo(display),
      error_message: errorMessage,
    };
    this.terminal = {
      result: 'denied',
      reason,
      redirect: null,
      message: errorMessage,
      stage: reason === 'stage_invalid' || reason === 'stage_unavailable' ? (this.current?.stage.name ?? null) : null,
    };
    return { kind: 'challenge', body, source: 'denied' };
  }

  /** authentik `restart_flow(keep_context)`: re-plan (cache off) from the first binding. */
  async restartFlow(keepContext: boolean): Promise<HttpOut> {
    const binding = this.current;
    this.event({ type: 'restart', keep_context: keepContext, binding: binding ? bindingRef(binding) : null });
    if (this.restarting > 0) throw new RestartRecursion();
    this.restarting += 1;
    try {
      const result = await planFlow(this.deps, {
        flow: this.flow,
        request: this.request,
        context: keepContext && this.plan ? this.plan.context : undefined,
        useCache: false,
      });
      this.planEvent(keepContext ? 'restart_with_context' : 'restart', this.flow, result);
      if (!result.ok) {
        if (result.reason === 'not_applicable') return await this.handleInvalidFlow(result.messages);
        // restart_flow only catches FlowNonApplicableException.
        throw new EmptyFlowException();
      }
      this.sessionPlan = this.newLivePlan(result);
      this.state.current = null;
      return { kind: 'self' };
    } finally {
      this.restarting -= 1;
    }
  }

  /** authentik `handle_invalid_flow` (spec §4.6): `denied_action`, `next` from the request's own query. */
  async handleInvalidFlow(messages: readonly string[]): Promise<HttpOut> {
    const action = this.flow.denied_action;
    if (action === 'continue' || action === 'message_continue') {
      const next = this.request.query[NEXT_ARG_NAME];
      if (next && !isUrlAbsolute(next)) {
        this.event({ type: 'denied_action', action, redirect: next });
        return this.redirectOut(next, { result: 'denied', reason: 'not_applicable' });
      }
    }
    if (action === 'continue') {
      this.event({ type: 'denied_action', action, redirect: ROOT_REDIRECT_URL });
      return this.redirectOut(ROOT_REDIRECT_URL, { result: 'denied', reason: 'not_applicable' });
    }
    this.event({ type: 'denied_action', action, redirect: null });
    return this.stageInvalid(messages.join('\n'), 'not_applicable');
  }

  redirectOut(to: string, outcome: { result: RunOutcome['result']; reason: RunOutcomeReason }): HttpOut {
    this.terminal = { ...outcome, redirect: to, message: null, stage: null };
    return { kind: 'redirect', to };
  }

  /** authentik `_flow_done` (spec §4.7). */
  async flowDone(reason: RunOutcomeReason = 'flow_done'): Promise<HttpOut> {
    if (this.plan && Object.hasOwn(this.plan.context, PLAN_CONTEXT_REDIRECT)) {
      // Set by policies or authentik itself: not checked.
      const to = pythonStr(this.plan.context[PLAN_CONTEXT_REDIRECT]);
      this.cancel();
      this.event({ type: 'flow_done', via: 'context_redirect', redirect: to });
      return this.redirectOut(to, { result: 'completed', reason });
    }
    const stored = this.sessionGet ?? {};
    const next = Object.hasOwn(stored, NEXT_ARG_NAME) ? (stored[NEXT_ARG_NAME] as string) : ROOT_REDIRECT_ROUTE;
    this.cancel();
    if (next && !isUrlAbsolute(next)) {
      const to = resolveRedirect(next);
      this.event({ type: 'flow_done', via: 'next', redirect: to });
      return this.redirectOut(to, { result: 'completed', reason });
    }
    this.event({ type: 'flow_done', via: 'invalid_next', redirect: null });
    return this.stageInvalid(INVALID_NEXT_URL, 'invalid_next');
  }

  /** authentik `cancel()`: the session plan and stored query go; history stays. */
  cancel(): void {
    this.sessionPlan = null;
    this.sessionGet = null;
    this.event({ type: 'cancel' });
  }

  /** `handle_exception` → `FlowErrorChallenge` (details for superusers and debug users only). */
  flowError(binding: ResolvedBinding | null, error: unknown): HttpOut {
    const message = error instanceof Error ? error.message : String(error);
    const name = error instanceof Error ? error.name : 'Error';
    const user = this.request ? this.requestUser() : anonymousUser();
    if (!(error instanceof IgnoredStageError)) {
      this.deps.events.append({
        action: 'system_exception',
        user: eventUser(user),
        client_ip: this.request?.ip ?? null,
        app: 'authentik.flows.views.executor',
        model: null,
        context: { message: 'System exception during flow execution.', exception: `${name}: ${message}` },
      });
    }
    this.event({ type: 'stage_error', binding: binding ? bindingRef(binding) : null, error: `${name}: ${message}` });
    const body: Challenge = { component: COMPONENT_FLOW_ERROR, request_id: this.mint() };
    if (!user.is_anonymous && (user.is_superuser || this.isDebugUser(user))) {
      body.error = message;
      body.traceback = `${name}: ${message}`;
    }
    return { kind: 'challenge', body, source: 'error' };
  }

  /** `user.group_attributes()` (groups by name, then the user's own) has `goauthentik.io/user/debug`. */
  isDebugUser(user: EngineUser): boolean {
    const attributes: Record<string, JsonValue> = {};
    if (user.pk !== null) {
      const groups = [...this.deps.workspace.userGroups(user.pk)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const group of groups) Object.assign(attributes, group.attributes);
    }
    Object.assign(attributes, user.attributes);
    return pythonTruthy(attributes[USER_ATTRIBUTE_DEBUG] ?? null);
  }

  // --- flow tokens and flow switching -----------------------------------------------------

  /** authentik `_check_flow_token` (spec §4.2.1). */
  checkFlowToken(key: string): LivePlan | null {
    const store = this.deps.flowTokens ?? null;
    if (!store) {
      this.event({ type: 'flow_token', key, restored: false, detail: 'this run has no flow token store' });
      return null;
    }
    const token = store.get(key);
    if (!token) {
      this.event({ type: 'flow_token', key, restored: false, detail: 'no such (unexpired) token' });
      return null;
    }
    const parsed = planSchema.safeParse(token.plan);
    if (token.revoke_on_execution) store.delete(key);
    if (!parsed.success) {
      this.event({ type: 'flow_token', key, restored: false, detail: 'the saved plan could not be read' });
      return null;
    }
    const plan = new LivePlan(parsed.data, this.mint);
    if (this.sessionPlan) Object.assign(plan.context, this.sessionPlan.context);
    plan.context[PLAN_CONTEXT_IS_RESTORED] = flowTokenRef(token);
    this.state.current = null;
    this.event({ type: 'flow_token', key, restored: true, detail: token.revoke_on_execution ? 'restored; token revoked' : 'restored' });
    return plan;
  }

  createFlowToken(options: { user: EngineUser | null; expiresInSeconds?: number | null; revokeOnExecution?: boolean }): string {
    const store = this.deps.flowTokens ?? null;
    if (!store) throw new Error('This run has no flow token store (deps.flowTokens)');
    const plan = this.plan;
    if (!plan) throw new Error('No plan to save in a flow token');
    const key = this.mint() + this.mint().slice(0, 8);
    const seconds = options.expiresInSeconds ?? null;
    store.save({
      key,
      flow_pk: this.flow.pk,
      plan: plan.toPlan() as unknown as JsonValue,
      user_pk: options.user && options.user.saved ? options.user.pk : null,
      expires: seconds === null ? null : new Date(this.deps.clock.now() + seconds * 1000).toISOString(),
      revoke_on_execution: options.revokeOnExecution ?? true,
    });
    return key;
  }

  /** The redirect stage's `switch_flow_with_context` (spec §5.14). */
  async switchFlow(target: Flow, keepContext: boolean): Promise<string> {
    const context: Record<string, JsonValue> = keepContext && this.plan ? this.plan.context : {};
    context[PLAN_CONTEXT_IS_REDIRECTED] = { $flow: this.flow.pk };
    const result = await planFlow(this.deps, { flow: target, request: this.request, context, useCache: false });
    this.planEvent('flow_switch', target, result);
    if (!result.ok) {
      if (result.reason === 'not_applicable') throw new StageInvalid(null);
      throw new EmptyFlowException();
    }
    this.sessionPlan = this.newLivePlan(result);
    this.state.current = null;
    const url = flowInterfaceUrl(target.slug, this.sessionGet ?? {});
    this.event({ type: 'flow_switch', flow_slug: target.slug, url });
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

async function execute(
  deps: EngineDeps,
  state: RunState,
  method: 'GET' | 'POST',
  body: unknown,
  options: ExecutorOptions,
  extra: { initialContext?: Record<string, JsonValue>; recordInitialPlan?: boolean; preEvents?: RunEventBody[] } = {},
): Promise<StepResult> {
  const call = new Call(deps, state, options, extra);
  for (const event of extra.preEvents ?? []) call.event(event);
  const follow = options.follow ?? true;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let out = await call.request_(method, body);
  let hops = 0;
  while (out.kind === 'self' && follow && call.terminal === null) {
    hops += 1;
    if (hops > maxRedirects) {
      const error = `Flowbench stopped after ${maxRedirects} redirects: the flow keeps sending the browser back to the executor (a restart loop?)`;
      call.event({ type: 'stage_error', binding: null, error });
      return {
        state,
        status: 'error',
        response: { component: COMPONENT_FLOW_ERROR, request_id: call.mint(), error },
        events: call.events,
        messages: call.messages,
        follow: null,
      };
    }
    out = await call.request_('GET', undefined);
  }
  let status: StepStatus;
  let response: Challenge | null;
  if (out.kind === 'self') {
    status = 'continue';
    response = null;
  } else if (out.kind === 'redirect') {
    response = { component: COMPONENT_REDIRECT, to: out.to };
    status = 'redirect';
  } else {
    response = out.body;
    status = out.source === 'error' ? 'error' : out.body.component === COMPONENT_REDIRECT ? 'redirect' : 'challenge';
  }
  if (call.terminal) {
    state.outcome = call.terminal;
    status = call.terminal.result;
  }
  const to = response && response.component === COMPONENT_REDIRECT && typeof response.to === 'string' ? response.to : null;
  return { state, status, response, events: call.events, messages: call.messages, follow: to ? parseFlowInterfaceUrl(to) : null };
}

/** Start a run: pick the flow (slug or designation), open the session, GET the executor. */
export async function startRun(deps: EngineDeps, input: StartRunInput, options: ExecutorOptions = {}): Promise<StepResult> {
  const preEvents: RunEventBody[] = [];
  let flow: Flow | null = null;
  if (input.flow !== undefined) {
    flow = deps.workspace.flowBySlug(input.flow);
    if (!flow) throw new FlowNotFoundError(`No flow with slug "${input.flow}"`);
  } else if (input.designation !== undefined) {
    const selected = await selectFlowForDesignation(deps, {
      designation: input.designation,
      request: input.request,
      brandFlow: input.brandFlow ?? null,
      useCache: input.useCache ?? false,
    });
    if (!selected.ok) throw new FlowNotFoundError(`No flow of designation "${input.designation}" applies to this request`);
    flow = selected.flow;
    preEvents.push({ type: 'flow_selected', designation: input.designation, flow_slug: flow.slug, via: selected.via, traces: selected.traces });
  } else {
    throw new FlowNotFoundError('startRun needs a flow slug or a designation');
  }
  const sessionUser = input.request.session_user;
  const state: RunState = {
    version: RUN_STATE_VERSION,
    flow_slug: flow.slug,
    plan: null,
    session: {
      user: sessionUser && !sessionUser.is_anonymous ? userRef(sessionUser) : null,
      key: input.request.session_key ?? null,
      data: {},
    },
    query: { ...(input.query ?? {}) },
    request: stripSession(input.request),
    history: [],
    stages_run: [],
    initial_plan: [],
    current: null,
    use_cache: input.useCache ?? false,
    initial_context: input.context ? (JSON.parse(JSON.stringify(input.context)) as Record<string, JsonValue>) : null,
    outcome: null,
  };
  return execute(deps, state, 'GET', undefined, options, {
    initialContext: state.initial_context ?? undefined,
    recordInitialPlan: true,
    preEvents,
  });
}

/** GET the executor: the current challenge (or whatever the plan leads to). */
export async function get(deps: EngineDeps, state: RunState, options: ExecutorOptions = {}): Promise<StepResult> {
  if (state.outcome) throw new RunFinishedError();
  return execute(deps, cloneRunState(state), 'GET', undefined, options);
}

/** POST a response (`{component, …fields}`) to the current stage. */
export async function respond(deps: EngineDeps, state: RunState, body: unknown, options: ExecutorOptions = {}): Promise<StepResult> {
  if (state.outcome) throw new RunFinishedError();
  return execute(deps, cloneRunState(state), 'POST', body, options);
}

/**
 * Open `/if/flow/<slug>/?<query>` in the run's browser session: the executor for that flow with
 * that `query` (an email link with `flow_token`, the target of a flow switch, another flow).
 */
export async function navigate(
  deps: EngineDeps,
  state: RunState,
  target: { flow: string; query?: Record<string, string> },
  options: ExecutorOptions = {},
): Promise<StepResult> {
  const next = cloneRunState(state);
  next.flow_slug = target.flow;
  next.query = { ...(target.query ?? {}) };
  next.outcome = null;
  return execute(deps, next, 'GET', undefined, options);
}

/** Abandon the plan and run the flow again from the start (with the run's initial context). */
export async function restartRun(deps: EngineDeps, state: RunState, options: ExecutorOptions = {}): Promise<StepResult> {
  const next = cancelRun(state);
  next.outcome = null;
  return execute(deps, next, 'GET', undefined, options, { initialContext: next.initial_context ?? undefined });
}

/** `/flows/-/cancel/`: drop the session plan (history and bookkeeping stay). */
export function cancelRun(state: RunState): RunState {
  const next = cloneRunState(state);
  next.plan = null;
  next.current = null;
  return next;
}

/** Save the run's current plan under a new flow token (what the email stage does); returns the key. */
export function saveRunFlowToken(
  deps: EngineDeps,
  state: RunState,
  options: { userPk?: number | null; expiresInSeconds?: number | null; revokeOnExecution?: boolean; key?: string } = {},
): string {
  const store = deps.flowTokens ?? null;
  if (!store) throw new Error('This run has no flow token store (deps.flowTokens)');
  if (!state.plan) throw new Error('The run has no plan to save');
  const key = options.key ?? uuidHex(deps.random.uuid()) + uuidHex(deps.random.uuid()).slice(0, 8);
  const seconds = options.expiresInSeconds ?? null;
  store.save({
    key,
    flow_pk: state.plan.flow_pk,
    plan: JSON.parse(JSON.stringify(state.plan)) as JsonValue,
    user_pk: options.userPk ?? null,
    expires: seconds === null ? null : new Date(deps.clock.now() + seconds * 1000).toISOString(),
    revoke_on_execution: options.revokeOnExecution ?? true,
  });
  return key;
}

/**
 * authentik `FlowPlan.requires_flow_executor(allowed_silent_types)` (spec §3.6, P12–P15): false
 * only when an allow-list is given and every planned stage's kind is on it without a
 * re-evaluation marker (the caller may then run the last stage directly).
 */
export function requiresFlowExecutor(deps: Pick<EngineDeps, 'workspace'>, plan: Plan, allowedSilentTypes?: readonly string[] | null): boolean {
  if (!allowedSilentTypes || allowedSilentTypes.length === 0) return true;
  let unskippable = false;
  plan.bindings.forEach((id, index) => {
    if (!allowedSilentTypes.includes(resolveBinding(deps.workspace, id).stage.kind)) unskippable = true;
    if (plan.markers[index] === 'reevaluate') unskippable = true;
  });
  return unskippable;
}

export interface ToRedirectInput {
  flow: string;
  plan: Plan;
  request: SimRequest;
  /** The calling view's query string (kept on the flow interface URL). */
  query?: Record<string, string>;
  allowedSilentTypes?: readonly string[] | null;
}

export interface ToRedirectResult {
  /** True: the flow interface must run the plan (`to` is `/if/flow/<slug>/…`). */
  executor: boolean;
  /** Where the browser goes (the flow interface, or the silent stage's redirect). */
  to: string | null;
  /** The silent stage's challenge when it answered with one instead of a redirect. */
  response: Challenge | null;
  /** The session after `to_redirect` (continue it with `navigate`/`get`). */
  state: RunState;
  events: RunEvent[];
}

/**
 * authentik `FlowPlan.to_redirect(request, flow, allowed_silent_types)`: store the plan in the
 * session; when no executor is required run the last stage directly, then `stage_ok()`, and
 * return that stage's response; else send the browser to the flow interface. (authentik also
 * adds `inspector=available` for users allowed to inspect; Flowbench has no permissions.)
 */
export async function toRedirect(deps: EngineDeps, input: ToRedirectInput, options: ExecutorOptions = {}): Promise<ToRedirectResult> {
  const flow = deps.workspace.flowBySlug(input.flow);
  if (!flow) throw new FlowNotFoundError(`No flow with slug "${input.flow}"`);
  const sessionUser = input.request.session_user;
  const state: RunState = {
    version: RUN_STATE_VERSION,
    flow_slug: flow.slug,
    plan: JSON.parse(JSON.stringify(input.plan)) as Plan,
    session: { user: sessionUser && !sessionUser.is_anonymous ? userRef(sessionUser) : null, key: input.request.session_key ?? null, data: {} },
    query: { ...(input.query ?? {}) },
    request: stripSession(input.request),
    history: [],
    stages_run: [],
    initial_plan: input.plan.bindings.map((id) => bindingStageName(deps.workspace, id)),
    current: null,
    use_cache: false,
    initial_context: null,
    outcome: null,
  };
  if (requiresFlowExecutor(deps, input.plan, input.allowedSilentTypes)) {
    return { executor: true, to: flowInterfaceUrl(flow.slug, state.query), response: null, state, events: [] };
  }
  const call = new Call(deps, state, options, {});
  call.flow = flow;
  call.request = call.buildRequest();
  call.plan = call.sessionPlan = new LivePlan(input.plan, call.mint);
  call.sessionGet = { ...state.query };
  const last = input.plan.bindings[input.plan.bindings.length - 1];
  if (last === undefined) throw new Error('to_redirect without an executor needs at least one stage');
  const binding = resolveBinding(deps.workspace, last);
  call.current = binding;
  state.stages_run.push(binding.stage.name);
  const impl = findStageImpl(call.registry, binding.stage.kind);
  if (!impl) throw new Error(unavailableStageMessage(binding.stage.kind));
  const out = await call.runStage(impl, binding, 'GET', undefined);
  // `temp_exec.stage_ok()` cleans the session; its own response is discarded.
  await call.stageOk(null, null, 'ok');
  state.plan = call.sessionPlan ? (call.sessionPlan as LivePlan).toPlan() : null;
  if (out.kind === 'redirect') return { executor: false, to: out.to, response: null, state, events: call.events };
  if (out.kind === 'challenge') return { executor: false, to: null, response: out.body, state, events: call.events };
  return { executor: false, to: null, response: null, state, events: call.events };
}

/** Is `value` the `is_restored` JSON of a restored plan? */
export function isFlowTokenRef(value: unknown): value is { $flow_token: string; flow_pk: string; user: { $user: number } | null; expires: string | null } {
  return isJsonObject(value) && typeof value.$flow_token === 'string';
}

/** The session's user at the end of a run (flow-test `session_user`), or null. */
export function runSessionUser(deps: EngineDeps, state: RunState): EngineUser | null {
  const ref = state.session.user;
  if (!ref || typeof ref.$user !== 'number') return null;
  return loadEngineUser(deps.workspace, ref.$user);
}
