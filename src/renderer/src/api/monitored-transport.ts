import { type Transport } from '@shared/contract';
import { type ConnectionState } from '../state/connection-store';

/** What the HTTP transport answers when fetch itself failed (server gone, port closed). */
const UNREACHABLE = /^Cannot reach Flowbench/;

/**
 * Wraps a transport so every call reports whether main was reachable. A transport that
 * throws becomes an `{ok:false}` envelope: the UI never sees a raw exception from the boundary.
 */
export function monitorTransport(
  inner: Transport,
  report: (state: ConnectionState) => void,
): Transport {
  return {
    async call(name, input) {
      try {
        const envelope = await inner.call(name, input);
        if (envelope.ok) report({ status: 'online' });
        else if (envelope.error.code === 'UNAUTHORIZED')
          report({ status: 'unauthorized', message: envelope.error.message });
        else if (UNREACHABLE.test(envelope.error.message))
          report({ status: 'offline', message: envelope.error.message });
        else report({ status: 'online' });
        return envelope;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report({ status: 'offline', message });
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Cannot reach Flowbench: ${message}` },
        };
      }
    },
    subscribe(name, listener) {
      return inner.subscribe(name, listener);
    },
  };
}
