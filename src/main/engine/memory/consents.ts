import { type Clock, type ConsentStore, type Random, type UserConsent } from '../ports';

/**
 * Stored consents in memory (authentik `UserConsent`). `find` applies authentik's
 * `filter_not_expired`: a consent counts while it is permanent (`expiring: false`) or its
 * `expires` lies in the future of the injected clock.
 */
export class MemoryConsentStore implements ConsentStore {
  private consents: UserConsent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    initial: readonly UserConsent[] = [],
  ) {
    for (const consent of initial) this.consents.push(structuredClone(consent));
  }

  private live(consent: UserConsent): boolean {
    if (!consent.expiring) return true;
    return consent.expires !== null && Date.parse(consent.expires) > this.clock.now();
  }

  find(userPk: number, application: string): UserConsent | null {
    const found = this.consents.find((c) => c.user_pk === userPk && c.application === application && this.live(c));
    return found ? structuredClone(found) : null;
  }

  save(consent: Omit<UserConsent, 'pk'> & { pk?: string }): UserConsent {
    const stored: UserConsent = { ...structuredClone(consent), pk: consent.pk ?? this.random.uuid() };
    const index = this.consents.findIndex((c) => c.pk === stored.pk);
    if (index >= 0) this.consents[index] = stored;
    else this.consents.push(stored);
    return structuredClone(stored);
  }

  delete(pk: string): void {
    this.consents = this.consents.filter((c) => c.pk !== pk);
  }

  list(): UserConsent[] {
    return this.consents.map((c) => structuredClone(c));
  }
}
