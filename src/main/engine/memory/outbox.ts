import { type Clock, type NewOutboxMessage, type Outbox, type OutboxMessage, type Random } from '../ports';

/**
 * The local outbox: what the email stage would have sent over SMTP. Messages are JSON copies,
 * oldest first; `newest()` is what a flow test's `follow_email_link` opens.
 */
export class MemoryOutbox implements Outbox {
  private messages: OutboxMessage[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  send(message: NewOutboxMessage): OutboxMessage {
    const stored: OutboxMessage = {
      ...structuredClone(message),
      pk: this.random.uuid(),
      created: new Date(this.clock.now()).toISOString(),
    };
    this.messages.push(stored);
    return structuredClone(stored);
  }

  list(filter: { to?: string } = {}): OutboxMessage[] {
    const to = filter.to?.toLowerCase();
    return this.messages.filter((m) => to === undefined || m.to.toLowerCase() === to).map((m) => structuredClone(m));
  }

  /** The newest message (optionally to `to`), or null. */
  newest(filter: { to?: string } = {}): OutboxMessage | null {
    const all = this.list(filter);
    return all[all.length - 1] ?? null;
  }

  clear(): void {
    this.messages = [];
  }
}
