import { type Clock, type FlowToken, type FlowTokenStore } from '../ports';

/**
 * Flow tokens in memory (authentik `FlowToken`). Stored as JSON copies; a token past its
 * `expires` is invisible (authentik's `filter_not_expired` / the expired-token cleanup).
 */
export class MemoryFlowTokenStore implements FlowTokenStore {
  private tokens = new Map<string, FlowToken>();

  constructor(private readonly clock: Clock) {}

  private live(token: FlowToken): boolean {
    return token.expires === null || Date.parse(token.expires) > this.clock.now();
  }

  save(token: FlowToken): void {
    this.tokens.set(token.key, structuredClone(token));
  }

  get(key: string): FlowToken | null {
    const token = this.tokens.get(key);
    return token && this.live(token) ? structuredClone(token) : null;
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }

  list(): FlowToken[] {
    return [...this.tokens.values()].filter((t) => this.live(t)).map((t) => structuredClone(t));
  }
}
