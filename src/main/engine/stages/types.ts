import { type z } from 'zod';
import { type Flow, type JsonValue } from '@shared/model';
import { type ResponseErrors } from '../executor/challenge';
import { type FlowMessage } from '../executor/events';
import { type ExecStage, type LivePlan, type ResolvedBinding } from '../executor/live-plan';
import { type PolicyEvaluation } from '../policy/types';
import { type EngineDeps, type EngineUser, type SimRequest, type TraceLog, type WorkspaceWriter } from '../ports';

/**
 * The stage framework: what a stage kind implements (`StageImpl`) and what it gets while it
 * runs (`StageContext`). One implementation per authentik stage model, in an explicit registry
 * (`./index.ts`). The executor owns the protocol (GET → challenge, POST → response schema →
 * `validate` → `onValid`), `flow_info`, user info and `response_errors`; a stage only says
 * what to show, how to read the answer and what happens then.
 */

/** What a stage decides; built with the `StageContext` helpers. */
export type StageOutcome =
  /** `stage_ok()`: the stage passed; the executor moves on. */
  | { kind: 'ok' }
  /** authentik's `FlowSkipStageException` → `stage_ok()` (traced as a skip). */
  | { kind: 'skip' }
  /** `stage_invalid(message)`: access denied — or a restart when the binding says so. */
  | { kind: 'invalid'; message: string | null }
  /** Show the stage's challenge (again), optionally with `response_errors`. */
  | { kind: 'challenge'; errors: ResponseErrors | null }
  /** From `run()`: continue with the challenge protocol (authentik `super().dispatch()`). */
  | { kind: 'use_challenge' }
  /** An HTTP redirect away from the executor, delivered as `xak-flow-redirect` (no flow_info). */
  | { kind: 'redirect'; to: string };

/** `validate` result: nothing (valid) or DRF-style errors (the response is invalid). */
export type ValidationResult = ResponseErrors | null | undefined | void;

/** The challenge fields a stage shows (without `component`, `flow_info`, user info, errors). */
export type ChallengeFields = Record<string, JsonValue>;

/**
 * authentik's `StageInvalidException` / `InvalidStageError`: throw it anywhere in a stage
 * (challenge, validation, run) to call `stage_invalid(message)`.
 */
export class StageInvalid extends Error {
  constructor(readonly detail: string | null = null) {
    super(detail ?? '');
    this.name = 'StageInvalid';
  }
}

/**
 * An error authentik treats as a `SentryIgnoredException`: the response is still
 * `ak-stage-flow-error`, but no `system_exception` event is recorded (e.g. the dummy stage's
 * `throw_error`). Any other error thrown by a stage records that event.
 */
export class IgnoredStageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IgnoredStageError';
  }
}

/** The Django session as a stage sees it. */
export interface StageSession {
  /** The session's user (null = anonymous). */
  user(): EngineUser | null;
  /**
   * Django `login(request, user, backend)`: the session user becomes `user` (the session key
   * is cycled), `last_login` is written, a `login` event is recorded and the reputation of
   * (username, IP) is raised by 1 (authentik's `user_logged_in` receivers).
   */
  login(user: EngineUser, options: { backend: string; data?: Record<string, JsonValue> }): void;
  /** Django `logout(request)`: a `logout` event, then the session is flushed (user, key, stored query). */
  logout(): void;
  /** Extra session values (`last_ip`, expiry, bindings); persisted with the run. */
  readonly data: Record<string, JsonValue>;
}

export interface StageContext<Config = unknown> {
  readonly deps: EngineDeps;
  /** The flow the executor runs (its `flow_info`, designation). */
  readonly flow: Flow;
  readonly binding: ResolvedBinding;
  readonly stage: ExecStage;
  /** The stage's config, parsed by the kind's schema (defaults applied). */
  readonly config: Config;
  /** The live plan: `plan.context` is the flow context (writes persist when the stage passes). */
  readonly plan: LivePlan;
  readonly method: 'GET' | 'POST';
  /** The executor's stored `query` (`authentik/flows/get`); `{}` after a logout flushed the session. */
  readonly query: Readonly<Record<string, string>>;
  /** The simulated HTTP request, with the current session user. */
  readonly request: SimRequest;
  readonly session: StageSession;

