import { isDeepStrictEqual } from 'node:util';
import { RpcFailure } from '@shared/contract';
import { userFields } from '@shared/model';
import { makeUnusablePassword } from '../auth/passwords';
import { mapSqliteErrors, parseInput } from '../services/errors';
import { type RecordChange } from '../services/context';
import { getGroupName } from '../store/repos/groups';
import {
  deleteUser,
  getUser,
  getUsername,
  insertUser,
  setLastLogin,
  setPasswordHash,
  setUserGroups,
  updateUser,
} from '../store/repos/users';
import { stmt } from '../store/sql';
import { type Workspace } from '../workspace';
import { describeEffect, parseRunEffects, type RunEffect, type RunEffectType, type UserPatch } from './effects';

/**
 * Apply a run's effects (recorded on a sandbox, `effects.ts`) to the real workspace: the
 * explicit second half of "runs are side-effect free by default" (README.md, "Applying a run").
 */

/** An effect written to the real workspace. */
export interface AppliedEffect {
  /** Position in the effects given. */
  index: number;
  type: RunEffectType;
  /** The username the effect was recorded with (before the effect). */
  username: string;
  /** The user's pk in the sandbox. */
  sandbox_pk: number;
  /** The user's pk in the real workspace (a created user gets a new one). */
  pk: number;
  description: string;
}

/** Why an effect cannot be applied: the real workspace diverged from the sandbox. */
export interface EffectConflict {
  index: number;
  type: RunEffectType;
  username: string;
  sandbox_pk: number;
  /** The real user the effect was aimed at, when one was found. */
  pk: number | null;
  reason: string;
}

/** `conflicts` empty: everything in `applied` was committed. Otherwise nothing was written and `applied` is empty. */
export interface ApplyRunEffectsResult {
  applied: AppliedEffect[];
  conflicts: EffectConflict[];
}

/** Thrown inside the transaction to roll it back once every effect was checked. */
class RollBack extends Error {}

/** Where a sandbox user lives in the real workspace: a pk, gone (deleted by this run), or unknown (its effect conflicted). */
type Mapping = { pk: number } | { deleted: true } | { conflicted: true };

const userByUsername = (workspace: Workspace, username: string): number | undefined =>
  stmt<{ pk: number }>(workspace.db, 'SELECT pk FROM users WHERE username = ?').get(username)?.pk;

/**
 * Replay `effects` on `workspace` in ONE transaction, all or nothing.
 *
 * Users are matched by username: a user the run created gets a new pk in the real workspace
 * and every later effect on its sandbox pk follows it; a user that existed before the run
 * must still exist under the username the effect recorded, with the same pk (a user deleted
 * and re-created since is another user). Every effect is checked against the real workspace
 * as it is at that point of the replay; a divergence is a conflict:
 * - `user_created`: the username is taken (another user got it since), a group is gone;
 * - `user_updated`: the user is gone or renamed, the new username is taken, a group is gone,
 *   or a field the run changed was changed in the workspace too (its value is neither the
 *   one the run saw before nor the one the run sets);
 * - `user_deleted`, `password_set`, `last_login`, `password_unusable`: the user is gone or renamed.
 * After a conflict the replay goes on, to report every conflict (effects on a user whose
 * effect conflicted are skipped, they would only repeat it); then everything is rolled back
 * and `{applied: [], conflicts}` returned. Password hashes are written as they are (argon2id
 * PHC strings); `password_unusable` stores a fresh unusable marker.
 *
 * `effects` is validated (`parseRunEffects`: INVALID_INPUT for anything else), so JSON that
 * crossed a boundary can be passed as is. A read-only workspace is refused (STORE_ERROR).
 */
