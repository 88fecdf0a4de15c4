import {
  type AuthenticatorDevice,
  type AuthenticatorDeviceType,
  type Clock,
  type DeviceStore,
  type NewAuthenticatorDevice,
} from '../ports';

/** authentik's `devices_for_user` walks the device models in app order. */
const TYPE_ORDER: Record<AuthenticatorDeviceType, number> = { static: 0, totp: 1, webauthn: 2 };

/** Authenticator devices in memory, JSON copies in and out; pks count up from 1. */
export class MemoryDeviceStore implements DeviceStore {
  private devices = new Map<number, AuthenticatorDevice>();
  private nextPk = 1;

  constructor(
    private readonly clock: Clock,
    initial: readonly AuthenticatorDevice[] = [],
  ) {
    for (const device of initial) {
      this.devices.set(device.pk, structuredClone(device));
      this.nextPk = Math.max(this.nextPk, device.pk + 1);
    }
  }

  list(filter: { user_pk?: number; type?: AuthenticatorDeviceType; confirmed?: boolean } = {}): AuthenticatorDevice[] {
    return [...this.devices.values()]
      .filter(
        (d) =>
          (filter.user_pk === undefined || d.user_pk === filter.user_pk) &&
          (filter.type === undefined || d.type === filter.type) &&
          (filter.confirmed === undefined || d.confirmed === filter.confirmed),
      )
      .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.pk - b.pk)
      .map((d) => structuredClone(d));
  }

  get(pk: number): AuthenticatorDevice | null {
    const device = this.devices.get(pk);
    return device ? structuredClone(device) : null;
  }

  create(device: NewAuthenticatorDevice): AuthenticatorDevice {
    const stored = {
      ...structuredClone(device),
      pk: this.nextPk++,
      created: new Date(this.clock.now()).toISOString(),
      last_used: device.last_used ?? null,
    } as AuthenticatorDevice;
    this.devices.set(stored.pk, stored);
    return structuredClone(stored);
  }

  update(device: AuthenticatorDevice): void {
    if (!this.devices.has(device.pk)) throw new Error(`Device ${device.pk} does not exist`);
    this.devices.set(device.pk, structuredClone(device));
  }

  delete(pk: number): void {
    this.devices.delete(pk);
  }
}
