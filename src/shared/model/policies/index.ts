import { type KindDef, type Registry } from '../kind-registry';
import { dummyPolicy } from './dummy';

/** Every policy kind Flowbench models, keyed by authentik model name. */
export const policyRegistry = {
  [dummyPolicy.model]: dummyPolicy,
} as const satisfies Registry<KindDef>;

export type PolicyKind = keyof typeof policyRegistry;