export async function applyRunEffects(workspace: Workspace, effects: readonly RunEffect[]): Promise<ApplyRunEffectsResult> {
  const list = parseRunEffects(effects);
  if (list.length === 0) return { applied: [], conflicts: [] };
  if (workspace.db.readonly || !workspace.db.open) {
    throw new RpcFailure('STORE_ERROR', `The workspace ${workspace.path} is ${workspace.db.open ? 'open read-only' : 'closed'}: the run's effects cannot be applied.`);
  }
  const ctx = workspace.services.context;
  const { db } = ctx;
  const applied: AppliedEffect[] = [];
  const conflicts: EffectConflict[] = [];
  const mapping = new Map<number, Mapping>();

  const replay = (record: RecordChange): void => {
    list.forEach((effect, index) => {
      const conflict = (reason: string, pk: number | null = null): void => {
        conflicts.push({ index, type: effect.type, username: effect.username, sandbox_pk: effect.pk, pk, reason });
        mapping.set(effect.pk, { conflicted: true });
      };
      const done = (pk: number): void => {
        applied.push({ index, type: effect.type, username: effect.username, sandbox_pk: effect.pk, pk, description: describeEffect(effect) });
      };
      const missingGroup = (groups: readonly string[]): string | null => groups.find((group) => getGroupName(db, group) === undefined) ?? null;

      if (effect.type === 'user_created') {
        const taken = userByUsername(workspace, effect.username);
        if (taken !== undefined) return conflict(`the username "${effect.username}" is taken in the workspace (user pk ${taken})`, taken);
        const group = missingGroup(effect.groups);
        if (group !== null) return conflict(`group ${group} no longer exists in the workspace`);
        const { password_change_date, date_joined, ...profile } = effect.fields;
        const fields = parseInput(userFields, { ...profile, username: effect.username, groups: effect.groups }, ['effects', index]);
        const hash = effect.password_hash ?? null;
        const pk = insertUser(
          db,
          {
            ...fields,
            password_change_date: hash === null ? null : (password_change_date ?? date_joined),
            last_login: null,
            date_joined,
          },
          hash,
        );
        setUserGroups(db, pk, fields.groups);
        record('user', 'created', pk);
        mapping.set(effect.pk, { pk });
        return done(pk);
      }

      // Every other effect is on an existing user: find it.
      const known = mapping.get(effect.pk);
      let pk: number;
      if (known && 'conflicted' in known) return; // its conflict is reported already
      if (known && 'deleted' in known) return conflict(`user ${effect.username} was deleted earlier in this run`);
      if (known) {
        pk = known.pk;
      } else {
        const byName = userByUsername(workspace, effect.username);
        if (byName === undefined) {
          const renamed = getUsername(db, effect.pk);
          return renamed === undefined
            ? conflict(`user ${effect.username} no longer exists in the workspace`)
            : conflict(`user ${effect.username} (pk ${effect.pk}) was renamed to "${renamed}" in the workspace`, effect.pk);
        }
        if (byName !== effect.pk) {
          return conflict(`the username "${effect.username}" belongs to another user in the workspace (pk ${byName}; the run changed pk ${effect.pk})`, byName);
        }
        pk = byName;
        mapping.set(effect.pk, { pk });
      }

      switch (effect.type) {
        case 'user_updated': {
          const current = getUser(db, pk);
          if (!current) return conflict(`user ${effect.username} no longer exists in the workspace`);
          const diverged = Object.keys(effect.patch).filter((key) => {
            const k = key as keyof UserPatch;
            const now = k === 'groups' ? [...current.groups].sort() : current[k];
            const norm = (value: unknown) => (k === 'groups' && Array.isArray(value) ? [...(value as string[])].sort() : value);
            return !isDeepStrictEqual(now, norm(effect.before[k])) && !isDeepStrictEqual(now, norm(effect.patch[k]));
          });
          if (diverged.length > 0) {
            return conflict(`user ${effect.username} was changed in the workspace since the run (${diverged.join(', ')})`, pk);
          }
          if (effect.patch.username !== undefined && effect.patch.username !== current.username) {
            const taken = userByUsername(workspace, effect.patch.username);
            if (taken !== undefined) return conflict(`the username "${effect.patch.username}" is taken in the workspace (user pk ${taken})`, pk);
          }
          if (effect.patch.groups) {
            const group = missingGroup(effect.patch.groups);
            if (group !== null) return conflict(`group ${group} no longer exists in the workspace`, pk);
          }
          const { groups, ...profile } = parseInput(userFields, { ...current, ...effect.patch }, ['effects', index, 'patch']);
          updateUser(db, { ...profile, pk });
          if (effect.patch.groups !== undefined) setUserGroups(db, pk, groups);
          record('user', 'updated', pk);
          return done(pk);
        }
        case 'user_deleted':
          deleteUser(db, pk);
          record('user', 'deleted', pk);
          mapping.set(effect.pk, { deleted: true });
          return done(pk);
        case 'password_set':
          setPasswordHash(db, pk, effect.hash, effect.changed_at);
          record('user', 'updated', pk);
          return done(pk);
        case 'last_login':
          setLastLogin(db, pk, effect.at);
          record('user', 'updated', pk);
          return done(pk);
        case 'password_unusable':
          setPasswordHash(db, pk, makeUnusablePassword(), null);
          record('user', 'updated', pk);
          return done(pk);
      }
    });
    if (conflicts.length > 0) throw new RollBack();
  };

  try {
    mapSqliteErrors(() => ctx.write(replay));
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    return { applied: [], conflicts };
  }
  return { applied, conflicts: [] };
}
