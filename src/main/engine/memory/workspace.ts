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
import { type UserFilter, type UserWrite, type WorkspaceReader, type WorkspaceWriter } from '../ports';

/**
 * A password as the in-memory workspace keeps it: a plain test password, or a hash (an argon2
 * PHC string, Django's `argon2$…` / `pbkdf2_sha256$…`) that only a verifier with a hash
 * function can check (`MemoryPasswordVerifier`'s `verifyHash`; the engine imports no argon2).
 */
export type StoredPassword = { plain: string } | { hash: string };

/** A user's password in a snapshot. */
export interface SnapshotPassword {
  user: number;
  plain?: string;
  hash?: string;
}

/** A snapshot of a workspace: what the preview / flow-test runner loads into memory. */
export interface WorkspaceSnapshot {
  flows?: Flow[];
  stages?: Stage[];
  flowStageBindings?: FlowStageBinding[];
  policies?: Policy[];
  policyBindings?: PolicyBinding[];
  users?: User[];
  groups?: Group[];
  prompts?: Prompt[];
  /** Passwords of users (absent: the user has no password that verifies). */
  passwords?: SnapshotPassword[];
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The workspace in memory, implementing the reader and writer ports. It takes objects as
 * given (already validated by the shared zod schemas when they come from the store); writes
 * change only this copy.
 */
export class MemoryWorkspace implements WorkspaceReader, WorkspaceWriter {
  readonly flows = new Map<string, Flow>();
  readonly stages = new Map<string, Stage>();
  readonly flowStageBindingsByPk = new Map<string, FlowStageBinding>();
  readonly policies = new Map<string, Policy>();
  readonly policyBindingsByPk = new Map<string, PolicyBinding>();
  readonly users = new Map<number, User>();
  readonly groups = new Map<string, Group>();
  readonly prompts = new Map<string, Prompt>();
  /** Passwords by user pk (what the store keeps as hashes). */
  readonly passwords = new Map<number, StoredPassword>();

  constructor(snapshot: WorkspaceSnapshot = {}) {
    for (const f of snapshot.flows ?? []) this.flows.set(f.pk, f);
    for (const s of snapshot.stages ?? []) this.stages.set(s.pk, s);
    for (const b of snapshot.flowStageBindings ?? []) this.flowStageBindingsByPk.set(b.pk, b);
    for (const p of snapshot.policies ?? []) this.policies.set(p.pk, p);
    for (const b of snapshot.policyBindings ?? []) this.policyBindingsByPk.set(b.pk, b);
    for (const u of snapshot.users ?? []) this.users.set(u.pk, u);
    for (const g of snapshot.groups ?? []) this.groups.set(g.pk, g);
    for (const p of snapshot.prompts ?? []) this.prompts.set(p.pk, p);
    for (const p of snapshot.passwords ?? []) {
      if (p.hash !== undefined) this.passwords.set(p.user, { hash: p.hash });
      else if (p.plain !== undefined) this.passwords.set(p.user, { plain: p.plain });
    }
  }

  /** A deep, independent copy (a sandbox). */
  snapshot(): WorkspaceSnapshot {
    return structuredClone({
      flows: [...this.flows.values()],
      stages: [...this.stages.values()],
      flowStageBindings: [...this.flowStageBindingsByPk.values()],
      policies: [...this.policies.values()],
      policyBindings: [...this.policyBindingsByPk.values()],
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      prompts: [...this.prompts.values()],
      passwords: [...this.passwords.entries()].map(([user, stored]) => ({ user, ...stored })),
    });
  }

  // --- reader ---------------------------------------------------------------------------------

  flowByPk(pk: string): Flow | null {
    return this.flows.get(pk) ?? null;
  }

  flowBySlug(slug: string): Flow | null {
    for (const f of this.flows.values()) if (f.slug === slug) return f;
    return null;
  }

  flowsByDesignation(designation: FlowDesignation): Flow[] {
    return [...this.flows.values()].filter((f) => f.designation === designation).sort((a, b) => compare(a.slug, b.slug));
  }

  flowStageBindings(flowPk: string): FlowStageBinding[] {
    return [...this.flowStageBindingsByPk.values()]
      .filter((b) => b.target === flowPk)
      .sort((a, b) => a.order - b.order || compare(a.pk, b.pk));
  }

  flowStageBindingByPk(pk: string): FlowStageBinding | null {
    return this.flowStageBindingsByPk.get(pk) ?? null;
  }

  stageByPk(pk: string): Stage | null {
    return this.stages.get(pk) ?? null;
  }

  policyBindings(targetPk: string): PolicyBinding[] {
    return [...this.policyBindingsByPk.values()]
      .filter((b) => b.target === targetPk)
      .sort((a, b) => a.order - b.order || compare(a.pk, b.pk));
  }

  policyByPk(pk: string): Policy | null {
    return this.policies.get(pk) ?? null;
  }

  policyByName(name: string): Policy | null {
    for (const p of this.policies.values()) if (p.name === name) return p;
    return null;
  }

  userByPk(pk: number): User | null {
    return this.users.get(pk) ?? null;
  }

