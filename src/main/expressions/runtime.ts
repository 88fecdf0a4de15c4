import { type JsonValue } from '@shared/model';
import {
  type ExpressionEvaluateOptions,
  type ExpressionHostCalls,
  type ExpressionOutcome,
  type ExpressionRuntime,
  type ExpressionRuntimeStatus,
  type ExpressionVariables,
} from '../engine/ports';
import { type ExpressionHostFactory, type HostConnection } from './host';
import { fromWire, userWire, variablesToWire, type MarshalDeps } from './marshal';
import { type EvalLimits, type HostCall, type WorkerOutcome, workerToHostSchema, PROTOCOL_VERSION } from './protocol';

/**
 * The expression runtime: the engine's `ExpressionRuntime` port over an isolated host. It
 * launches the host lazily (never on the start-up path unless `warmUp()` is called), runs one
 * evaluation at a time, answers the worker's host calls by replaying the evaluation with the
 * answers (so the worker needs no synchronous channel back, on either host), enforces each
 * evaluation's deadline — interrupt, else kill — and relaunches a host that died, was killed,
 * or grew its heap past the limit. The caller never waits longer than the deadline plus a few
 * milliseconds, and nothing here blocks the event loop.
 */

export interface PyodideRuntimeOptions {
  factory: ExpressionHostFactory;
  /** Deadline of an evaluation without `timeoutMs` (authentik's binding default is 30 s). */
  defaultTimeoutMs?: number;
  /** How long a host may take to load before it counts as failed. */
  startTimeoutMs?: number;
  limits?: Partial<EvalLimits>;
  /** A host whose wasm heap is above this after an evaluation is replaced. */
  heapLimitBytes?: number;
  /** Replays (rounds of host calls) one evaluation may need. */
  maxRounds?: number;
  /** How long an interrupted evaluation may take to stop before its host is killed. */
  interruptGraceMs?: number;
}

/** `ExpressionRuntimeStatus` without `unavailable` (this runtime always has an interpreter to start). */
export type RuntimeStatus = ExpressionRuntimeStatus & { state: Exclude<ExpressionRuntimeStatus['state'], 'unavailable'> };

const DEFAULT_LIMITS: EvalLimits = { outputChars: 64 * 1024, messageChars: 4 * 1024, resultChars: 256 * 1024 };

interface Job {
  id: number;
  source: string;
  filename: string;
  /** Wire JSON text of the variables (serialised once, replays reuse it). */
  vars: string;
  answers: Record<string, JsonValue>;
  rounds: number;
  host: ExpressionHostCalls | undefined;
  timeoutMs: number;
  resolve(outcome: ExpressionOutcome): void;
  timer: ReturnType<typeof setTimeout> | null;
  settled: boolean;
  /** The host it was sent to. */
  live: Live | null;
}

interface Live {
  conn: HostConnection;
  ready: boolean;
  /** Resolved when the host is ready, rejected when it failed to load. */
  started: Promise<void>;
  /** Set while an evaluation (or an interrupted one still stopping) occupies the worker. */
  busyId: number | null;
  /** Being killed: gets no new work (a new host is launched for what comes next). */
  retired: boolean;
  gone: boolean;
}

function failure(message: string, extra: Partial<ExpressionOutcome> = {}): ExpressionOutcome {
  return { result: undefined, messages: [], logs: [], error: message, ...extra };
}

export class PyodideExpressionRuntime implements ExpressionRuntime {
  /** Deadlines are enforced here, in real time (see `#deadline`). */
  readonly ownsDeadline = true;
  readonly #options: Required<Omit<PyodideRuntimeOptions, 'limits'>> & { limits: EvalLimits };
  #live: Live | null = null;
  #queue: Job[] = [];
  #current: Job | null = null;
  #nextId = 1;
  #status: RuntimeStatus;
  #closed = false;
  /** After a host failed to load, evaluations fail at once until then (no relaunch loop). */
  #failedUntil = 0;
  /**
   * Holds the event loop open while evaluations are queued or running: hosts are unref'd so an
   * idle runtime never keeps a CLI process alive, but a pending evaluation must.
   */
  #keepAlive: ReturnType<typeof setInterval> | null = null;

