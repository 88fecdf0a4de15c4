import { type EventName, type EventPayload } from '@shared/contract';

/** In-process pub/sub that the transports forward to windows and SSE streams. */
export interface EventBus {
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  subscribe<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch {
          // A broken subscriber (e.g. a closed SSE socket) must not break the write that emitted.
        }
      }
    },
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