  findUsers(filter: UserFilter): User[] {
    const fold = (v: unknown): unknown => (filter.iexact && typeof v === 'string' ? v.toLowerCase() : v);
    const fields = (['pk', 'username', 'email', 'name', 'path', 'is_active', 'type'] as const).filter((k) => filter[k] !== undefined);
    return [...this.users.values()]
      .filter((u) => fields.every((k) => fold(u[k]) === fold(filter[k])))
      .sort((a, b) => a.pk - b.pk);
  }

  groupByPk(pk: string): Group | null {
    return this.groups.get(pk) ?? null;
  }

  promptByPk(pk: string): Prompt | null {
    return this.prompts.get(pk) ?? null;
  }

  userGroups(userPk: number): Group[] {
    const user = this.users.get(userPk);
    if (!user) return [];
    const seen = new Set<string>();
    const out: Group[] = [];
    for (const direct of user.groups) {
      let current = this.groups.get(direct);
      while (current && !seen.has(current.pk)) {
        seen.add(current.pk);
        out.push(current);
        current = current.parent ? this.groups.get(current.parent) : undefined;
      }
    }
    return out;
  }

  // --- writer ---------------------------------------------------------------------------------

  setUnusablePassword(userPk: number): void {
    const user = this.users.get(userPk);
    if (user) this.users.set(userPk, { ...user, has_usable_password: false });
    this.passwords.delete(userPk);
  }

  /** Validate a user write as the store's constraints would (unique username, known groups). */
  private checkUserWrite(data: UserWrite, selfPk: number | null): void {
    if (typeof data.username !== 'string' || data.username.length === 0 || data.username.length > 150) {
      throw new Error(`Invalid username ${JSON.stringify(data.username)}`);
    }
    for (const other of this.users.values()) {
      if (other.pk !== selfPk && other.username === data.username) throw new Error('UNIQUE constraint failed: users.username');
    }
    for (const group of data.groups) if (!this.groups.has(group)) throw new Error(`Group ${group} does not exist`);
  }

  createUser(data: UserWrite, options: { date_joined: string }): User {
    this.checkUserWrite(data, null);
    let pk = 1;
    for (const existing of this.users.keys()) if (existing >= pk) pk = existing + 1;
    const user: User = {
      ...structuredClone(data),
      pk,
      has_usable_password: false,
      password_change_date: null,
      last_login: null,
      date_joined: options.date_joined,
    };
    this.users.set(pk, user);
    return structuredClone(user);
  }

  updateUser(userPk: number, data: UserWrite): User {
    const current = this.users.get(userPk);
    if (!current) throw new Error(`User ${userPk} does not exist`);
    this.checkUserWrite(data, userPk);
    const user: User = { ...current, ...structuredClone(data) };
    this.users.set(userPk, user);
    return structuredClone(user);
  }

  setPassword(userPk: number, plaintext: string, changedAt?: string): void {
    const user = this.users.get(userPk);
    if (!user) return;
    this.passwords.set(userPk, { plain: plaintext });
    this.users.set(userPk, { ...user, has_usable_password: true, password_change_date: changedAt ?? user.password_change_date ?? null });
  }

  /** Test/fixture helper: store a hash (argon2 PHC, Django format) instead of a plain password. */
  setPasswordHash(userPk: number, hash: string): void {
    const user = this.users.get(userPk);
    if (!user) return;
    this.passwords.set(userPk, { hash });
    this.users.set(userPk, { ...user, has_usable_password: true });
  }

  deleteUser(userPk: number): void {
    if (!this.users.delete(userPk)) return;
    this.passwords.delete(userPk);
    // Django's on_delete=CASCADE of PolicyBinding.user.
    for (const [pk, binding] of this.policyBindingsByPk) if (binding.user === userPk) this.policyBindingsByPk.delete(pk);
  }

  setLastLogin(userPk: number, at: string): void {
    const user = this.users.get(userPk);
    if (user) this.users.set(userPk, { ...user, last_login: at });
  }

  // --- test/preview helpers -------------------------------------------------------------------

  put(kind: 'flow', value: Flow): void;
  put(kind: 'stage', value: Stage): void;
  put(kind: 'flowStageBinding', value: FlowStageBinding): void;
  put(kind: 'policy', value: Policy): void;
  put(kind: 'policyBinding', value: PolicyBinding): void;
  put(kind: 'user', value: User): void;
  put(kind: 'group', value: Group): void;
  put(kind: 'prompt', value: Prompt): void;
  put(kind: string, value: { pk: string | number }): void {
    const maps: Record<string, Map<string | number, unknown>> = {
      flow: this.flows,
      stage: this.stages,
      flowStageBinding: this.flowStageBindingsByPk,
      policy: this.policies,
      policyBinding: this.policyBindingsByPk,
      user: this.users as Map<string | number, unknown>,
      group: this.groups,
      prompt: this.prompts,
    };
    const map = maps[kind];
    if (!map) throw new Error(`unknown kind ${kind}`);
    map.set(value.pk, value);
  }
}
