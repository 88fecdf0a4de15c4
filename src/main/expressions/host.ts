/**
 * An expression host: somewhere isolated that runs the worker (`worker/core.ts`). Two exist —
 * a Node child process under the permission model (`node-host/`) and a Web Worker inside a
 * hidden sandboxed renderer (`browser-host/`, launched by `src/main/app/expression-window.ts`).
 * The runtime (`runtime.ts`) supervises either through this interface: it launches a host,
 * validates every message with `protocol.ts`, enforces deadlines, and kills and relaunches a
 * host that misbehaves.
 */

/** What a host reports to the runtime. Messages are raw: the runtime validates them. */
export interface HostListener {
  message(raw: unknown): void;
  /** The host is gone (crashed, killed, exited); `reason` is for logs and traces. */
  exit(reason: string): void;
}

export interface HostConnection {
  /** Deliver a message (a `HostToWorker`, already valid) to the worker. */
  send(message: unknown): void;
  /**
   * Ask the running evaluation to stop (Python `KeyboardInterrupt`). Returns false when this
   * host cannot interrupt, in which case the runtime kills it instead.
   */
  interrupt(): boolean;
  /** Stop the host now. `exit` is still reported once. Idempotent. */
  kill(): void;
}

export interface ExpressionHostFactory {
  /** Shown in traces and the bench: `node-child`, `browser-worker`, … */
  readonly kind: string;
  /** Start a host; the worker inside loads Pyodide and reports `ready` (or `load-failed`). */
  launch(listener: HostListener): HostConnection;
}
