import { expressionRuntimeInput, type ProcedureInput, POLICY_TEST_DEFAULT_TIMEOUT, type PolicyTestResult, policyTestInput } from '@shared/contract';
import { findKind, policyRegistry, type Policy, type PolicyBinding, type User } from '@shared/model';
import { expressionPolicy } from '@shared/model/policies';
import { zxcvbnEstimator } from '../engine/adapters/zxcvbn';
import {
  MemoryCache,
  MemoryEventLog,
  MemoryReputationStore,
  MemoryWorkspace,
  systemClock,
  systemRandom,
  type WorkspaceSnapshot,
} from '../engine/memory';
import { evaluatePolicies, PolicyEngineException, unavailableExpressionRuntime } from '../engine/policy';
import {
  type EngineDeps,
  type EngineUser,
  type ExpressionOutcome,
  type ExpressionRuntime,
  type ExpressionRuntimeStatus,
  type SimRequest,
} from '../engine/ports';
import { anonymousUser, ContextUserError, engineUser, resolveContextUserNames } from '../engine/users';
import { type BindingService } from './bindings';
import { type ServiceContext } from './context';
import { invalid, notFound, parseInput } from './errors';
import { type FlowService } from './flows';
import { type GroupService } from './groups';
import { type PolicyService } from './policies';
import { type PolicyBindingService } from './policy-bindings';
import { type PromptService } from './prompts';
import { type StageService } from './stages';
import { type UserService } from './users';

/**
 * `policies.test`: one policy evaluated the way authentik's policy test API does it
 * (`PolicyViewSet.test`: `PolicyProcess(PolicyBinding(policy=policy), request)` with
 * `request.debug = True`) — a fresh binding (no negate, failure_result false, the default
 * timeout), no events, no cache — through the engine's public `evaluatePolicies` with one
 * ad-hoc binding. Any policy kind can be tested.
 *
 * The engine works on an in-memory snapshot of the workspace (`MemoryWorkspace`, read through
 * the services): whatever the policy writes (the expiry policy makes a password unusable) stays
 * in that copy. Events, reputation and the cache are fresh in-memory ones, as in `flowbench plan`.
 */
export interface PolicyTestService {
  run(input: ProcedureInput<'policies.test'>): Promise<PolicyTestResult>;
  /** The expression runtime's state; `warmUp` starts loading Python (and waits for it). */
  runtime(input: ProcedureInput<'policies.runtime'>): Promise<ExpressionRuntimeStatus>;
}

const UNAVAILABLE_STATUS: ExpressionRuntimeStatus = { state: 'unavailable', host: 'none', python: null, pyodide: null, loadMs: null, launches: 0, lastExit: null };

export interface PolicyTestSources {
  flows: FlowService;
  stages: StageService;
  bindings: BindingService;
  policies: PolicyService;
  policyBindings: PolicyBindingService;
  prompts: PromptService;
  users: UserService;
  groups: GroupService;
}

/** The pk of the throwaway binding a test evaluates through (never stored). */
const TEST_BINDING_PK = '00000000-0000-4000-8000-000000007e57';
const NO_TARGET = '00000000-0000-0000-0000-000000000000';

/** Everything the engine may read, through the services (as `ServiceWorkspaceReader` does). */
function snapshotOf(sources: PolicyTestSources): WorkspaceSnapshot {
  const flows = sources.flows.list();
  const flowStageBindings = flows.flatMap((flow) => sources.bindings.list(flow.pk));
  const targets = [...flows.map((f) => f.pk), ...flowStageBindings.map((b) => b.pk)];
  return {
    flows,
    stages: sources.stages.list(),
    flowStageBindings,
    policies: sources.policies.list(),
    policyBindings: targets.flatMap((target) => sources.policyBindings.list(target)),
    users: sources.users.list(),
    groups: sources.groups.list(),
    prompts: sources.prompts.list(),
  };
}

function findPolicy(workspace: MemoryWorkspace, ref: string): Policy {
  const policy = workspace.policyByPk(ref.toLowerCase()) ?? workspace.policyByPk(ref) ?? workspace.policyByName(ref);
  if (!policy) {
    throw notFound(`There is no policy "${ref}" in this workspace (give its pk or name).`, [
      { path: ['policy'], message: 'No such policy' },
    ]);
  }
  return policy;
}

/** A username, or a pk (a number, or digits that are nobody's username). */
function findUser(workspace: MemoryWorkspace, ref: string | number): User {
  let user: User | null | undefined;
  if (typeof ref === 'number') user = workspace.userByPk(ref);
  else {
    user = workspace.findUsers({ username: ref })[0];
    if (!user && /^\d+$/.test(ref)) user = workspace.userByPk(Number(ref));
  }
  if (!user) {
    throw notFound(`There is no user "${ref}" in this workspace (give a username or a pk; none = anonymous).`, [
      { path: ['user'], message: 'No such user' },
    ]);
  }
  return user;
}

