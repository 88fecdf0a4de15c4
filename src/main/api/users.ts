import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function userHandlers({ users }: Services): DomainHandlers<'users'> {
  return {
    'users.list': () => users.list(),
    'users.get': ({ pk }) => users.get(pk),
    'users.create': (input) => users.create(input),
    'users.update': (input) => users.update(input),
    'users.setPassword': (input) => users.setPassword(input),
    'users.checkPassword': (input) => users.checkPassword(input),
    'users.delete': ({ pk }) => {
      users.delete(pk);
      return { deleted: true };
    },
  };
}
