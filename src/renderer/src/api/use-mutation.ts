import { useCallback, useState } from 'react';
import { type Client } from '@shared/contract';
import { type Problem, toProblem } from './problem';
import { type Entity } from './query-cache';
import { useServices } from './services-context';

export interface Mutation {
  /**
   * Run a write. Resolves to its result, or `undefined` when it failed (the failure is then
   * in `problem`). On success the queries depending on `touches` refetch at once, without
   * waiting for main's change event, and `run` resolves after they answered.
   */
  run<R>(work: (client: Client) => Promise<R>, touches: readonly Entity[]): Promise<R | undefined>;
  readonly pending: boolean;
  readonly problem: Problem | null;
  clear(): void;
}

export function useMutation(knownFields: readonly string[] = [], conflictField?: string): Mutation {
  const { client, cache } = useServices();
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const fieldsKey = knownFields.join('\u0000');
  const run = useCallback(
    async <R>(
      work: (client: Client) => Promise<R>,
      touches: readonly Entity[],
    ): Promise<R | undefined> => {
      setPending(true);
      setProblem(null);
      try {
        const result = await work(client);
        // Resolve only once the lists show the change: a dialog that closes and selects the
        // new record then finds it there.
        await cache.invalidate(touches);
        return result;
      } catch (error) {
        setProblem(
          toProblem(error, fieldsKey === '' ? [] : fieldsKey.split('\u0000'), conflictField),
        );
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [cache, client, fieldsKey, conflictField],
  );
  const clear = useCallback(() => setProblem(null), []);
  return { run, pending, problem, clear };
}
