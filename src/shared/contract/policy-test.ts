import { z } from 'zod';
import { jsonValue, pk, userPk } from '../model';

/**
 * `policies.test`: evaluate ONE policy for a user and a context, the way authentik's
 * `POST /api/v3/policies/all/<pk>/test/` does (a fresh binding, a debug request: no events, no
 * cache), and return its trace. Any policy kind can be tested. Nothing is written.
 */

/** Default seconds a tested policy may take (authentik's `PolicyBinding.timeout` default). */
export const POLICY_TEST_DEFAULT_TIMEOUT = 30;

export const policyTestInput = z
  .object({
    /** The policy's pk or its (unique) name. */
    policy: z.string().trim().min(1, 'Give a policy (pk or name)'),
    /** A username or a user pk; absent or null = the anonymous user. */
    user: z.union([z.string().trim().min(1), userPk]).nullable().optional(),
    /**
     * `request.context`. `pending_user: "<username>"` becomes that user (as `flowbench plan
     * --context` does); `{"$user": <pk>}` at the top level is a user reference.
     */
    context: z.record(z.string(), jsonValue).default({}),
    /** The simulated HTTP request (`ak_client_ip`, `http_request`). */
    request: z
      .object({
        ip: z.union([z.ipv4(), z.ipv6()]).optional(),
        user_agent: z.string().max(1000).optional(),
      })
      .strict()
      .optional(),
    /** Seconds before the evaluation is given up (the binding's `timeout`). */
    timeout: z.number().positive().max(3600).optional(),
  })
  .strict();

/** `policies.runtime`: the expression runtime's state; `warmUp` starts loading Python. */
export const expressionRuntimeInput = z.object({ warmUp: z.boolean().default(false) }).strict();

export const expressionRuntimeStatusSchema = z.object({
  state: z.enum(['unavailable', 'idle', 'starting', 'ready', 'failed']),
  host: z.string(),
  python: z.string().nullable(),
  pyodide: z.string().nullable(),
  loadMs: z.number().nullable(),
  launches: z.number().int(),
  lastExit: z.string().nullable(),
});

export const traceLogSchema = z.object({
  level: z.enum(['debug', 'info', 'warning', 'error']),
  message: z.string(),
});

/** How the result came about (the engine's `ResultOutcome` of one policy binding). */
export const policyTestOutcome = z.enum(['returned', 'policy_exception', 'crash', 'timeout']);

/** One policy's evaluation trace: the engine's `TraceResult` fields plus what a test adds. */
export const policyTestResultSchema = z.object({
  policy: z.object({ pk, name: z.string(), kind: z.string(), label: z.string() }),
  /** Who `request.user` was. */
  user: z.object({ pk: z.number().int().nullable(), username: z.string(), is_anonymous: z.boolean() }),
  request: z.object({ ip: z.string(), user_agent: z.string() }),
  /** Seconds the evaluation was allowed. */
  timeout: z.number(),
  /** The final result (failure_result false, no negate: as authentik's test binding). */
  passing: z.boolean(),
  /** What the policy returned (expression return value, static counts, …); null when it raised. */
  raw_result: jsonValue,
  messages: z.array(z.string()),
  /** `ak_logger` lines and the engine's own log lines, in order. */
  logs: z.array(traceLogSchema),
  /** `print()` output of an expression; "" when none. */
  output: z.string(),
  /** Message-free remarks, e.g. "HIBP not checked (offline)". */
  notes: z.array(z.string()),
  duration_ms: z.number(),
  /** The exception text when the policy raised or timed out. */
  error: z.string().nullable(),
  /** 1-based line of the expression the error points at, when it has one. */
  error_line: z.number().int().nullable(),
  outcome: policyTestOutcome,
  /** The expression runtime is not available in this build: the result says nothing about the policy. */
  expressions_unavailable: z.boolean(),
});

export type PolicyTestInput = z.input<typeof policyTestInput>;
export type PolicyTestResult = z.output<typeof policyTestResultSchema>;
