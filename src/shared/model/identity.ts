import { z } from 'zod';
import { attributes, pk, userPk } from './common';

/** `authentik_core.group` (2025.x: a single `parent`). */
export const groupFields = z.object({
  name: z.string().min(1),
  is_superuser: z.boolean().default(false),
  parent: pk.nullable().default(null),
  attributes: attributes.default({}),
});
export const groupSchema = groupFields.extend({ pk });
export type Group = z.infer<typeof groupSchema>;

export const userType = z.enum(['internal', 'external', 'service_account', 'internal_service_account']);

/**
 * `authentik_core.user`. The password hash never leaves the store: the contract exposes only
 * whether a usable password is set and when it last changed.
 */
export const userFields = z.object({
  username: z.string().min(1).max(150),
  name: z.string().default(''),
  email: z.string().default(''),
  is_active: z.boolean().default(true),
  type: userType.default('internal'),
  path: z.string().default('users'),
  attributes: attributes.default({}),
  groups: z.array(pk).default([]),
});
export const userSchema = userFields.extend({
  pk: userPk,
  has_usable_password: z.boolean(),
  password_change_date: z.string().nullable(),
  last_login: z.string().nullable(),
  date_joined: z.string(),
});
export type User = z.infer<typeof userSchema>;
