import { type Clock, type ReputationRecord, type ReputationStore } from '../ports';

/**
 * Reputation scores per (identifier, IP), as authentik's `Reputation` model, in memory.
 * Records expire `expirySeconds` after their last update (authentik `reputation.expiry`,
 * 86400 s by default).
 */
export class MemoryReputationStore implements ReputationStore {
  private rows = new Map<string, ReputationRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly expirySeconds = 86_400,
    initial: readonly ReputationRecord[] = [],
  ) {
    for (const row of initial) this.rows.set(this.key(row.identifier, row.ip), { ...row });
  }

  private key(identifier: string, ip: string): string {
    return JSON.stringify([identifier, ip]);
  }

  private live(): ReputationRecord[] {
    const now = this.clock.now();
    return [...this.rows.values()].filter((r) => Date.parse(r.expires) > now);
  }

  score(query: { ip?: string; identifier?: string }): number {
    const any = query.ip === undefined && query.identifier === undefined;
    return this.live()
      .filter((r) => any || (query.ip !== undefined && r.ip === query.ip) || (query.identifier !== undefined && r.identifier === query.identifier))
      .reduce((sum, r) => sum + r.score, 0);
  }

  update(identifier: string, ip: string, delta: number): void {
    const key = this.key(identifier, ip);
    const now = this.clock.now();
    const existing = this.rows.get(key);
    const base = existing && Date.parse(existing.expires) > now ? existing.score : 0;
    this.rows.set(key, {
      identifier,
      ip,
      score: base + delta,
      expires: new Date(now + this.expirySeconds * 1000).toISOString(),
      updated: new Date(now).toISOString(),
    });
  }

  records(): ReputationRecord[] {
    return this.live().map((r) => ({ ...r }));
  }
}
