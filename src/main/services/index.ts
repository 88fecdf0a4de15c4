import { type BindingService, createBindingService } from './bindings';
import { type BlueprintService, createBlueprintService } from './blueprints';
import { type CanvasService, createCanvasService } from './canvas';
import { createServiceContext, type ServiceContext, type ServiceContextOptions } from './context';
import { createFlowService, type FlowService } from './flows';
import { createGroupService, type GroupService } from './groups';
import { createPolicyService, type PolicyService } from './policies';
import { createPolicyBindingService, type PolicyBindingService } from './policy-bindings';
import { createPolicyTestService, type PolicyTestService } from './policy-test';
import { createPromptService, type PromptService } from './prompts';
import { createStageService, type StageService } from './stages';
import { createUserService, type UserService } from './users';
import { createWorkspaceService, type WorkspaceService } from './workspace';

export type { ServiceContextOptions } from './context';
export type {
  BindingService,
  BlueprintService,
  CanvasService,
  FlowService,
  GroupService,
  PolicyBindingService,
  PolicyService,
  PolicyTestService,
  PromptService,
  StageService,
  UserService,
  WorkspaceService,
};

/**
 * The workspace's domain operations. Each write runs in its own transaction and emits
 * `workspace.changed` after it commits. Failures are `RpcFailure`s (NOT_FOUND, CONFLICT, IN_USE,
 * INVALID_INPUT, STORE_ERROR) that the dispatcher turns into envelopes as they are.
 */
export interface Services {
  readonly context: ServiceContext;
  readonly workspace: WorkspaceService;
  readonly flows: FlowService;
  readonly stages: StageService;
  readonly bindings: BindingService;
  readonly policies: PolicyService;
  readonly policyBindings: PolicyBindingService;
  /** `policies.test`: evaluate one policy (any kind) on an in-memory copy of the workspace. */
  readonly policyTests: PolicyTestService;
  readonly prompts: PromptService;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly canvas: CanvasService;
  /** Blueprint import/validation and the stored blueprints (for export). */
  readonly blueprints: BlueprintService;
}

export function createServices(options: ServiceContextOptions): Services {
  const context = createServiceContext(options);
  const objects = {
    flows: createFlowService(context),
    stages: createStageService(context),
    bindings: createBindingService(context),
    policies: createPolicyService(context),
    policyBindings: createPolicyBindingService(context),
    prompts: createPromptService(context),
    users: createUserService(context),
    groups: createGroupService(context),
  };
  return {
    context,
    workspace: createWorkspaceService(context),
    ...objects,
    policyTests: createPolicyTestService(context, objects),
    canvas: createCanvasService(context),
    blueprints: createBlueprintService(context, objects),
  };
}
