import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function groupHandlers({ groups }: Services): DomainHandlers<'groups'> {
  return {
    'groups.list': () => groups.list(),
    'groups.get': ({ pk }) => groups.get(pk),
    'groups.create': (input) => groups.create(input),
    'groups.update': (input) => groups.update(input),
    'groups.delete': ({ pk }) => {
      groups.delete(pk);
      return { deleted: true };
    },
  };
}
