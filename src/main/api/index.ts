import { type Services } from '../services';
import { bindingHandlers } from './bindings';
import { blueprintHandlers } from './blueprints';
import { flowHandlers } from './flows';
import { groupHandlers } from './groups';
import { type Handlers } from './handler-types';
import { policyHandlers } from './policies';
import { policyBindingHandlers } from './policy-bindings';
import { promptHandlers } from './prompts';
import { stageHandlers } from './stages';
import { userHandlers } from './users';
import { workspaceHandlers } from './workspace';

export type { CallContext, DomainHandlers, Handler, HandlerInput, Handlers } from './handler-types';

/**
 * One thin handler per contract procedure, each calling a service. The `Handlers` type makes a
 * missing procedure a compile error; services throw `RpcFailure`s for the dispatcher to wrap.
 */
export function createHandlers(services: Services): Handlers {
  return {
    ...workspaceHandlers(services),
    ...flowHandlers(services),
    ...stageHandlers(services),
    ...bindingHandlers(services),
    ...policyHandlers(services),
    ...policyBindingHandlers(services),
    ...promptHandlers(services),
    ...userHandlers(services),
    ...groupHandlers(services),
    ...blueprintHandlers(services),
  };
}
