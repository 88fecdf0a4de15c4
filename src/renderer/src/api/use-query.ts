import { useCallback, useSyncExternalStore } from 'react';
import { type ProcedureInput, type ProcedureName, type ProcedureOutput } from '@shared/contract';
import { LOADING, QueryCache, type QueryState } from './query-cache';
import { useServices } from './services-context';

const noop = () => () => {};

/**
 * The current answer of a read procedure, refetched whenever main reports a change to what it
 * depends on. Pass `null` as input to skip the call (nothing selected yet).
 */
export function useQuery<N extends ProcedureName>(
  name: N,
  input?: ProcedureInput<N> | null,
): QueryState<ProcedureOutput<N>> {
  const { cache } = useServices();
  const skip = input === null;
  const serialized = input === undefined || input === null ? '' : JSON.stringify(input);
  const key = QueryCache.key(name, serialized);
  const subscribe = useCallback(
    (listener: () => void) => (skip ? noop() : cache.observe(name, serialized, listener)),
    [cache, name, serialized, skip],
  );
  const getSnapshot = useCallback(() => (skip ? LOADING : cache.snapshot(key)), [cache, key, skip]);
  return useSyncExternalStore(subscribe, getSnapshot) as QueryState<ProcedureOutput<N>>;
}
