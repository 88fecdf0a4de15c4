import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function flowHandlers({ flows }: Services): DomainHandlers<'flows'> {
  return {
    'flows.list': () => flows.list(),
    'flows.get': ({ pk }) => flows.get(pk),
    'flows.create': (input) => flows.create(input),
    'flows.update': (input) => flows.update(input),
    'flows.duplicate': (input) => flows.duplicate(input),
    'flows.delete': ({ pk }) => {
      flows.delete(pk);
      return { deleted: true };
    },
  };
}
