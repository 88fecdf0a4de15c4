import { type User, userFields } from '@shared/model';
import { makeUnusablePassword } from '../auth/passwords';
import { type UserWrite, type WorkspaceWriter, type PasswordVerifier } from '../engine/ports';
import { mapSqliteErrors, notFound, parseInput } from '../services/errors';
import { getGroupName } from '../store/repos/groups';
import { getUser, insertUser, setLastLogin, setPasswordHash, setUserGroups } from '../store/repos/users';
import { type Workspace } from '../workspace';

/**
 * The engine's `WorkspaceWriter` over a workspace's services. Every write is one unit of work
 * of the workspace (`services.context.write`), so it emits `workspace.changed` and the reader
 * takes a fresh snapshot. Password hashing (argon2id, asynchronous) happens before the
 * transaction, in the user service; the synchronous port methods never hash.
 *
 * Where a service has no synchronous operation for what the port needs (creating a user
 * without a password, `last_login`, the unusable-password marker), the same repository calls
 * the service would make run inside the workspace's unit of work.
 */
export class WorkspaceServiceWriter implements WorkspaceWriter {
  constructor(private readonly workspace: Workspace) {}

  private get ctx() {
    return this.workspace.services.context;
  }

  setUnusablePassword(userPk: number): void {
    mapSqliteErrors(() =>
      this.ctx.write((record) => {
        if (setPasswordHash(this.ctx.db, userPk, makeUnusablePassword(), null)) record('user', 'updated', userPk);
      }),
    );
  }

  deleteUser(userPk: number): void {
    // The port ignores unknown pks; the service refuses them.
    if (!getUser(this.ctx.db, userPk)) return;
    this.workspace.services.users.delete(userPk);
  }

  setLastLogin(userPk: number, at: string): void {
    mapSqliteErrors(() =>
      this.ctx.write((record) => {
        if (setLastLogin(this.ctx.db, userPk, at)) record('user', 'updated', userPk);
      }),
    );
  }

  /** `users.create` without a password, synchronously (the service is async only because it may hash). */
  createUser(data: UserWrite, options: { date_joined: string }): User {
    const fields = parseInput(userFields, data);
    const { db } = this.ctx;
    return mapSqliteErrors(
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
  }

  updateUser(userPk: number, data: UserWrite): User {
    return this.workspace.services.users.update({ pk: userPk, patch: { ...data } });
  }

  /**
   * `user.set_password(raw)`: the user service hashes (argon2id, off the main thread) and
   * stores the hash with `password_change_date`; `changedAt` (the engine's clock) wins over the
   * service's clock so the engine's expiry checks see its own time.
   */
  async setPassword(userPk: number, plaintext: string, changedAt?: string): Promise<void> {
    const hash = await this.ctx.hasher.hash(plaintext);
    if (!this.ctx.db.open) return;
    mapSqliteErrors(() =>
      this.ctx.write((record) => {
        const at = changedAt ?? this.ctx.clock().toISOString();
        if (!setPasswordHash(this.ctx.db, userPk, hash, at)) throw notFound(`User ${userPk} does not exist.`);
        record('user', 'updated', userPk);
      }),
    );
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
