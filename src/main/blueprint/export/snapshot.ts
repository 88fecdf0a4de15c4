import {
  type Flow,
  type FlowStageBinding,
  type Group,
  type Policy,
  type PolicyBinding,
  type Prompt,
  type Stage,
  type User,
} from '@shared/model';

/** The workspace objects an export reads, all at once, so one export sees one consistent state. */
export interface WorkspaceSnapshot {
  flows: readonly Flow[];
  stages: readonly Stage[];
  bindings: readonly FlowStageBinding[];
  policies: readonly Policy[];
  policyBindings: readonly PolicyBinding[];
  prompts: readonly Prompt[];
  groups: readonly Group[];
  users: readonly User[];
}

export type ObjectType = 'flow' | 'stage' | 'binding' | 'policy' | 'policyBinding' | 'prompt' | 'group' | 'user';

export interface ObjectRef {
  readonly type: ObjectType;
  /** UUID string; users: integer. */
  readonly pk: string | number;
}

export type WorkspaceObject = Flow | Stage | FlowStageBinding | Policy | PolicyBinding | Prompt | Group | User;

export function refKey(ref: ObjectRef): string {
  return `${ref.type}:${String(ref.pk)}`;
}

/** Lookups over a snapshot: by ref, by pk within a type, bindings per flow, policy bindings per target. */
export class ObjectIndex {
  private readonly byKey = new Map<string, WorkspaceObject>();
  private readonly bindingsOf = new Map<string, FlowStageBinding[]>();
  private readonly policyBindingsOf = new Map<string, PolicyBinding[]>();

  constructor(readonly snapshot: WorkspaceSnapshot) {
    const add = (type: ObjectType, objects: readonly WorkspaceObject[]) => {
      for (const object of objects) this.byKey.set(refKey({ type, pk: object.pk }), object);
    };
    add('flow', snapshot.flows);
    add('stage', snapshot.stages);
    add('binding', snapshot.bindings);
    add('policy', snapshot.policies);
    add('policyBinding', snapshot.policyBindings);
    add('prompt', snapshot.prompts);
    add('group', snapshot.groups);
    add('user', snapshot.users);
    for (const binding of snapshot.bindings) push(this.bindingsOf, binding.target, binding);
    for (const binding of snapshot.policyBindings) push(this.policyBindingsOf, binding.target, binding);
    for (const list of this.bindingsOf.values()) list.sort(byOrderThenPk);
    for (const list of this.policyBindingsOf.values()) list.sort(byOrderThenPk);
  }

  get(ref: ObjectRef): WorkspaceObject | undefined {
    return this.byKey.get(refKey(ref));
  }

  has(ref: ObjectRef): boolean {
    return this.byKey.has(refKey(ref));
  }

  flow(pk: string): Flow | undefined {
    return this.byKey.get(`flow:${pk}`) as Flow | undefined;
  }
  stage(pk: string): Stage | undefined {
    return this.byKey.get(`stage:${pk}`) as Stage | undefined;
  }
  binding(pk: string): FlowStageBinding | undefined {
    return this.byKey.get(`binding:${pk}`) as FlowStageBinding | undefined;
  }
  policy(pk: string): Policy | undefined {
    return this.byKey.get(`policy:${pk}`) as Policy | undefined;
  }
  prompt(pk: string): Prompt | undefined {
    return this.byKey.get(`prompt:${pk}`) as Prompt | undefined;
  }
  group(pk: string): Group | undefined {
    return this.byKey.get(`group:${pk}`) as Group | undefined;
  }
  user(pk: number): User | undefined {
    return this.byKey.get(`user:${pk}`) as User | undefined;
  }

  /** A flow's stage bindings by order (ties by pk). */
  bindingsOfFlow(flow: string): readonly FlowStageBinding[] {
    return this.bindingsOf.get(flow) ?? [];
  }

  /** The policy bindings on a flow or stage binding by order (ties by pk). */
  policyBindingsOn(target: string): readonly PolicyBinding[] {
    return this.policyBindingsOf.get(target) ?? [];
  }

  /** The flow or stage binding a policy binding's target pk names. */
  pbmRef(pk: string): ObjectRef | undefined {
    if (this.byKey.has(`flow:${pk}`)) return { type: 'flow', pk };
    if (this.byKey.has(`binding:${pk}`)) return { type: 'binding', pk };
    return undefined;
  }

  /** The flow a ref belongs to, for bindings and policy bindings (for ids). */
  flowOf(ref: ObjectRef): Flow | undefined {
    if (ref.type === 'flow') return this.flow(String(ref.pk));
    if (ref.type === 'binding') {
      const binding = this.binding(String(ref.pk));
      return binding ? this.flow(binding.target) : undefined;
    }
    if (ref.type === 'policyBinding') {
      const binding = this.byKey.get(refKey(ref)) as PolicyBinding | undefined;
      const target = binding ? this.pbmRef(binding.target) : undefined;
      return target ? this.flowOf(target) : undefined;
    }
    return undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function comparePk(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Code-point order, never locale order: exports must be byte-identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byOrderThenPk(a: { order: number; pk: string }, b: { order: number; pk: string }): number {
  return a.order - b.order || comparePk(a.pk, b.pk);
}
