import { z } from 'zod';

/**
 * The one message protocol between an expression host's parent side (the runtime in the main
 * process) and the worker that runs Pyodide — the same for both hosts (a Node child process,
 * or a Web Worker in a hidden sandboxed renderer). Everything the worker sends is untrusted:
 * the parent parses it with these schemas and bounds its size before using it.
 *
 * Values cross as "wire JSON": plain JSON, where an object with a `$fb` key is a tagged value
 * (a user, a flow plan, an HTTP request, …) that the Python prelude turns into an object that
 * behaves like authentik's, and back.
 */

export const PROTOCOL_VERSION = 2;

/** Tag key of wire values; a plain object that has this key travels as `{$fb: 'dict', value}`. */
export const WIRE_TAG = '$fb';

const json: z.ZodType<unknown> = z.unknown();

/** A host call the expression made (`ak_user_by`, …), keyed by its canonical JSON. */
export const hostCallSchema = z.object({
  key: z.string().max(100_000),
  fn: z.enum(['user_by', 'user_has_authenticator', 'call_policy']),
  args: z.record(z.string(), json),
});
export type HostCall = z.infer<typeof hostCallSchema>;

export const evalLimitsSchema = z.object({
  /** Characters of `print` output kept (the rest is dropped and `truncated` set). */
  outputChars: z.number().int().positive(),
  /** Characters kept per `ak_message` / log line / error text. */
  messageChars: z.number().int().positive(),
  /** Characters of the JSON result kept before the result is replaced by its repr. */
  resultChars: z.number().int().positive(),
});
export type EvalLimits = z.infer<typeof evalLimitsSchema>;

export const hostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('eval'),
    id: z.number().int(),
    source: z.string(),
    /** Name used in tracebacks (authentik: the policy's name). */
    filename: z.string(),
    /**
     * The variables as wire JSON *text*: the worker hands it to Python as is (no parse and
     * re-serialise in between — most of an evaluation's cost is moving data, not Python).
     */
    vars: z.string(),
    /** Answers to host calls of earlier attempts of this evaluation (replay). */
    answers: z.record(z.string(), json),
    limits: evalLimitsSchema,
  }),
]);
export type HostToWorker = z.infer<typeof hostToWorkerSchema>;

export const workerLogSchema = z.object({
  level: z.enum(['debug', 'info', 'warning', 'error']),
  message: z.string(),
});

export const workerErrorSchema = z.object({
  /** Python exception class name (`NameError`, `SyntaxError`, …). */
  type: z.string(),
  /** `str(exception)`. */
  message: z.string(),
  /** Line in the expression source (1-based), when known. */
  line: z.number().int().nullable(),
  /** The traceback limited to the expression's own frames. */
  traceback: z.string(),
});
export type WorkerError = z.infer<typeof workerErrorSchema>;

export const planOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('redirect'), destination: z.string() }),
  z.object({ op: z.literal('pop') }),
]);
export type PlanOp = z.infer<typeof planOpSchema>;

export const workerOutcomeSchema = z.object({
  /** The handler's return value as wire JSON (`null` = None). */
  result: json,
  /** Python truthiness of the returned object. */
  truthy: z.boolean(),
  /** `repr()` of the result, for traces. */
  repr: z.string(),
  messages: z.array(z.string()),
  logs: z.array(workerLogSchema),
  /** `print()` output. */
  output: z.string(),
  /** Output, messages, logs or the result were cut at the limits. */
  truncated: z.boolean(),
  error: workerErrorSchema.nullable(),
  /** `ak_create_event(action, **kwargs)` calls. */
  events: z.array(z.object({ action: z.string(), context: z.record(z.string(), json) })),
  /** Changes to `context["flow_plan"]`: its context when written to, and method calls in order. */
  plan: z
    .object({
      context: z.record(z.string(), json).nullable(),
      ops: z.array(planOpSchema),
    })
    .nullable(),
  /** Evaluation time inside the worker. */
  durationMs: z.number(),
  /** Wasm heap size after the evaluation (a host grown past its limit is recycled). */
  heapBytes: z.number(),
});
export type WorkerOutcome = z.infer<typeof workerOutcomeSchema>;

export const workerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.number().int(), python: z.string(), pyodide: z.string(), loadMs: z.number() }),
  z.object({ type: z.literal('load-failed'), message: z.string() }),
  z.object({ type: z.literal('need'), id: z.number().int(), calls: z.array(hostCallSchema).max(64) }),
  z.object({ type: z.literal('done'), id: z.number().int(), outcome: workerOutcomeSchema }),
  /** The interpreter is unusable (a fatal Pyodide error): the parent must restart the host. */
  z.object({ type: z.literal('fatal'), id: z.number().int().nullable(), message: z.string() }),
]);
export type WorkerToHost = z.infer<typeof workerToHostSchema>;

/** Largest message the parent accepts from a worker (bytes of JSON); larger = the host is killed. */
export const MAX_WORKER_MESSAGE_BYTES = 4 * 1024 * 1024;
