import { type Clock, type Invitation, type InvitationStore } from '../ports';

/** A UUID in any of Python's accepted spellings (dashes, braces, `urn:uuid:`) as 32 lowercase hex digits, or null. */
export function normalizeUuid(value: string): string | null {
  const hex = value
    .trim()
    .toLowerCase()
    .replace(/^urn:uuid:/, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replaceAll('-', '');
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/**
 * Invitations in memory. `get` accepts the pk with or without dashes (Django's `UUIDField`)
 * and hides expired invitations (authentik `filter_not_expired`).
 */
export class MemoryInvitationStore implements InvitationStore {
  private invitations = new Map<string, Invitation>();

  constructor(
    private readonly clock: Clock,
    initial: readonly Invitation[] = [],
  ) {
    for (const invitation of initial) this.save(invitation);
  }

  private key(pk: string): string {
    return normalizeUuid(pk) ?? pk;
  }

  get(pk: string): Invitation | null {
    const key = normalizeUuid(pk);
    if (key === null) return null;
    const invitation = this.invitations.get(key);
    if (!invitation) return null;
    if (invitation.expires !== null && Date.parse(invitation.expires) <= this.clock.now()) return null;
    return structuredClone(invitation);
  }

  save(invitation: Invitation): void {
    this.invitations.set(this.key(invitation.pk), structuredClone(invitation));
  }

  delete(pk: string): void {
    this.invitations.delete(this.key(pk));
  }

  list(): Invitation[] {
    return [...this.invitations.values()].map((i) => structuredClone(i));
  }
}
