import {
  flowSchema,
  flowStageBindingSchema,
  groupSchema,
  policyBindingSchema,
  policySchema,
  promptSchema,
  stageSchema,
  userSchema,
  type Flow,
  type FlowStageBinding,
  type Group,
  type Policy,
  type PolicyBinding,
  type Prompt,
  type Stage,
  type User,
} from '@shared/model';
import { type WorkspaceSnapshot } from '../../../../src/main/blueprint/export';

/** A workspace snapshot built in memory (no SQLite), with readable deterministic pks. */
export class SnapshotBuilder {
  /** `start`: where pks begin, so two builders never share one. */
  constructor(private n = 0) {}

  readonly flows: Flow[] = [];
  readonly stages: Stage[] = [];
  readonly bindings: FlowStageBinding[] = [];
  readonly policies: Policy[] = [];
  readonly policyBindings: PolicyBinding[] = [];
  readonly prompts: Prompt[] = [];
  readonly groups: Group[] = [];
  readonly users: User[] = [];

  pk(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }

  flow(slug: string, extra: Record<string, unknown> = {}): Flow {
    const flow = flowSchema.parse({ pk: this.pk(), name: `Flow ${slug}`, slug, title: slug, designation: 'authentication', ...extra });
    this.flows.push(flow);
    return flow;
  }

  stage(name: string, kind: string, config: Record<string, unknown> = {}): Stage {
    const stage = stageSchema.parse({ pk: this.pk(), name, kind, config });
    this.stages.push(stage);
    return stage;
  }

  bind(flow: Flow, stage: Stage, order: number, extra: Record<string, unknown> = {}): FlowStageBinding {
    const binding = flowStageBindingSchema.parse({ pk: this.pk(), target: flow.pk, stage: stage.pk, order, ...extra });
    this.bindings.push(binding);
    return binding;
  }

  policy(name: string, config: Record<string, unknown> = { expression: 'return True' }, kind = 'authentik_policies_expression.expressionpolicy'): Policy {
    const policy = policySchema.parse({ pk: this.pk(), name, kind, config });
    this.policies.push(policy);
    return policy;
  }

  policyBinding(target: { pk: string }, subject: { policy?: string; group?: string; user?: number }, order: number, extra: Record<string, unknown> = {}): PolicyBinding {
    const binding = policyBindingSchema.parse({ pk: this.pk(), target: target.pk, order, ...subject, ...extra });
    this.policyBindings.push(binding);
    return binding;
  }

  prompt(name: string, extra: Record<string, unknown> = {}): Prompt {
    const prompt = promptSchema.parse({ pk: this.pk(), name, field_key: name, label: name, type: 'text', ...extra });
    this.prompts.push(prompt);
    return prompt;
  }

  group(name: string, extra: Record<string, unknown> = {}): Group {
    const group = groupSchema.parse({ pk: this.pk(), name, ...extra });
    this.groups.push(group);
    return group;
  }

  user(pk: number, username: string, extra: Record<string, unknown> = {}): User {
    const user = userSchema.parse({
      pk,
      username,
      has_usable_password: true,
      password_change_date: null,
      last_login: null,
      date_joined: '2025-01-01T00:00:00.000Z',
      ...extra,
    });
    this.users.push(user);
    return user;
  }

  build(): WorkspaceSnapshot {
    return {
      flows: this.flows,
      stages: this.stages,
      bindings: this.bindings,
      policies: this.policies,
      policyBindings: this.policyBindings,
      prompts: this.prompts,
      groups: this.groups,
      users: this.users,
    };
  }
}

export const PASSWORD = 'authentik_stages_password.passwordstage';
export const IDENTIFICATION = 'authentik_stages_identification.identificationstage';
export const PROMPT_STAGE = 'authentik_stages_prompt.promptstage';
export const LOGIN = 'authentik_stages_user_login.userloginstage';
export const CAPTCHA = 'authentik_stages_captcha.captchastage';
export const VALIDATE = 'authentik_stages_authenticator_validate.authenticatorvalidatestage';
export const TOTP = 'authentik_stages_authenticator_totp.authenticatortotpstage';
export const USER_WRITE = 'authentik_stages_user_write.userwritestage';
export const EMAIL = 'authentik_stages_email.emailstage';
