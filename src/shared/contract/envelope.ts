import { z } from 'zod';

/** Error codes every transport uses. HTTP maps a few of them to statuses (see transport). */
export const errorCode = z.enum([
  'INVALID_INPUT',
  'UNKNOWN_PROCEDURE',
  'NOT_FOUND',
  'CONFLICT',
  'IN_USE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'STORE_ERROR',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCode>;

export const issueSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type Issue = z.infer<typeof issueSchema>;

export const rpcErrorSchema = z.object({
  code: errorCode,
  message: z.string(),
  issues: z.array(issueSchema).optional(),
});
export type RpcError = z.infer<typeof rpcErrorSchema>;

/** What crosses every boundary: never a thrown error. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: RpcError };
export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: rpcErrorSchema }),
]);

/** A failure raised inside main and turned into an envelope by the dispatcher. */
export class RpcFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

/** Thrown by the client on `{ok:false}` so UI code can `try/catch` and show `message`. */
export class RpcCallError extends Error {
  constructor(
    readonly procedure: string,
    readonly error: RpcError,
  ) {
    super(error.message);
    this.name = 'RpcCallError';
  }
}
