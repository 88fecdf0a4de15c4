import { type Services } from '../services';
import { type DomainHandlers } from './handler-types';

export function workspaceHandlers(services: Services): DomainHandlers<'workspace'> {
  return {
    'workspace.info': () => services.workspace.info(),
  };
}
