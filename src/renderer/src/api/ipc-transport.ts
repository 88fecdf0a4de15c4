import {
  type Envelope,
  type PreloadApi,
  type Transport,
  envelopeSchema,
  events,
  isProcedureName,
} from '@shared/contract';

/** The desktop transport: one preload function per procedure, answers are envelopes. */
export function createIpcTransport(api: PreloadApi): Transport {
  return {
    async call(name, input) {
      // Known names only: `constructor` or `__proto__` must not reach Object's members.
      const procedure = isProcedureName(name) ? api.procedures[name] : undefined;
      if (typeof procedure !== 'function') {
        return {
          ok: false,
          error: {
            code: 'UNKNOWN_PROCEDURE',
            message: `The desktop bridge has no procedure "${name}".`,
          },
        };
      }
      let raw: unknown;
      try {
        raw = await procedure(input);
      } catch (error) {
        // invoke() rejects when main has no handler or the frame went away; keep the envelope promise.
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `The desktop bridge failed on "${name}": ${error instanceof Error ? error.message : String(error)}` },
        };
      }
      const reply = envelopeSchema.safeParse(raw);
      if (!reply.success) {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `The main process sent a malformed reply to "${name}".`,
          },
        };
      }
      return reply.data as Envelope<unknown>;
    },
    subscribe(name, listener) {
      const schema = events[name];
      return api.on(name, (payload) => {
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as Parameters<typeof listener>[0]);
      });
    },
  };
}
