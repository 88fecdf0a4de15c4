import { type z } from 'zod';
import { type Contract, type ProcedureName, type ProcedureOutput } from '@shared/contract';

/** Who is calling: handlers may differ only in what they log, never in what they allow. */
export interface CallContext {
  readonly transport: 'ipc' | 'http' | 'in-process';
}

/** A handler receives the *parsed* input (defaults applied) and returns the output value. */
export type HandlerInput<N extends ProcedureName> = z.output<Contract[N]['input']>;
export type Handler<N extends ProcedureName> = (
  input: HandlerInput<N>,
  ctx: CallContext,
) => Promise<ProcedureOutput<N>> | ProcedureOutput<N>;

/** One handler per procedure; the dispatcher refuses to start if one is missing. */
export type Handlers = { [N in ProcedureName]: Handler<N> };

/** The handlers of one domain (`flows` → every `flows.*` procedure), for one file per domain. */
export type DomainHandlers<D extends string> = {
  [N in ProcedureName as N extends `${D}.${string}` ? N : never]: Handler<N>;
};
