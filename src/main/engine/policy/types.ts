import { type JsonValue, type PolicyEngineMode } from '@shared/model';
import { type EngineUser, type SimRequest, type TraceLog } from '../ports';

/**
 * Policy engine data: the request a policy sees, the result it returns, the trace every
 * evaluation produces, and the two exceptions of authentik's engine.
 */

/** What a policy evaluation is about (authentik's `request.obj`, the PBM). */
export interface TraceTarget {
  kind: 'flow' | 'binding' | 'prompt_stage' | 'adhoc';
  /** Flow pk, flow stage binding pk, prompt stage pk; null for an ad-hoc list. */
  pk: string | null;
  label: string;
}

/** authentik `PolicyRequest`. `context` values are JSON or `UserRef`s (and the live plan). */
export interface PolicyRequest {
  user: EngineUser;
  http: SimRequest | null;
  obj: TraceTarget;
  context: Record<string, unknown>;
  /** authentik's debug flag: no events, no caching. */
  debug: boolean;
}

/** What a policy kind returns (authentik `PolicyResult` before negate). */
export interface KindResult {
  passing: boolean;
  messages: string[];
  raw_result?: JsonValue;
}

/**
 * Raised by a policy kind to say "I could not evaluate": the binding's `failure_result` is
 * used, negate is NOT applied, and a `policy_exception` event is recorded (authentik
 * `PolicyException`). Any other error thrown by a kind is a crash: failing, no event.
 */
export class PolicyException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyException';
  }
}

/**
 * Raised by a kind whose runtime enforces the binding's timeout itself, in real time (the
 * Python host: a fake engine clock must not decide when a real process is late). The engine
 * treats it exactly like its own timeout: failing, negate and failure_result not applied.
 */
export class PolicyTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`Policy did not return within the binding's timeout of ${seconds} seconds`);
    this.name = 'PolicyTimeout';
  }
}

/**
 * A binding the engine cannot run at all (the abstract base `Policy`, or a kind Flowbench has
 * no implementation for): thrown while building, before any policy runs (authentik
 * `PolicyEngineException`, G8).
 */
export class PolicyEngineException extends Error {
  readonly code = 'POLICY_ENGINE';
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEngineException';
  }
}

/** How one binding's result came about. */
export type ResultOutcome =
  /** The policy returned; negate applied. */
  | 'returned'
  /** The policy raised a PolicyException: `failure_result` used, negate not applied. */
  | 'policy_exception'
  /** Any other error: failing, negate not applied. */
  | 'crash'
  /** No result within the binding's timeout: failing, negate not applied. */
  | 'timeout'
  /** User/group bindings folded into one result (or judged one by one in per-binding mode). */
  | 'static';

export interface TraceBinding {
  pk: string;
  order: number;
  negate: boolean;
  enabled: boolean;
  timeout: number;
  failure_result: boolean;
}

export interface TracePolicy {
  pk: string;
  name: string;
  kind: string;
}

/** One entry of a trace: one policy binding, or the folded static result. Plain JSON. */
export interface TraceResult {
  binding: TraceBinding | null;
  policy: TracePolicy | null;
  subject: 'policy' | 'static';
  /** The policy's raw result (expression return value, static counts, …). */
  raw_result: JsonValue;
  /** Final result of this entry (after negate / failure_result). */
  passing: boolean;
  messages: string[];
  logs: TraceLog[];
  /** Message-free remarks for the reader, e.g. "HIBP not checked (offline)". */
  notes: string[];
  duration_ms: number;
  error: string | null;
  /** Expression policies: the 1-based line `error` points at, when known. */
  error_line?: number | null;
  /** Expression policies: what the expression `print()`ed. */
  output?: string;
  outcome: ResultOutcome;
  /** Taken from the policy cache instead of being run. */
  cached: boolean;
}

/** The trace of one policy-engine evaluation (one PBM). Plain, stable JSON. */
export interface PolicyTrace {
  target: TraceTarget;
  mode: PolicyEngineMode;
  /** Who `request.user` was. */
  user: { pk: number | null; username: string; is_anonymous: boolean };
  passing: boolean;
  messages: string[];
  /** In combination order: policy bindings by order, then the static result. */
  results: TraceResult[];
}

export interface PolicyEvaluation {
  passing: boolean;
  messages: string[];
  trace: PolicyTrace;
}
