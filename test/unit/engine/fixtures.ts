import {
  flowSchema,
  flowStageBindingSchema,
  groupSchema,
  policyBindingSchema,
  policySchema,
  stageSchema,
  userSchema,
  type Flow,
  type FlowStageBinding,
  type Group,
  type Policy,
  type PolicyBinding,
  type Stage,
  type User,
} from '../../../src/shared/model';
import { createMemoryEngine, type MemoryEngine, type MemoryEngineOptions } from '../../../src/main/engine/memory';
import { type EngineUser, type SimRequest } from '../../../src/main/engine/ports';
import { engineUser } from '../../../src/main/engine/users';

/** Deterministic UUIDs: uuid(1) < uuid(2) < … */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

let counter = 1000;
const next = (): number => (counter += 1);

/** A workspace world with builders that validate through the shared zod schemas. */
export class World {
  readonly engine: MemoryEngine;

  constructor(options: MemoryEngineOptions = {}) {
    this.engine = createMemoryEngine(options);
  }

  get ws() {
    return this.engine.workspace;
  }

  flow(input: Partial<Flow> & { slug?: string } = {}): Flow {
    const n = next();
    const flow = flowSchema.parse({
      pk: uuid(n),
      name: input.slug ?? `flow-${n}`,
      slug: `flow-${n}`,
      title: 'Test flow',
      designation: 'authentication',
      ...input,
    });
    this.ws.put('flow', flow);
    return flow;
  }

  stage(input: Partial<Stage> = {}): Stage {
    const n = next();
    const stage = stageSchema.parse({
      pk: uuid(n),
      name: `stage-${n}`,
      kind: 'authentik_stages_dummy.dummystage',
      config: {},
      ...input,
    });
    this.ws.put('stage', stage);
    return stage;
  }

  bind(flow: Flow, input: Partial<FlowStageBinding> & { order: number }, stage: Stage = this.stage()): FlowStageBinding {
    const binding = flowStageBindingSchema.parse({ pk: uuid(next()), target: flow.pk, stage: stage.pk, ...input });
    this.ws.put('flowStageBinding', binding);
    return binding;
  }

  policy(kind: string, config: Record<string, unknown> = {}, extra: Partial<Policy> = {}): Policy {
    const n = next();
    const policy = policySchema.parse({ pk: uuid(n), name: `policy-${n}`, kind, config, ...extra });
    this.ws.put('policy', policy);
    return policy;
  }

  dummy(result: boolean, extra: { wait_min?: number; wait_max?: number } & Partial<Policy> = {}): Policy {
    const { wait_min = 0, wait_max = 1, ...rest } = extra;
    return this.policy('authentik_policies_dummy.dummypolicy', { result, wait_min, wait_max }, rest);
  }

  expression(expression: string, extra: Partial<Policy> = {}): Policy {
    return this.policy('authentik_policies_expression.expressionpolicy', { expression }, extra);
  }

  /** Bind a policy / group / user to a target (flow or flow stage binding). */
  pb(target: { pk: string }, input: Partial<PolicyBinding> & { order: number }): PolicyBinding {
    const binding = policyBindingSchema.parse({ pk: uuid(next()), target: target.pk, ...input });
    this.ws.put('policyBinding', binding);
    return binding;
  }

  group(input: Partial<Group> = {}): Group {
    const n = next();
    const group = groupSchema.parse({ pk: uuid(n), name: `group-${n}`, ...input });
    this.ws.put('group', group);
    return group;
  }

  user(input: Partial<User> = {}): EngineUser {
    const n = next();
    const user = userSchema.parse({
      pk: n,
      username: `user-${n}`,
      has_usable_password: true,
      password_change_date: '2024-12-01T00:00:00Z',
      last_login: null,
      date_joined: '2024-01-01T00:00:00Z',
      ...input,
    });
    this.ws.put('user', user);
    return engineUser(this.ws, user);
  }

  /** Re-read a user (after group changes). */
  reload(user: EngineUser): EngineUser {
    const stored = this.ws.userByPk(user.pk ?? -1);
    if (!stored) throw new Error('no such user');
    return engineUser(this.ws, stored);
  }
}

export function request(input: Partial<SimRequest> = {}): SimRequest {
  return {
    ip: '192.0.2.10',
    user_agent: 'vitest',
    query: {},
    geoip: null,
    asn: null,
    session_user: null,
    session_key: 'session-1',
    ...input,
  };
}

export const DUMMY = 'authentik_policies_dummy.dummypolicy';
export const EXPRESSION = 'authentik_policies_expression.expressionpolicy';
export const PASSWORD = 'authentik_policies_password.passwordpolicy';
export const REPUTATION = 'authentik_policies_reputation.reputationpolicy';
export const EXPIRY = 'authentik_policies_expiry.passwordexpirypolicy';
export const EVENT_MATCHER = 'authentik_policies_event_matcher.eventmatcherpolicy';
export const GEOIP = 'authentik_policies_geoip.geoippolicy';
