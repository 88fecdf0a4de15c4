import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function policyHandlers({ policies, policyTests }: Services): DomainHandlers<'policies'> {
  return {
    'policies.list': () => policies.list(),
    'policies.get': ({ pk }) => policies.get(pk),
    'policies.create': (input) => policies.create(input),
    'policies.update': (input) => policies.update(input),
    'policies.delete': ({ pk }) => {
      policies.delete(pk);
      return { deleted: true };
    },
    'policies.test': (input) => policyTests.run(input),
    'policies.runtime': (input) => policyTests.runtime(input),
  };
}
