import { type EventName } from './events';
import { type ProcedureName } from './procedures';

/** IPC channel names shared by the main-process adapter and the preload bridge. */
export const rpcChannel = (name: ProcedureName): string => `rpc:${name}`;
export const eventChannel = (name: EventName): string => `event:${name}`;

/** The shape the preload exposes as `window.api`: one function per procedure, plus events. */
export interface PreloadApi {
  readonly procedures: Readonly<Record<ProcedureName, (input: unknown) => Promise<unknown>>>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
}
