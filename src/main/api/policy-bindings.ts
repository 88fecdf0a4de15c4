import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function policyBindingHandlers({
  policyBindings,
}: Services): DomainHandlers<'policyBindings'> {
  return {
    'policyBindings.list': ({ target }) => policyBindings.list(target),
    'policyBindings.create': (input) => policyBindings.create(input),
    'policyBindings.update': (input) => policyBindings.update(input),
    'policyBindings.delete': ({ pk }) => {
      policyBindings.delete(pk);
      return { deleted: true };
    },
  };
}
