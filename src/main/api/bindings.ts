import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function bindingHandlers({ bindings }: Services): DomainHandlers<'bindings'> {
  return {
    'bindings.list': ({ flow }) => bindings.list(flow),
    'bindings.create': (input) => bindings.create(input),
    'bindings.update': (input) => bindings.update(input),
    'bindings.reorder': (input) => bindings.reorder(input),
    'bindings.delete': ({ pk }) => {
      bindings.delete(pk);
      return { deleted: true };
    },
  };
}