  /** `warmUp()` calls still waiting for the host (they hold the event loop too). */
  #warming = 0;

  #hold(): void {
    const busy = this.#warming > 0 || this.#queue.length > 0 || (this.#current !== null && !this.#current.settled);
    if (busy && !this.#keepAlive) this.#keepAlive = setInterval(() => undefined, 1 << 30);
    else if (!busy && this.#keepAlive) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = null;
    }
  }

  constructor(options: PyodideRuntimeOptions) {
    this.#options = {
      factory: options.factory,
      defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      heapLimitBytes: options.heapLimitBytes ?? 512 * 1024 * 1024,
      maxRounds: options.maxRounds ?? 16,
      interruptGraceMs: options.interruptGraceMs ?? 200,
    };
    this.#status = { state: 'idle', host: options.factory.kind, python: null, pyodide: null, loadMs: null, launches: 0, lastExit: null };
  }

  status(): RuntimeStatus {
    return { ...this.#status };
  }

  /** Start the host now (off the critical path); resolves when it is ready or failed. */
  async warmUp(): Promise<RuntimeStatus> {
    this.#warming += 1;
    this.#hold();
    try {
      await this.#ensure().started;
    } catch {
      // The status says why.
    } finally {
      this.#warming -= 1;
      this.#hold();
    }
    return this.status();
  }

  evaluate(source: string, variables: ExpressionVariables, options: ExpressionEvaluateOptions = {}): Promise<ExpressionOutcome> {
    if (this.#closed) return Promise.resolve(failure('The expression runtime is closed'));
    let vars: string;
    const deps: MarshalDeps = { host: options.host, resolveUser: options.host ? (ref) => options.host!.resolveUser(ref) : undefined };
    try {
      vars = JSON.stringify(variablesToWire(variables, deps));
    } catch (error) {
      return Promise.resolve(failure(`Could not prepare the expression's variables: ${error instanceof Error ? error.message : String(error)}`));
    }
    return new Promise<ExpressionOutcome>((resolve) => {
      const job: Job = {
        id: this.#nextId++,
        source,
        filename: options.filename ?? 'expression',
        vars,
        answers: {},
        rounds: 0,
        host: options.host,
        timeoutMs: options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : this.#options.defaultTimeoutMs,
        resolve,
        timer: null,
        settled: false,
        live: null,
      };
      this.#queue.push(job);
      this.#pump();
      this.#hold();
    });
  }

  /** Kill the host and fail what is queued (the app is quitting). */
  close(): void {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) this.#settle(job, failure('The expression runtime is closed'));
    if (this.#current) this.#settle(this.#current, failure('The expression runtime is closed'));
    this.#live?.conn.kill();
    this.#live = null;
    this.#hold();
  }

  // -------------------------------------------------------------------------------------------

  #ensure(): Live {
    if (this.#live && !this.#live.gone && !this.#live.retired) return this.#live;
    this.#status.state = 'starting';
    this.#status.launches += 1;
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    started.catch(() => undefined);
    const live: Live = { conn: null as unknown as HostConnection, ready: false, started, busyId: null, retired: false, gone: false };
    const startTimer = setTimeout(() => {
      if (!live.ready) this.#retire(live, `the expression host did not load within ${this.#options.startTimeoutMs} ms`);
    }, this.#options.startTimeoutMs);
    startTimer.unref?.();
    try {
      live.conn = this.#options.factory.launch({
        message: (raw) => this.#onMessage(live, raw, markReady, markFailed),
        exit: (reason) => {
          clearTimeout(startTimer);
          this.#onExit(live, reason, markFailed);
        },
      });
    } catch (error) {
      clearTimeout(startTimer);
      live.gone = true;
      const message = error instanceof Error ? error.message : String(error);
      this.#status.state = 'failed';
      this.#status.lastExit = message;
      markFailed(new Error(message));
    }
    this.#live = live;
    return live;
  }

  #onMessage(live: Live, raw: unknown, markReady: () => void, markFailed: (error: Error) => void): void {
    if (live.gone) return;
    const parsed = workerToHostSchema.safeParse(raw);
    if (!parsed.success) {
      const job = this.#current;
      if (job && job.live === live) this.#settle(job, failure('The expression host sent an invalid message and was stopped'));
      this.#retire(live, 'the expression host sent an invalid message');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        if (message.protocol !== PROTOCOL_VERSION) {
          markFailed(new Error(`expression host speaks protocol ${message.protocol}, expected ${PROTOCOL_VERSION}`));
          this.#retire(live, 'the expression host speaks another protocol version');
          return;
        }
        live.ready = true;
        this.#status = { ...this.#status, state: 'ready', python: message.python, pyodide: message.pyodide, loadMs: message.loadMs };
        markReady();
        this.#pump();
        return;
      case 'load-failed':
        this.#status.state = 'failed';
        this.#status.lastExit = `Python failed to load: ${message.message}`;
        markFailed(new Error(this.#status.lastExit));
        this.#retire(live, this.#status.lastExit);
        return;
      case 'fatal': {
        const job = this.#current;
        if (job && job.id === message.id) {
          this.#settle(job, failure(`The expression crashed the interpreter (${message.message.split('\n')[0]}); the expression host was restarted`));
        }
        this.#retire(live, `the interpreter failed: ${message.message}`);
        return;
      }
      case 'need': {
        // The worker is idle again until the evaluation is replayed with the answers.
        if (live.busyId === message.id) live.busyId = null;
        const job = this.#current;
        if (!job || job.id !== message.id || job.settled) {
          this.#pump();
          return;
        }
        void this.#answer(live, job, message.calls);
        return;
      }
      case 'done': {
        if (live.busyId === message.id) live.busyId = null;
        if (message.outcome.heapBytes > this.#options.heapLimitBytes) {
          this.#retire(live, `the interpreter's heap grew to ${Math.round(message.outcome.heapBytes / 1048576)} MiB; the expression host was replaced`);
        }
        const job = this.#current;
        if (job && job.id === message.id && !job.settled) this.#settle(job, this.#outcome(message.outcome));
        this.#pump();
        return;
      }
    }
  }

  /** Stop giving `live` work and kill it; the next evaluation launches a new host. */
  #retire(live: Live, reason: string): void {
    if (live.retired || live.gone) return;
    live.retired = true;
    this.#status.lastExit = reason;
    if (this.#live === live) this.#live = null;
    live.conn.kill();
  }

  #onExit(live: Live, reason: string, markFailed: (error: Error) => void): void {
    if (live.gone) return;
    live.gone = true;
    if (!live.ready) markFailed(new Error(reason));
    // A retired host already said why it went; an old host's exit says nothing about a newer one.
    if (!live.retired) this.#status.lastExit = reason;
    if (this.#live === live || this.#live === null) this.#status.state = live.ready ? 'idle' : 'failed';
    if (this.#live === live) this.#live = null;
    const job = this.#current;
    if (job && !job.settled && job.live === live) {
      this.#settle(job, failure(live.ready ? `The expression host stopped during the evaluation (${reason})` : `Python could not be started: ${reason}`));
    }
    if (!live.ready) {
      // A host that cannot even load fails what waits for it rather than relaunching in a loop.
      this.#failedUntil = Date.now() + 30_000;
      for (const waiting of this.#queue.splice(0)) this.#settle(waiting, failure(`Python could not be started: ${this.#status.lastExit ?? reason}`));
      return;
    }
    this.#pump();
  }

  async #answer(live: Live, job: Job, calls: HostCall[]): Promise<void> {
    job.rounds += 1;
    if (job.rounds > this.#options.maxRounds) {
      this.#settle(job, failure(`The expression asked the engine for data more than ${this.#options.maxRounds} times in one evaluation`));
      this.#pump();
      return;
    }
    for (const call of calls) {
      try {
        job.answers[call.key] = await this.#callHost(job, call);
      } catch (error) {
        job.answers[call.key] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    if (job.settled || live.gone || live.retired) return;
    live.busyId = job.id;
    live.conn.send(this.#evalMessage(job));
  }

  async #callHost(job: Job, call: HostCall): Promise<JsonValue> {
    const host = job.host;
    if (!host) throw new Error(`${call.fn} needs the flow engine, which this evaluation has no access to`);
    const deps: MarshalDeps = { host, resolveUser: (ref) => host.resolveUser(ref) };
    switch (call.fn) {
      case 'user_by': {
        const filters = (call.args.filters ?? {}) as Record<string, JsonValue>;
        const user = host.userBy(filters);
        return user ? userWire(user, deps) : null;
      }
      case 'user_has_authenticator': {
        const pk = call.args.user;
        const type = call.args.device_type;
        return typeof pk === 'number' ? host.userHasAuthenticator(pk, typeof type === 'string' ? type : null) : false;
      }
      case 'call_policy': {
        const kwargs = Object.fromEntries(Object.entries((call.args.kwargs ?? {}) as Record<string, unknown>).map(([k, v]) => [k, fromWire(v)]));
        const result = await host.callPolicy(String(call.args.name ?? ''), kwargs);
        return 'error' in result ? { error: result.error } : { passing: result.passing, messages: result.messages };
      }
    }
  }

  #evalMessage(job: Job): object {
    return { type: 'eval', id: job.id, source: job.source, filename: job.filename, vars: job.vars, answers: job.answers, limits: this.#options.limits };
  }

  #pump(): void {
    if (this.#current && !this.#current.settled) return;
    this.#current = null;
    const next = this.#queue[0];
    if (!next) return;
    if (Date.now() < this.#failedUntil && !(this.#live && !this.#live.gone)) {
      for (const waiting of this.#queue.splice(0)) this.#settle(waiting, failure(`Python could not be started: ${this.#status.lastExit ?? 'unknown error'}`));
      return;
    }
    const live = this.#ensure();
    if (live.gone || live.retired) return; // launch failed: #onExit/#ensure settled the queue or will.
    if (!live.ready || live.busyId !== null) return;
    this.#queue.shift();
    this.#current = next;
    next.live = live;
    live.busyId = next.id;
    next.timer = setTimeout(() => this.#deadline(live, next), next.timeoutMs);
    live.conn.send(this.#evalMessage(next));
  }

  #deadline(live: Live, job: Job): void {
    if (job.settled) return;
    const seconds = job.timeoutMs / 1000;
    this.#settle(job, failure(`The expression did not finish within ${seconds} s and was stopped`, { timed_out: true }));
    if (live.gone || live.retired) return;
    if (live.conn.interrupt()) {
      // The worker answers `done` (KeyboardInterrupt) and is reused; if not in time, it goes.
      const grace = setTimeout(() => {
        if (live.busyId === job.id) this.#retire(live, 'an interrupted expression did not stop; the expression host was killed');
      }, this.#options.interruptGraceMs);
      grace.unref?.();
    } else {
      this.#retire(live, `an expression ran past its ${seconds} s deadline; the expression host was killed`);
    }
  }

  #settle(job: Job, outcome: ExpressionOutcome): void {
    if (job.settled) return;
    job.settled = true;
    if (job.timer) clearTimeout(job.timer);
    job.resolve(outcome);
    queueMicrotask(() => this.#hold());
    if (this.#current === job) {
      this.#current = null;
      queueMicrotask(() => this.#pump());
    }
  }

  #outcome(worker: WorkerOutcome): ExpressionOutcome {
    const outcome: ExpressionOutcome = {
      result: worker.error ? undefined : fromWire(worker.result),
      truthy: worker.truthy,
      messages: worker.messages,
      logs: worker.logs,
      output: worker.output,
      repr: worker.repr,
      truncated: worker.truncated,
      duration_ms: worker.durationMs,
      events: worker.events.map((e) => ({ action: e.action, context: fromWire(e.context) as Record<string, JsonValue> })),
      plan: worker.plan ? { context: worker.plan.context ? (fromWire(worker.plan.context) as Record<string, JsonValue>) : null, ops: worker.plan.ops } : null,
    };
    if (worker.error) {
      outcome.error = worker.error.message;
      outcome.error_line = worker.error.line;
      outcome.traceback = worker.error.traceback;
    }
    return outcome;
  }
}
