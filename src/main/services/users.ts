import { type ProcedureInput } from '@shared/contract';
import { type User, userFields, userPk } from '@shared/model';
import { z } from 'zod';
import { isUsablePasswordHash, makeUnusablePassword } from '../auth/passwords';
import { getGroupName } from '../store/repos/groups';
import {
  deleteUser,
  getPasswordHash,
  getUser,
  insertUser,
  listUsers,
  replacePasswordHash,
  setPasswordHash,
  setUserGroups,
  updateUser,
} from '../store/repos/users';
import { type ServiceContext } from './context';
import { mapSqliteErrors, mapSqliteErrorsAsync, notFound, parseInput } from './errors';

export type UserInput = z.input<typeof userFields> & { password?: string };

export interface UserService {
  /** All users by username. */
  list(): User[];
  get(pk: number): User;
  /** With `password`, hashes it (argon2id, off the main thread) and sets password_change_date. */
  create(input: UserInput, options?: { pk?: number }): Promise<User>;
  update(input: ProcedureInput<'users.update'>): User;
  /**
   * A string sets a new argon2id hash and password_change_date; null stores an unusable marker
   * (authentik's `set_unusable_password`, which leaves password_change_date alone).
   */
  setPassword(input: { pk: number; password: string | null }): Promise<User>;
  /** Verify; on success with outdated parameters (or a foreign format), rehash and store. */
  checkPassword(input: { pk: number; password: string }): Promise<{ valid: boolean }>;
  /** Memberships and policy bindings on the user cascade. */
  delete(pk: number): void;
}

export function requireUser(ctx: ServiceContext, pk: number): User {
  const user = getUser(ctx.db, pk);
  if (!user) throw notFound(`User ${pk} does not exist.`);
  return user;
}

export function createUserService(ctx: ServiceContext): UserService {
  const { db } = ctx;
  const usernameTaken = (username: string) => ({
    'users.username': () => `A user with username "${username}" already exists.`,
    'users.pk': () => 'A user with that pk already exists.',
  });
  const requireGroups = (groups: readonly string[], at: (string | number)[]): void => {
    groups.forEach((group, index) => {
      if (getGroupName(db, group) === undefined) {
        throw notFound(`Group "${group}" does not exist.`, [
          { path: [...at, 'groups', index], message: 'no such group' },
        ]);
      }
    });
  };

  return {
    list: () => mapSqliteErrors(() => listUsers(db)),
    get: (pk) => mapSqliteErrors(() => requireUser(ctx, pk)),

    async create(input, options = {}) {
      const { password, ...rest } = input;
      const fields = parseInput(userFields, rest);
      const explicitPk =
        options.pk === undefined ? undefined : parseInput(userPk, options.pk, ['pk']);
      if (password !== undefined) parseInput(z.string().min(1), password, ['password']);
      // Hash before the transaction: argon2 runs on the threadpool, the write stays synchronous.
      const hash = password === undefined ? null : await ctx.hasher.hash(password);
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            requireGroups(fields.groups, []);
            const now = ctx.clock().toISOString();
            const { groups, ...profile } = fields;
            const pk = insertUser(
              db,
              {
                ...profile,
                pk: explicitPk,
                password_change_date: hash === null ? null : now,
                last_login: null,
                date_joined: now,
              },
              hash,
            );
            setUserGroups(db, pk, groups);
            record('user', 'created', pk);
            return requireUser(ctx, pk);
          }),
        usernameTaken(fields.username),
      );
    },

    update({ pk, patch }) {
      let username = patch.username ?? '';
      return mapSqliteErrors(
        () =>
          ctx.write((record) => {
            const current = requireUser(ctx, pk);
            const next = parseInput(
              userFields,
              {
                username: current.username,
                name: current.name,
                email: current.email,
                is_active: current.is_active,
                type: current.type,
                path: current.path,
                attributes: current.attributes,
                groups: current.groups,
                ...patch,
              },
              ['patch'],
            );
            username = next.username;
            requireGroups(next.groups, ['patch']);
            const { groups, ...profile } = next;
            updateUser(db, { ...profile, pk });
            if (patch.groups !== undefined) setUserGroups(db, pk, groups);
            record('user', 'updated', pk);
            return requireUser(ctx, pk);
          }),
        usernameTaken(username),
      );
    },

    async setPassword({ pk, password }) {
      mapSqliteErrors(() => requireUser(ctx, pk));
      const hash = password === null ? makeUnusablePassword() : await ctx.hasher.hash(password);
      return mapSqliteErrors(() =>
        ctx.write((record) => {
          const changedAt = password === null ? null : ctx.clock().toISOString();
          if (!setPasswordHash(db, pk, hash, changedAt))
            throw notFound(`User ${pk} does not exist.`);
          record('user', 'updated', pk);
          return requireUser(ctx, pk);
        }),
      );
    },

    async checkPassword({ pk, password }) {
      return mapSqliteErrorsAsync(async () => {
        const stored = getPasswordHash(db, pk);
        if (stored === undefined) throw notFound(`User ${pk} does not exist.`);
        if (!isUsablePasswordHash(stored)) return { valid: false };
        const valid = await ctx.hasher.verify(stored, password);
        if (valid && ctx.hasher.needsRehash(stored)) {
          const fresh = await ctx.hasher.hash(password);
          // Only if nothing changed the hash meanwhile, and the workspace is still open. The hash is
          // not visible through the contract, so no event.
          if (db.open) ctx.write(() => replacePasswordHash(db, pk, stored, fresh));
        }
        return { valid };
      });
    },

    delete(pk) {
      mapSqliteErrors(() =>
        ctx.write((record) => {
          requireUser(ctx, pk);
          deleteUser(db, pk);
          record('user', 'deleted', pk);
        }),
      );
    },
  };
}
