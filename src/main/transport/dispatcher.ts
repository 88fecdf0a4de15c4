import { type z } from 'zod';
import {
  contract,
  errorCode,
  isProcedureName,
  issueSchema,
  procedureNames,
  RpcFailure,
  type Envelope,
  type Issue,
  type ProcedureName,
  type RpcError,
} from '@shared/contract';
import { type CallContext, type Handlers } from '../api/handler-types';
import { consoleLogger, redact, type Logger } from './logger';

export interface DispatcherOptions {
  /** Where unexpected handler errors and bad outputs are reported (with secrets redacted). */
  readonly logger?: Logger;
}

/** Looks a procedure up, validates input and output with the contract, and answers an envelope. */
export interface Dispatcher {
  /** Never throws and never rejects: every failure is an `{ok: false}` envelope. */
  call(name: string, input: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

type AnyHandler = (input: unknown, ctx: CallContext) => unknown;

const INTERNAL_MESSAGE = 'Flowbench hit an internal error; see the log for details.';

/**
 * Builds the dispatcher every transport shares. Throws (at start-up, not per call) when
 * `handlers` lacks a function for some procedure of the contract.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const logger = options.logger ?? consoleLogger;

  // Copy the handlers once: later mutation of `handlers` cannot add or swap procedures, and
  // lookups never reach the prototype chain.
  const table = new Map<ProcedureName, AnyHandler>();
  const missing: string[] = [];
  for (const name of procedureNames) {
    const handler: unknown = Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
    if (typeof handler === 'function') table.set(name, handler.bind(handlers) as AnyHandler);
    else missing.push(name);
  }
  if (missing.length > 0) throw new Error(`No handler for procedure(s): ${missing.join(', ')}`);

  const fail = (code: RpcError['code'], message: string, issues?: Issue[]): Envelope<never> => ({
    ok: false,
    error: issues && issues.length > 0 ? { code, message, issues } : { code, message },
  });

  return {
    async call(name, input, ctx) {
      try {
        if (typeof name !== 'string' || !isProcedureName(name)) {
          return fail('UNKNOWN_PROCEDURE', `Unknown procedure "${String(name).slice(0, 100)}".`);
        }
        const handler = table.get(name);
        if (!handler) return fail('UNKNOWN_PROCEDURE', `Unknown procedure "${name}".`);
        const { input: inputSchema, output: outputSchema } = contract[name] as { input: z.ZodType; output: z.ZodType };

        const parsedInput = await inputSchema.safeParseAsync(input);
        if (!parsedInput.success) {
          const issues = toIssues(parsedInput.error.issues);
          return fail('INVALID_INPUT', `Invalid input for ${name}: ${describeIssues(issues)}`, issues);
        }

        let raw: unknown;
        try {
          raw = await handler(parsedInput.data, ctx);
        } catch (error) {
          const failure = asRpcFailure(error);
          if (failure) return fail(failure.code, failure.message, failure.issues);
          logger.error(`Procedure ${name} failed`, {
            procedure: name,
            transport: ctx?.transport,
            input: redact(parsedInput.data),
            error: describeError(error),
          });
          return fail('INTERNAL', INTERNAL_MESSAGE);
        }

        const parsedOutput = await outputSchema.safeParseAsync(raw);
        if (!parsedOutput.success) {
          // The handler broke the contract: log where (paths and messages, never the values).
          logger.error(`Procedure ${name} returned a value that does not match its output schema`, {
            procedure: name,
            transport: ctx?.transport,
            issues: toIssues(parsedOutput.error.issues),
          });
          return fail('INTERNAL', INTERNAL_MESSAGE);
        }
        return { ok: true, value: parsedOutput.data };
      } catch (error) {
        // Only reachable through a broken schema or logger; still never throw across the boundary.
        try {
          logger.error(`Dispatcher failed on ${String(name).slice(0, 100)}`, { error: describeError(error) });
        } catch {
          // The logger itself is broken: nothing more to do.
        }
        return fail('INTERNAL', INTERNAL_MESSAGE);
      }
    },
  };
}

function toIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
    message: issue.message,
  }));
}

function describeIssues(issues: Issue[]): string {
  const first = issues[0];
  if (!first) return 'invalid value';
  const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${where}${first.message}${more}`;
}

/** An `RpcFailure`, also when it comes from another copy of the module (duplicated bundle). */
function asRpcFailure(error: unknown): { code: RpcError['code']; message: string; issues?: Issue[] } | null {
  if (error instanceof RpcFailure) return { code: error.code, message: error.message, issues: validIssues(error.issues) };
  if (typeof error !== 'object' || error === null) return null;
  const candidate = error as { name?: unknown; code?: unknown; message?: unknown; issues?: unknown };
  if (candidate.name !== 'RpcFailure') return null;
  const code = errorCode.safeParse(candidate.code);
  if (!code.success || typeof candidate.message !== 'string') return null;
  return { code: code.data, message: candidate.message, issues: validIssues(candidate.issues) };
}

function validIssues(issues: unknown): Issue[] | undefined {
  if (issues === undefined) return undefined;
  const parsed = issueSchema.array().safeParse(issues);
  return parsed.success ? parsed.data : undefined;
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { thrown: redact(error) };
}
