import { type Envelope, type Transport } from '@shared/contract';
import { type EventBus } from '../events/event-bus';
import { type Dispatcher } from './dispatcher';

/**
 * The contract without a wire, for the CLI and tests. Input is structured-cloned, as IPC does,
 * so a caller cannot share mutable objects with a handler and the behaviour matches the other
 * transports.
 */
export function createInProcessTransport(dispatcher: Dispatcher, events: EventBus): Transport {
  return {
    async call(name, input): Promise<Envelope<unknown>> {
      let copy: unknown;
      try {
        copy = input === undefined ? undefined : structuredClone(input);
      } catch {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'The input cannot be copied (it holds functions or symbols).' } };
      }
      return dispatcher.call(name, copy, { transport: 'in-process' });
    },
    subscribe(name, listener) {
      return events.subscribe(name, listener);
    },
  };
}
