import { type EngineDeps } from '../ports';

const PORT_LABELS = {
  outbox: 'an outbox (deps.outbox)',
  consents: 'a consent store (deps.consents)',
  invitations: 'an invitation store (deps.invitations)',
  devices: 'an authenticator device store (deps.devices)',
} as const;

/**
 * The optional port a stage cannot work without. Missing → an error (the run shows
 * `ak-stage-flow-error` and the trace says which port): a stage never pretends.
 */
export function requirePort<K extends keyof typeof PORT_LABELS>(deps: EngineDeps, key: K): NonNullable<EngineDeps[K]> {
  const port = deps[key];
  if (port === undefined || port === null) throw new Error(`This engine has no ${PORT_LABELS[key]}`);
  return port as NonNullable<EngineDeps[K]>;
}
