import { type Envelope, RpcCallError } from './envelope';
import { type EventName, type EventPayload } from './events';
import { type ProcedureInput, type ProcedureName, type ProcedureOutput } from './procedures';

/**
 * The one API the renderer, the CLI and tests program against; implemented over IPC
 * (`window.api`), over HTTP (`flowbench serve`) and in-process.
 */
export interface Transport {
  call(name: ProcedureName, input: unknown): Promise<Envelope<unknown>>;
  subscribe<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

export interface Client {
  call<N extends ProcedureName>(name: N, ...input: undefined extends ProcedureInput<N> ? [ProcedureInput<N>?] : [ProcedureInput<N>]): Promise<ProcedureOutput<N>>;
  /** Same call, but returns the envelope instead of throwing. */
  try<N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<Envelope<ProcedureOutput<N>>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async call(name, ...rest) {
      const envelope = await transport.call(name, rest[0]);
      if (!envelope.ok) throw new RpcCallError(name, envelope.error);
      return envelope.value as never;
    },
    async try(name, input) {
      return (await transport.call(name, input)) as never;
    },
    on(name, listener) {
      return transport.subscribe(name, listener);
    },
  };
}