/** Records what the runtime answered: print output and error lines, whether the trace carries them or not. */
function recording(runtime: ExpressionRuntime, outcomes: ExpressionOutcome[]): ExpressionRuntime {
  // The unavailable runtime stays itself: the expression kind recognises it and answers at once.
  if (runtime === unavailableExpressionRuntime) return runtime;
  return {
    async evaluate(...args: Parameters<ExpressionRuntime['evaluate']>) {
      const outcome = await runtime.evaluate(...args);
      outcomes.push(outcome);
      return outcome;
    },
  };
}

export function createPolicyTestService(ctx: ServiceContext, sources: PolicyTestSources): PolicyTestService {
  return {
    runtime(raw) {
      const input = parseInput(expressionRuntimeInput, raw);
      const runtime = ctx.expressions;
      if (!runtime.status) return Promise.resolve(UNAVAILABLE_STATUS);
      // Starts loading and answers at once: the caller polls (loading takes seconds).
      if (input.warmUp && runtime.warmUp) void runtime.warmUp();
      return Promise.resolve(runtime.status());
    },
    async run(raw) {
      const input = parseInput(policyTestInput, raw);
      const workspace = new MemoryWorkspace(snapshotOf(sources));
      const policy = findPolicy(workspace, input.policy);
      const user: EngineUser =
        input.user === undefined || input.user === null ? anonymousUser() : engineUser(workspace, findUser(workspace, input.user));

      let context;
      try {
        context = resolveContextUserNames(workspace, input.context, { checkRefs: true });
      } catch (error) {
        if (!(error instanceof ContextUserError)) throw error;
        throw invalid(error.message, [{ path: ['context'], message: error.message }]);
      }

      const http: SimRequest = {
        ip: input.request?.ip ?? '127.0.0.1',
        user_agent: input.request?.user_agent ?? 'flowbench',
        query: {},
        geoip: null,
        asn: null,
        session_user: user.is_anonymous ? null : user,
        session_key: null,
      };
      const timeout = input.timeout ?? POLICY_TEST_DEFAULT_TIMEOUT;
      const binding: PolicyBinding = {
        pk: TEST_BINDING_PK,
        target: NO_TARGET,
        policy: policy.pk,
        group: null,
        user: null,
        negate: false,
        enabled: true,
        order: 0,
        timeout,
        failure_result: false,
      };

      const outcomes: ExpressionOutcome[] = [];
      const runtime = recording(ctx.expressions, outcomes);
      const clock = systemClock;
      const deps: EngineDeps = {
        workspace,
        writer: workspace,
        clock,
        random: systemRandom,
        events: new MemoryEventLog(clock, systemRandom),
        reputation: new MemoryReputationStore(clock),
        expressions: runtime,
        cache: new MemoryCache(clock),
        passwordStrength: zxcvbnEstimator,
      };

      let evaluation;
      try {
        evaluation = await evaluatePolicies(deps, {
          target: { kind: 'adhoc', pk: null, label: `policy test: ${policy.name}` },
          mode: 'all',
          bindings: [binding],
          policies: new Map([[policy.pk, policy]]),
          user,
          request: http,
          context,
          useCache: false,
          debug: true,
          list: true,
        });
      } catch (error) {
        // A kind Flowbench cannot run, or a config it cannot read: nothing was evaluated.
        if (error instanceof PolicyEngineException) throw invalid(error.message, [{ path: ['policy'], message: error.message }]);
        throw error;
      }

      const result = evaluation.trace.results[0];
      if (!result) throw new Error('the policy engine returned no result for the tested policy');
      const last = outcomes.at(-1);
      const isExpression = policy.kind === expressionPolicy.model;
      const unavailable = isExpression && (runtime === unavailableExpressionRuntime || outcomes.some((o) => o.unavailable === true));
      const errorLine = result.error === null ? null : (result.error_line ?? last?.error_line ?? null);
      return {
        policy: {
          pk: policy.pk,
          name: policy.name,
          kind: policy.kind,
          label: findKind(policyRegistry, policy.kind)?.label ?? policy.kind,
        },
        user: { pk: user.pk, username: user.username, is_anonymous: user.is_anonymous },
        request: { ip: http.ip, user_agent: http.user_agent },
        timeout,
        passing: result.passing,
        raw_result: result.raw_result,
        messages: result.messages,
        logs: result.logs,
        output: result.output ?? last?.output ?? '',
        notes: result.notes,
        duration_ms: result.duration_ms,
        error: result.error,
        error_line: errorLine,
        outcome: result.outcome === 'static' ? 'returned' : result.outcome,
        expressions_unavailable: unavailable,
      };
    },
  };
}
