import { isDeepStrictEqual } from 'node:util';
import { type User, userFields } from '@shared/model';
import { isUsablePasswordHash, makeUnusablePassword } from '../auth/passwords';
import { type UserWrite, type WorkspaceWriter, type PasswordVerifier } from '../engine/ports';
import { mapSqliteErrors, notFound, parseInput } from '../services/errors';
import { getGroupName } from '../store/repos/groups';
import { getPasswordHash, getUser, getUsername, insertUser, setLastLogin, setPasswordHash, setUserGroups } from '../store/repos/users';
import { type Workspace } from '../workspace';
import { type RunEffect, type UserPatch } from './effects';

const PATCH_KEYS = ['username', 'name', 'email', 'is_active', 'type', 'path', 'attributes', 'groups'] as const;

/** The fields that differ between two stored versions of a user (groups as a set), with their old values. */
function diffUser(before: User, after: User): { patch: UserPatch; before: UserPatch } {
  const patch: Record<string, unknown> = {};
  const old: Record<string, unknown> = {};
  for (const key of PATCH_KEYS) {
    const same = key === 'groups' ? isDeepStrictEqual([...before.groups].sort(), [...after.groups].sort()) : isDeepStrictEqual(before[key], after[key]);
    if (same) continue;
    patch[key] = structuredClone(after[key]);
    old[key] = structuredClone(before[key]);
  }
  return { patch: patch as UserPatch, before: old as UserPatch };
}

/**
 * The engine's `WorkspaceWriter` over a workspace's services. Every write is one unit of work
 * of the workspace (`services.context.write`), so it emits `workspace.changed` and the reader
 * takes a fresh snapshot. Password hashing (argon2id, asynchronous) happens before the
 * transaction, in the user service; the synchronous port methods never hash.
 *
 * Where a service has no synchronous operation for what the port needs (creating a user
 * without a password, `last_login`, the unusable-password marker), the same repository calls
 * the service would make run inside the workspace's unit of work.
 *
 * Every committed write is also recorded as a `RunEffect` (plain JSON, `effects()`), so a run
 * on a sandbox can be replayed on the real workspace (`applyRunEffects`, `apply.ts`).
 */
export class WorkspaceServiceWriter implements WorkspaceWriter {
  private readonly log: RunEffect[] = [];

  constructor(private readonly workspace: Workspace) {}

  /** The writes made so far, in commit order (a copy: plain JSON). */
  effects(): RunEffect[] {
    return structuredClone(this.log);
  }

  private get ctx() {
    return this.workspace.services.context;
  }

  setUnusablePassword(userPk: number): void {
    const username = getUsername(this.ctx.db, userPk);
    const done = mapSqliteErrors(() =>
      this.ctx.write((record) => {
        const changed = setPasswordHash(this.ctx.db, userPk, makeUnusablePassword(), null);
        if (changed) record('user', 'updated', userPk);
        return changed;
      }),
    );
    if (done && username !== undefined) this.log.push({ type: 'password_unusable', pk: userPk, username });
  }

  deleteUser(userPk: number): void {
    // The port ignores unknown pks; the service refuses them.
    const username = getUsername(this.ctx.db, userPk);
    if (username === undefined) return;
    this.workspace.services.users.delete(userPk);
    this.log.push({ type: 'user_deleted', pk: userPk, username });
  }

  setLastLogin(userPk: number, at: string): void {
    const username = getUsername(this.ctx.db, userPk);
    const done = mapSqliteErrors(() =>
      this.ctx.write((record) => {
        const changed = setLastLogin(this.ctx.db, userPk, at);
        if (changed) record('user', 'updated', userPk);
        return changed;
      }),
    );
    if (done && username !== undefined) this.log.push({ type: 'last_login', pk: userPk, username, at });
  }

  /** `users.create` without a password, synchronously (the service is async only because it may hash). */
  createUser(data: UserWrite, options: { date_joined: string }): User {
    const fields = parseInput(userFields, data);
    const { db } = this.ctx;
    const user = mapSqliteErrors(
      () =>
        this.ctx.write((record) => {
          fields.groups.forEach((group, index) => {
            if (getGroupName(db, group) === undefined) {
              throw notFound(`Group "${group}" does not exist.`, [{ path: ['groups', index], message: 'no such group' }]);
            }
          });
          const { groups, ...profile } = fields;
          const pk = insertUser(db, { ...profile, password_change_date: null, last_login: null, date_joined: options.date_joined }, null);
          setUserGroups(db, pk, groups);
          record('user', 'created', pk);
          const user = getUser(db, pk);
          if (!user) throw notFound(`User ${pk} does not exist.`);
          return user;
        }),
      { 'users.username': () => `A user with username "${fields.username}" already exists.` },
    );
    const hash = getPasswordHash(db, user.pk);
    this.log.push({
      type: 'user_created',
      pk: user.pk,
      username: user.username,
      fields: {
        name: user.name,
        email: user.email,
        is_active: user.is_active,
        type: user.type,
        path: user.path,
        attributes: structuredClone(user.attributes),
        date_joined: user.date_joined,
        password_change_date: user.password_change_date,
      },
      ...(isUsablePasswordHash(hash) ? { password_hash: hash } : {}),
      groups: [...user.groups],
    });
    return user;
  }

  updateUser(userPk: number, data: UserWrite): User {
    const before = getUser(this.ctx.db, userPk);
    const after = this.workspace.services.users.update({ pk: userPk, patch: { ...data } });
    // `before` exists: the service refuses unknown pks.
    if (before) this.log.push({ type: 'user_updated', pk: userPk, username: before.username, ...diffUser(before, after) });
    return after;
  }

  /**
   * `user.set_password(raw)`: the user service hashes (argon2id, off the main thread) and
   * stores the hash with `password_change_date`; `changedAt` (the engine's clock) wins over the
   * service's clock so the engine's expiry checks see its own time.
   */
  async setPassword(userPk: number, plaintext: string, changedAt?: string): Promise<void> {
    const hash = await this.ctx.hasher.hash(plaintext);
    if (!this.ctx.db.open) return;
    const at = changedAt ?? this.ctx.clock().toISOString();
    const username = mapSqliteErrors(() =>
      this.ctx.write((record) => {
        const name = getUsername(this.ctx.db, userPk);
        if (name === undefined || !setPasswordHash(this.ctx.db, userPk, hash, at)) throw notFound(`User ${userPk} does not exist.`);
        record('user', 'updated', userPk);
        return name;
      }),
    );
    this.log.push({ type: 'password_set', pk: userPk, username, hash, changed_at: at });
  }
}

/** The InbuiltBackend's password check: the user service's `checkPassword` (argon2 verify; foreign formats rehashed). */
export class WorkspacePasswordVerifier implements PasswordVerifier {
  constructor(private readonly workspace: Workspace) {}

  async verify(userPk: number, password: string): Promise<boolean> {
    if (!this.workspace.db.open) return false;
    try {
      return (await this.workspace.services.users.checkPassword({ pk: userPk, password })).valid;
    } catch {
      // No such user (deleted meanwhile) → Django's backend answers None.
      return false;
    }
  }
}
