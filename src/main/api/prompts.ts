import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function promptHandlers({ prompts }: Services): DomainHandlers<'prompts'> {
  return {
    'prompts.list': () => prompts.list(),
    'prompts.get': ({ pk }) => prompts.get(pk),
    'prompts.create': (input) => prompts.create(input),
    'prompts.update': (input) => prompts.update(input),
    'prompts.delete': ({ pk }) => {
      prompts.delete(pk);
      return { deleted: true };
    },
  };
}
