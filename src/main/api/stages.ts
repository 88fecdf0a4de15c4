import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function stageHandlers({ stages }: Services): DomainHandlers<'stages'> {
  return {
    'stages.list': (input) => stages.list(input),
    'stages.get': ({ pk }) => stages.get(pk),
    'stages.create': (input) => stages.create(input),
    'stages.update': (input) => stages.update(input),
    'stages.delete': ({ pk }) => {
      stages.delete(pk);
      return { deleted: true };
    },
  };
}
