import { z } from 'zod';
import { jsonValue, type JsonValue } from '@shared/model';
import { cloneJson } from '../json';
import { planSchema, type Plan } from '../planner';
import { type SimRequest } from '../ports';
import { type UserRef } from '../users';

/**
 * A run of the flow executor as versioned plain JSON: what authentik keeps in the HTTP session
 * (`authentik/flows/plan`, `authentik/flows/history`), the session's user, the executor's
 * `query`, plus Flowbench's bookkeeping for flow tests (`stages_run`, `initial_plan`,
 * `outcome`). Never class instances: a run can be serialized after any step and resumed.
 */

export const RUN_STATE_VERSION = 1 as const;

/** The simulated request a run is made with; the session part lives in `session`. */
export type RunRequest = Omit<SimRequest, 'session_user' | 'session_key'>;

export interface RunSession {
  /** The logged-in user (Django's `request.user` between requests); null = anonymous. */
  user: UserRef | null;
  /** The session key (part of the policy cache key); login cycles it, logout flushes it. */
  key: string | null;
  /** What stages put into the session besides the plan (login expiry, last IP, bindings). */
  data: Record<string, JsonValue>;
}

export type RunResult = 'completed' | 'denied';

export type RunOutcomeReason =
  /** All stages passed (or the plan ran out through re-evaluation) → `_flow_done`. */
  | 'flow_done'
  /** An authentication flow not applicable to an already authenticated user → `_flow_done`. */
  | 'already_authenticated'
  /** The planner said the flow does not apply; `denied_action` decided the response. */
  | 'not_applicable'
  /** A stage called `stage_invalid` (or the plan could not continue) → access denied. */
  | 'stage_invalid'
  /** `next` in the query is an absolute URL → access denied "Invalid next URL". */
  | 'invalid_next'
  /** A stage kind Flowbench cannot run yet → access denied (never passes silently). */
  | 'stage_unavailable';

export interface RunOutcome {
  result: RunResult;
  reason: RunOutcomeReason;
  /** The final `xak-flow-redirect` target, if the run ended with one. */
  redirect: string | null;
  /** The access-denied `error_message`, if the run ended with one. */
  message: string | null;
  /** The stage that denied (if a stage did). */
  stage: string | null;
}

export interface RunState {
  version: typeof RUN_STATE_VERSION;
  /** The flow the client talks to (the executor URL's slug). */
  flow_slug: string;
  /** The session plan (`authentik/flows/plan`); null when there is none (finished or cancelled). */
  plan: Plan | null;
  session: RunSession;
  /** The executor's `query` parameter, parsed (sent with every request). */
  query: Record<string, string>;
  /** The simulated HTTP request (its own query string is `request.query`). */
  request: RunRequest;
  /** Plan snapshots taken by `stage_ok` before popping (`authentik/flows/history`, the inspector's plans). */
  history: Plan[];
  /** Stage names, one each time a stage became current and was executed (flow-test `stages_run`). */
  stages_run: string[];
  /** Stage names of the plan as the planner returned it when the run started (flow-test `plan`). */
  initial_plan: string[];
  /** The plan entry that is currently entered (so a retried challenge is not counted twice). */
  current: string | null;
  /** Plan with the plan cache (authentik's executor does; previews do not). */
  use_cache: boolean;
  /** The default context the run was started with (reused by `restartRun`). */
  initial_context: Record<string, JsonValue> | null;
  /** Set when the run ended (completed or denied); a later `get`/`respond` is refused. */
  outcome: RunOutcome | null;
}

const userRefSchema: z.ZodType<UserRef> = z.union([
  z.object({ $user: z.number().int() }).strict(),
  z.object({ $user: z.literal('anonymous') }).strict(),
  z
    .object({
      $user: z.literal('placeholder'),
      data: z
        .object({
          username: z.string(),
          email: z.string().optional(),
          name: z.string().optional(),
          attributes: z.record(z.string(), jsonValue).optional(),
        })
        .strict(),
    })
    .strict(),
]);

const runRequestSchema = z.looseObject({
  ip: z.string(),
  user_agent: z.string(),
  query: z.record(z.string(), z.string()),
  geoip: z
    .object({
      continent: z.string().nullable(),
      country: z.string().nullable(),
      city: z.string().nullable(),
      lat: z.number().nullable(),
      long: z.number().nullable(),
    })
    .nullable(),
  asn: z.object({ asn: z.number(), as_org: z.string().nullable(), network: z.string().nullable() }).nullable(),
  outpost: z.boolean().optional(),
  outpost_name: z.string().optional(),
  brand_title: z.string().optional(),
});

const outcomeSchema = z
  .object({
    result: z.enum(['completed', 'denied']),
    reason: z.enum(['flow_done', 'already_authenticated', 'not_applicable', 'stage_invalid', 'invalid_next', 'stage_unavailable']),
    redirect: z.string().nullable(),
    message: z.string().nullable(),
    stage: z.string().nullable(),
  })
  .strict();

export const runStateSchema: z.ZodType<RunState> = z
  .object({
    version: z.literal(RUN_STATE_VERSION),
    flow_slug: z.string().min(1),
    plan: planSchema.nullable(),
    session: z.object({ user: userRefSchema.nullable(), key: z.string().nullable(), data: z.record(z.string(), jsonValue) }).strict(),
    query: z.record(z.string(), z.string()),
    request: runRequestSchema as unknown as z.ZodType<RunRequest>,
    history: z.array(planSchema),
    stages_run: z.array(z.string()),
    initial_plan: z.array(z.string()),
    current: z.string().nullable(),
    use_cache: z.boolean(),
    initial_context: z.record(z.string(), jsonValue).nullable(),
    outcome: outcomeSchema.nullable(),
  })
  .strict();

/** Validate a stored run (e.g. from `JSON.parse`); throws a ZodError when it is not a v1 run. */
export function parseRunState(value: unknown): RunState {
  return runStateSchema.parse(value);
}

export function serializeRunState(state: RunState): string {
  return JSON.stringify(state);
}

/** A deep, independent copy. */
export function cloneRunState(state: RunState): RunState {
  return cloneJson(state as unknown as JsonValue) as unknown as RunState;
}
