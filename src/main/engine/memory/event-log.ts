import { toJsonObject } from '../json';
import { type Clock, type EngineEvent, type EventLog, type EventQuery, type NewEvent, type Random } from '../ports';

/** Events in memory, newest last; `query` sorts by `created` (then insertion). */
export class MemoryEventLog implements EventLog {
  private events: { event: EngineEvent; seq: number }[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    initial: readonly EngineEvent[] = [],
  ) {
    for (const event of initial) this.events.push({ event: structuredClone(event), seq: this.seq++ });
  }

  append(input: NewEvent): EngineEvent {
    const event: EngineEvent = {
      pk: this.random.uuid(),
      action: input.action,
      user: input.user ? { ...input.user } : null,
      client_ip: input.client_ip,
      app: input.app,
      model: input.model,
      context: toJsonObject(input.context),
      created: input.created ?? new Date(this.clock.now()).toISOString(),
    };
    this.events.push({ event, seq: this.seq++ });
    return structuredClone(event);
  }

  query(query: EventQuery = {}): EngineEvent[] {
    const newest = (query.order ?? 'newest') === 'newest';
    const matched = this.events
      .filter(({ event }) => {
        if (query.action !== undefined && event.action !== query.action) return false;
        if (query.user_pk !== undefined && (event.user?.pk ?? null) !== query.user_pk) return false;
        if (query.context_has !== undefined) {
          const value = event.context[query.context_has];
          if (value === undefined || value === null) return false;
        }
        return true;
      })
      .sort((a, b) => {
        const byTime = Date.parse(a.event.created) - Date.parse(b.event.created) || a.seq - b.seq;
        return newest ? -byTime : byTime;
      })
      .map(({ event }) => structuredClone(event));
    return query.limit === undefined ? matched : matched.slice(0, Math.max(0, query.limit));
  }

  get size(): number {
    return this.events.length;
  }
}
