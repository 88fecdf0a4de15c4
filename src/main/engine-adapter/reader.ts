import {
  type Flow,
  type FlowDesignation,
  type FlowStageBinding,
  type Group,
  type Policy,
  type PolicyBinding,
  type Prompt,
  type Stage,
  type User,
} from '@shared/model';
import { MemoryWorkspace, type WorkspaceSnapshot } from '../engine/memory';
import { type UserFilter, type WorkspaceReader } from '../engine/ports';
import { type Workspace } from '../workspace';

/**
 * The engine's `WorkspaceReader` over a workspace's services. The engine's reads are
 * synchronous and frequent (a plan looks up every binding, stage and policy), so the reader
 * takes one snapshot of the workspace through the services and answers from it until the
 * workspace changes: every committed write emits `workspace.changed`, which drops the snapshot
 * (the next read takes a fresh one). Writes the engine makes through `WorkspaceServiceWriter`
 * are therefore visible to its very next read.
 */
export class ServiceWorkspaceReader implements WorkspaceReader {
  private snapshot: MemoryWorkspace | null = null;
  private readonly unsubscribe: () => void;
  /** How many snapshots were taken (tests, diagnostics). */
  snapshots = 0;

  constructor(private readonly workspace: Workspace) {
    this.unsubscribe = workspace.events.subscribe('workspace.changed', () => this.invalidate());
  }

  /** Forget the snapshot (the next read takes a new one). */
  invalidate(): void {
    this.snapshot = null;
  }

  /** Stop listening to the workspace (the reader keeps answering from its last snapshot). */
  dispose(): void {
    this.unsubscribe();
  }

  /** The current snapshot as plain data (a sandbox of the sandbox). */
  toSnapshot(): WorkspaceSnapshot {
    return this.current().snapshot();
  }

  private current(): MemoryWorkspace {
    if (this.snapshot) return this.snapshot;
    const { services } = this.workspace;
    const flows = services.flows.list();
    const flowStageBindings = flows.flatMap((flow) => services.bindings.list(flow.pk));
    const targets = [...flows.map((f) => f.pk), ...flowStageBindings.map((b) => b.pk)];
    const snapshot: WorkspaceSnapshot = {
      flows,
      stages: services.stages.list(),
      flowStageBindings,
      policies: services.policies.list(),
      policyBindings: targets.flatMap((target) => services.policyBindings.list(target)),
      users: services.users.list(),
      groups: services.groups.list(),
      prompts: services.prompts.list(),
    };
    this.snapshots += 1;
    this.snapshot = new MemoryWorkspace(snapshot);
    return this.snapshot;
  }

  flowByPk(pk: string): Flow | null {
    return this.current().flowByPk(pk);
  }
  flowBySlug(slug: string): Flow | null {
    return this.current().flowBySlug(slug);
  }
  flowsByDesignation(designation: FlowDesignation): Flow[] {
    return this.current().flowsByDesignation(designation);
  }
  flowStageBindings(flowPk: string): FlowStageBinding[] {
    return this.current().flowStageBindings(flowPk);
  }
  flowStageBindingByPk(pk: string): FlowStageBinding | null {
    return this.current().flowStageBindingByPk(pk);
  }
  stageByPk(pk: string): Stage | null {
    return this.current().stageByPk(pk);
  }
  policyBindings(targetPk: string): PolicyBinding[] {
    return this.current().policyBindings(targetPk);
  }
  policyByPk(pk: string): Policy | null {
    return this.current().policyByPk(pk);
  }
  policyByName(name: string): Policy | null {
    return this.current().policyByName(name);
  }
  userByPk(pk: number): User | null {
    return this.current().userByPk(pk);
  }
  findUsers(filter: UserFilter): User[] {
    return this.current().findUsers(filter);
  }
  groupByPk(pk: string): Group | null {
    return this.current().groupByPk(pk);
  }
  userGroups(userPk: number): Group[] {
    return this.current().userGroups(userPk);
  }
  promptByPk(pk: string): Prompt | null {
    return this.current().promptByPk(pk);
  }
}
