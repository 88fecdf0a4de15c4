import { type KindDef, type Registry } from '../kind-registry';
import { dummyPolicy } from './dummy';
import { eventMatcherPolicy } from './event-matcher';
import { passwordExpiryPolicy } from './expiry';
import { expressionPolicy } from './expression';
import { geoipPolicy } from './geoip';
import { passwordPolicy } from './password';
import { reputationPolicy } from './reputation';

/** Every policy kind Flowbench models, keyed by authentik model name (spec §6). */
export const policyRegistry = {
  [expressionPolicy.model]: expressionPolicy,
  [passwordPolicy.model]: passwordPolicy,
  [reputationPolicy.model]: reputationPolicy,
  [passwordExpiryPolicy.model]: passwordExpiryPolicy,
  [eventMatcherPolicy.model]: eventMatcherPolicy,
  [dummyPolicy.model]: dummyPolicy,
  [geoipPolicy.model]: geoipPolicy,
} as const satisfies Registry<KindDef>;

export type PolicyKind = keyof typeof policyRegistry;

export {
  dummyPolicy,
  eventMatcherPolicy,
  expressionPolicy,
  geoipPolicy,
  passwordExpiryPolicy,
  passwordPolicy,
  reputationPolicy,
};
