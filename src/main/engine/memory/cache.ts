import { type JsonValue } from '@shared/model';
import { cloneJson } from '../json';
import { type Cache, type Clock } from '../ports';

interface Entry {
  value: string;
  expires: number | null;
}

/**
 * An in-memory cache holding JSON copies (never live objects), with TTLs on the injected
 * clock and counters, so tests can check reads and writes (P8: 2 reads, 1 write).
 */
export class MemoryCache implements Cache {
  private entries = new Map<string, Entry>();
  readonly stats = { gets: 0, hits: 0, sets: 0, deletes: 0 };

  constructor(
    private readonly clock?: Clock,
    /** Default TTL in seconds; null = no expiry. authentik's defaults are 300 s. */
    private readonly defaultTtl: number | null = 300,
  ) {}

  get(key: string): JsonValue | undefined {
    this.stats.gets += 1;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires !== null && this.clock && this.clock.now() >= entry.expires) {
      this.entries.delete(key);
      return undefined;
    }
    this.stats.hits += 1;
    return JSON.parse(entry.value) as JsonValue;
  }

  set(key: string, value: JsonValue, ttlSeconds?: number): void {
    this.stats.sets += 1;
    const ttl = ttlSeconds ?? this.defaultTtl;
    const expires = ttl === null || !this.clock ? null : this.clock.now() + ttl * 1000;
    this.entries.set(key, { value: JSON.stringify(cloneJson(value)), expires });
  }

  delete(key: string): void {
    this.stats.deletes += 1;
    this.entries.delete(key);
  }

  clear(prefix?: string): void {
    if (prefix === undefined) {
      this.entries.clear();
      return;
    }
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  keys(prefix?: string): string[] {
    const now = this.clock?.now();
    return [...this.entries.entries()]
      .filter(([key, entry]) => (prefix === undefined || key.startsWith(prefix)) && (entry.expires === null || now === undefined || now < entry.expires))
      .map(([key]) => key)
      .sort();
  }
}

/** A cache that stores nothing: every read misses (the "cache off" switch). */
export const nullCache: Cache = {
  get: () => undefined,
  set: () => undefined,
  delete: () => undefined,
  clear: () => undefined,
  keys: () => [],
};
