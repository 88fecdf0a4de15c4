import { type z } from 'zod';
import { type Policy } from '@shared/model';
import { type EngineDeps, type TraceLog } from '../../ports';
import { type KindResult, type PolicyRequest } from '../types';

/** What a policy kind's implementation gets when it runs. */
export interface KindContext {
  policy: Policy;
  request: PolicyRequest;
  deps: EngineDeps;
  /** A log line for the trace (authentik's structlog lines of the policy process). */
  log(level: TraceLog['level'], message: string): void;
  /** A message-free remark shown beside the result, e.g. "HIBP not checked (offline)". */
  note(text: string): void;
  /** Expression policies: `print()` output and the line an error points at, for the trace. */
  detail(extra: { output?: string; error_line?: number | null }): void;
  /** The binding's timeout in seconds (0 = none): runtimes that run outside stop at it. */
  timeoutSeconds: number;
}

/** The behaviour of one policy kind, keyed by authentik model name in the registry. */
export interface PolicyKindImpl<Schema extends z.ZodType = z.ZodType> {
  readonly model: string;
  /** The shared model's config schema (defaults applied before `passes`). */
  readonly config: Schema;
  passes(ctx: KindContext, config: z.output<Schema>): Promise<KindResult> | KindResult;
  /**
   * Whether `passes` can wait — on the Clock or on an outside runtime — before it returns. When
   * false, the binding's timeout cannot fire before the policy returns, so the engine arms no
   * timer for it (a timer per binding costs more than most policies). Absent = it may wait.
   */
  mayWait?(deps: EngineDeps, config: z.output<Schema>): boolean;
  /**
   * Something to wait for BEFORE the binding's timeout starts (the Python interpreter loading:
   * authentik has no such start-up, so it must not eat a binding's timeout). Null = nothing.
   */
  ready?(deps: EngineDeps): Promise<unknown> | null;
}

export function defineKind<Schema extends z.ZodType>(impl: PolicyKindImpl<Schema>): PolicyKindImpl<Schema> {
  return impl;
}