  /** Django's `request.user`: the session user, else AnonymousUser. */
  requestUser(): EngineUser;
  /**
   * authentik `get_pending_user(for_display)` (spec §5.0): with `forDisplay` and
   * `pending_user_identifier` set → a display-only user with that username; else
   * `context.pending_user`; else the request user.
   */
  pendingUser(options?: { forDisplay?: boolean }): EngineUser;

  ok(): StageOutcome;
  skip(): StageOutcome;
  invalid(message?: string | null): StageOutcome;
  showChallenge(errors?: ResponseErrors | null): StageOutcome;
  useChallenge(): StageOutcome;
  redirect(to: string): StageOutcome;

  /**
   * The redirect stage's flow switch: plan `target` (cache off) with the current context
   * (`keepContext`) or `{}`, plus `is_redirected`; store it as the session plan and return the
   * flow interface URL. Throws `StageInvalid` when the target does not apply.
   */
  switchFlow(target: Flow, options: { keepContext: boolean }): Promise<string>;
  /** Save the current plan under a new flow token (authentik `FlowToken`); returns its key. */
  createFlowToken(options: { user: EngineUser | null; expiresInSeconds?: number | null; revokeOnExecution?: boolean }): string;
  /**
   * Apply a workspace write through the run's writer. Without a writer the write is not
   * applied and the trace says so. Returns whether it was applied.
   */
  sideEffect(action: string, detail: string, apply: (writer: WorkspaceWriter) => void): boolean;

  /** A line for the trace. */
  log(level: TraceLog['level'], message: string): void;
  /** Put a policy evaluation the stage ran itself into the trace (`stage_policies`). */
  policyTrace(purpose: string, evaluation: PolicyEvaluation): void;
  /** A Django `messages` entry (authentik shows it as a toast). */
  message(level: FlowMessage['level'], text: string): void;
}

/**
 * One stage kind. Interactive stages give `challenge` + `responseSchema` (+ `validate`,
 * `onValid`); non-interactive ones give `run`, which may return `ctx.useChallenge()` to fall
 * through to the challenge protocol (user_login with remember-me).
 */
export interface StageImpl<Config = unknown, Response = unknown> {
  /** authentik model name (`authentik_stages_dummy.dummystage`), or the view path of an in-memory kind. */
  readonly model: string;
  /** Challenge component; default: the shared stage registry's `component`. */
  readonly component?: string;
  /** authentik `WithUserInfoChallenge`: the challenge carries `pending_user` and `pending_user_avatar`. */
  readonly withUserInfo?: boolean;
  /** Config schema for in-memory kinds (workspace kinds are parsed with the shared registry's schema). */
  readonly config?: z.ZodType<Config>;
  /** Runs on any method (authentik `StageView.dispatch`). */
  run?(ctx: StageContext<Config>): StageOutcome | Promise<StageOutcome>;
  /** The challenge fields (authentik `get_challenge`); may throw `StageInvalid` or any error. */
  challenge?(ctx: StageContext<Config>): ChallengeFields | Promise<ChallengeFields>;
  /** The response schema (authentik's `ChallengeResponse` serializer); issues become `response_errors`. */
  readonly responseSchema?: z.ZodType<Response>;
  /** Cross-field/stateful validation after the schema (may read/write `ctx.plan.context`, may throw `StageInvalid`). */
  validate?(ctx: StageContext<Config>, response: Response): ValidationResult | Promise<ValidationResult>;
  /** authentik `challenge_valid`; default `ctx.ok()`. */
  onValid?(ctx: StageContext<Config>, response: Response): StageOutcome | Promise<StageOutcome>;
  /** authentik `StageView.cleanup`, called by `stage_ok`. */
  cleanup?(ctx: StageContext<Config>): void;
}

/** A registry entry with its types erased (what the registry and the executor hold). */
export type AnyStageImpl = StageImpl<unknown, unknown>;

/** Keep a stage's types while defining it; the registry holds it type-erased. */
export function defineStage<Config, Response = Record<string, unknown>>(impl: StageImpl<Config, Response>): AnyStageImpl {
  return impl as unknown as AnyStageImpl;
}

/** Stage implementations keyed by model name. */
export type StageRegistry = Readonly<Record<string, AnyStageImpl>>;
