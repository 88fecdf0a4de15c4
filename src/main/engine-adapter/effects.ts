import { attributes, pk as groupPk, userPk, userType } from '@shared/model';
import { z } from 'zod';
import { parseArgon2Phc } from '../auth/passwords';
import { parseInput } from '../services/errors';

/**
 * The workspace writes of a run, as plain JSON (README.md, "Effects"). The engine's writer
 * records one effect per write it made on the sandbox, in commit order; `applyRunEffects`
 * (`apply.ts`) replays them on the real workspace.
 *
 * `pk` is always the **sandbox** pk of the user; `username` is the user's username in the
 * sandbox just before the write (how the real user is found, see `apply.ts`). A password is
 * never recorded in plain text: `password_set` carries the argon2id PHC string the sandbox
 * stored.
 */

const username = z.string().min(1).max(150);
const groups = z.array(groupPk);
const isoDate = z.string().min(1);
/** An argon2id PHC string (what the workspace's hasher produces). */
const argon2idHash = z
  .string()
  .refine((hash) => parseArgon2Phc(hash)?.id === 'argon2id', 'Expected an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)');

/** The stored fields of a created user besides `username` and `groups`. */
export const createdUserFields = z
  .object({
    name: z.string(),
    email: z.string(),
    is_active: z.boolean(),
    type: userType,
    path: z.string(),
    attributes,
    date_joined: isoDate,
    /** Only with `password_hash`; otherwise null. */
    password_change_date: isoDate.nullable(),
  })
  .strict();
export type CreatedUserFields = z.infer<typeof createdUserFields>;

/** Changed user fields (`user_updated.patch`) and their values before the run changed them (`before`). */
export const userPatch = z
  .object({
    username: username.optional(),
    name: z.string().optional(),
    email: z.string().optional(),
    is_active: z.boolean().optional(),
    type: userType.optional(),
    path: z.string().optional(),
    attributes: attributes.optional(),
    groups: groups.optional(),
  })
  .strict();
export type UserPatch = z.infer<typeof userPatch>;

export const runEffectSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('user_created'),
      pk: userPk,
      username,
      fields: createdUserFields,
      /** Set when the user was stored with a password already (argon2id PHC string). */
      password_hash: argon2idHash.optional(),
      groups,
    })
    .strict(),
  z
    .object({
      type: z.literal('user_updated'),
      pk: userPk,
      username,
      /** Only the fields the run changed. */
      patch: userPatch,
      /** The same keys with the values the sandbox had before (the divergence check). */
      before: userPatch,
    })
    .strict(),
  z.object({ type: z.literal('user_deleted'), pk: userPk, username }).strict(),
  z
    .object({
      type: z.literal('password_set'),
      pk: userPk,
      username,
      hash: argon2idHash,
      /** `password_change_date` (the engine's clock). */
      changed_at: isoDate,
    })
    .strict(),
  z.object({ type: z.literal('last_login'), pk: userPk, username, at: isoDate }).strict(),
  z.object({ type: z.literal('password_unusable'), pk: userPk, username }).strict(),
]);

export type RunEffect = z.infer<typeof runEffectSchema>;
export type RunEffectType = RunEffect['type'];

export const runEffectsSchema = z.array(runEffectSchema);

/** Validate effects that crossed a boundary (JSON from a file, the renderer, …); INVALID_INPUT otherwise. */
export function parseRunEffects(value: unknown): RunEffect[] {
  return parseInput(runEffectsSchema, value, ['effects']);
}

/** One line per effect, for people (the CLI). Never shows a hash. */
export function describeEffect(effect: RunEffect): string {
  switch (effect.type) {
    case 'user_created': {
      const extras = [
        effect.fields.email ? `email ${effect.fields.email}` : null,
        effect.fields.is_active ? null : 'inactive',
        `type ${effect.fields.type}`,
        effect.groups.length ? `${effect.groups.length} group(s)` : null,
        effect.password_hash ? 'with a password' : null,
      ].filter((x): x is string => x !== null);
      return `create user ${effect.username} (${extras.join(', ')})`;
    }
    case 'user_updated': {
      const keys = Object.keys(effect.patch);
      return `update user ${effect.username}: ${keys.length ? keys.join(', ') : 'no field changed'}`;
    }
    case 'user_deleted':
      return `delete user ${effect.username}`;
    case 'password_set':
      return `set the password of ${effect.username} (argon2id hash)`;
    case 'last_login':
      return `last login of ${effect.username} = ${effect.at}`;
    case 'password_unusable':
      return `make the password of ${effect.username} unusable`;
  }
}
