import {
  type Client,
  type EventPayload,
  type ProcedureName,
  type RpcError,
} from '@shared/contract';

export type Entity = EventPayload<'workspace.changed'>['entity'];

export interface QueryState<T> {
  readonly status: 'loading' | 'success' | 'error';
  readonly data: T | undefined;
  readonly error: RpcError | undefined;
  /** A refetch is in flight; `data` still holds the previous answer. */
  readonly refreshing: boolean;
}

const ALL: readonly Entity[] = [
  'flow',
  'stage',
  'binding',
  'policy',
  'policyBinding',
  'prompt',
  'user',
  'group',
  'workspace',
];

/** Which `workspace.changed` entities make a list or record of each domain stale. */
const dependencies: Record<string, readonly Entity[]> = {
  workspace: ALL,
  flows: ['flow'],
  stages: ['stage'],
  bindings: ['binding', 'stage', 'flow'],
  policies: ['policy'],
  policyBindings: ['policyBinding', 'policy', 'group', 'user', 'binding', 'flow'],
  prompts: ['prompt'],
  users: ['user', 'group'],
  groups: ['group'],
};

export function dependsOn(name: ProcedureName, entity: Entity): boolean {
  if (entity === 'workspace') return true;
  const domain = name.slice(0, name.indexOf('.'));
  return (dependencies[domain] ?? ALL).includes(entity);
}

interface Entry {
  readonly name: ProcedureName;
  readonly input: unknown;
  state: QueryState<unknown>;
  readonly listeners: Set<() => void>;
  /** Guards against an older answer overwriting a newer one. */
  generation: number;
  /** The newest fetch; an invalidation waits for it, not for one it superseded. */
  latest: Promise<void>;
  stale: boolean;
}

export const LOADING: QueryState<never> = Object.freeze({
  status: 'loading',
  data: undefined,
  error: undefined,
  refreshing: false,
});

/**
 * Read-only calls the UI shows, keyed by procedure + input. Entries refetch when a
 * `workspace.changed` event (or a local mutation) touches an entity they depend on, so
 * every open list follows the store without a query library.
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly client: Client) {}

  static key(name: ProcedureName, serializedInput: string): string {
    return `${name} ${serializedInput}`;
  }

  /** Listen to main's change events; returns the matching stop function. */
  start(): () => void {
    this.unsubscribe?.();
    this.unsubscribe = this.client.on(
      'workspace.changed',
      (event) => void this.invalidate([event.entity]),
    );
    return () => {
      this.unsubscribe?.();
      this.unsubscribe = null;
    };
  }

  snapshot(key: string): QueryState<unknown> {
    return this.entries.get(key)?.state ?? LOADING;
  }

  observe(name: ProcedureName, serializedInput: string, listener: () => void): () => void {
    const key = QueryCache.key(name, serializedInput);
    let entry = this.entries.get(key);
    if (!entry) {
      const input: unknown = serializedInput === '' ? undefined : JSON.parse(serializedInput);
      entry = {
        name,
        input,
        state: LOADING,
        listeners: new Set(),
        generation: 0,
        latest: Promise.resolve(),
        stale: true,
      };
      this.entries.set(key, entry);
    }
    entry.listeners.add(listener);
    if (entry.stale) this.fetch(entry);
    const observed = entry;
    return () => {
      observed.listeners.delete(listener);
    };
  }

  /**
   * Mark every entry depending on one of `entities` stale and refetch those on screen.
   * Resolves once those refetches answered, so a caller can wait until the UI is current.
   */
  invalidate(entities: readonly Entity[]): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (!entities.some((entity) => dependsOn(entry.name, entity))) continue;
      entry.stale = true;
      if (entry.listeners.size > 0) {
        this.fetch(entry);
        pending.push(this.settled(entry));
      }
    }
    return Promise.all(pending).then(() => undefined);
  }

  private async settled(entry: Entry): Promise<void> {
    let awaited: Promise<void>;
    do {
      awaited = entry.latest;
      await awaited;
    } while (awaited !== entry.latest);
  }

  /** After a connection failure: try everything again. */
  refetchAll(): void {
    void this.invalidate(['workspace']);
  }

  private fetch(entry: Entry): void {
    const generation = ++entry.generation;
    entry.stale = false;
    if (entry.state.status !== 'loading') this.set(entry, { ...entry.state, refreshing: true });
    entry.latest = this.client.try(entry.name, entry.input as never).then(
      (envelope) => {
        if (generation !== entry.generation) return;
        this.set(
          entry,
          envelope.ok
            ? { status: 'success', data: envelope.value, error: undefined, refreshing: false }
            : { status: 'error', data: entry.state.data, error: envelope.error, refreshing: false },
        );
      },
      (error: unknown) => {
        if (generation !== entry.generation) return;
        const message = error instanceof Error ? error.message : String(error);
        this.set(entry, {
          status: 'error',
          data: entry.state.data,
          error: { code: 'INTERNAL', message },
          refreshing: false,
        });
      },
    );
  }

  private set(entry: Entry, state: QueryState<unknown>): void {
    entry.state = state;
    for (const listener of entry.listeners) listener();
  }
}
