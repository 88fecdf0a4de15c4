import { z } from 'zod';
import { flowDesignation, jsonValue, type JsonValue } from '@shared/model';

/**
 * The `*.flowtest.yaml` format, version 1 (`../shared/spec/flowtest-format.md`): a public
 * contract. Objects are strict (an unknown key is reported with its line — a typo such as
 * `outcom:` must not turn into a test that checks nothing); defaults are the spec's.
 */

const jsonObject = z.record(z.string(), jsonValue);
const name = z.string().min(1, 'must not be empty');

/** Query-string values are text; YAML numbers and booleans are taken as their text. */
const queryValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

export const fixtureGroupSchema = z.strictObject({
  name,
  is_superuser: z.boolean().default(false),
  /** The parent group's name (a fixture group or one a blueprint created). */
  parent: name.nullable().default(null),
  attributes: jsonObject.default({}),
});
export type FixtureGroup = z.output<typeof fixtureGroupSchema>;

const BASE32 = /^[A-Z2-7]+=*$/i;

export const fixtureAuthenticatorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('totp'),
    name,
    secret: z
      .string()
      .transform((s) => s.replace(/\s+/g, '').toUpperCase())
      .pipe(z.string().min(1).regex(BASE32, 'must be a base32 secret (A–Z, 2–7)')),
    digits: z.union([z.literal(6), z.literal(8)]).default(6),
  }),
  z.strictObject({
    type: z.literal('static'),
    name,
    tokens: z.array(z.string().min(1)).min(1, 'a static device needs at least one token'),
  }),
]);
export type FixtureAuthenticator = z.output<typeof fixtureAuthenticatorSchema>;

export const fixtureUserSchema = z
  .strictObject({
    username: name,
    name: z.string().optional(),
    email: z.string().default(''),
    /** Omitted: the user has no usable password. */
    password: z.string().min(1, 'must not be empty (omit it for a user without a usable password)').nullable().optional(),
    is_active: z.boolean().default(true),
    type: z.enum(['internal', 'external', 'service_account']).default('internal'),
    groups: z.array(name).default([]),
    attributes: jsonObject.default({}),
    authenticators: z.array(fixtureAuthenticatorSchema).default([]),
  })
  .transform((u) => ({ ...u, name: u.name ?? u.username }));
export type FixtureUser = z.output<typeof fixtureUserSchema>;

export const reputationSeedSchema = z.strictObject({
  identifier: z.string(),
  ip: z.string().min(1),
  score: z.number().int(),
});

const geoipSchema = z.strictObject({
  continent: z.string().nullable().default(null),
  country: z.string().nullable().default(null),
  city: z.string().nullable().default(null),
  lat: z.number().nullable().default(null),
  long: z.number().nullable().default(null),
});

export const requestSchema = z.strictObject({
  ip: z.string().min(1).default('127.0.0.1'),
  user_agent: z.string().default('flowbench'),
  /** The executor's `query` (e.g. `{next: /app}`). */
  query: z.record(z.string(), queryValue).default({}),
  geoip: geoipSchema.nullable().default(null),
});
export type FlowTestRequest = z.output<typeof requestSchema>;

export const runSchema = z
  .strictObject({
    flow: name.optional(),
    designation: flowDesignation.optional(),
    context: jsonObject.default({}),
  })
  .superRefine((run, ctx) => {
    if ((run.flow === undefined) === (run.designation === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either `flow` (a slug) or `designation`, not both and not neither' });
    }
  });
export type FlowTestRun = z.output<typeof runSchema>;

export const expectObjectSchema = z.strictObject({
  component: name,
  stage: name.optional(),
  fields: jsonObject.optional(),
  errors: z.array(name).optional(),
});
export type ExpectObject = z.output<typeof expectObjectSchema>;

export const ACTIONS = ['follow_email_link', 'restart'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** `action: follow_email_link` (+ `to:` beside it), or `action: {follow_email_link: {to}}` / `{restart: {}}`. */
const actionSchema = z.union([
  z.enum(ACTIONS),
  z.strictObject({ follow_email_link: z.strictObject({ to: z.string().min(1).optional() }).nullable() }),
  z.strictObject({ restart: z.strictObject({}).nullable() }),
]);

/** Run-time values allowed inside `respond` (an object with a single `$` key). */
export const RUNTIME_VALUES = {
  $totp: z.string().min(1, 'name the TOTP device'),
  $static: z.string().min(1, 'name the static device'),
  $captcha: z.enum(['pass', 'fail']),
} as const;

export type Step = {
  expect: ExpectObject | null;
  respond: Record<string, JsonValue> | null;
  action: { name: ActionName; to: string | null } | null;
};

export const stepSchema = z
  .strictObject({
    expect: z.union([name, expectObjectSchema]).optional(),
    respond: jsonObject.optional(),
    action: actionSchema.optional(),
    to: z.string().min(1).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.respond !== undefined && step.action !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'a step has either `respond` or `action`, not both' });
    }
    if (step.expect === undefined && step.respond === undefined && step.action === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a step needs `expect`, `respond` or `action`' });
    }
    if (step.to !== undefined && step.action !== 'follow_email_link') {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` belongs to `action: follow_email_link`' });
    }
    if (step.respond !== undefined) checkRuntimeValues(step.respond, ['respond'], ctx);
  })
  .transform((step): Step => {
    let action: Step['action'] = null;
    if (typeof step.action === 'string') action = { name: step.action, to: step.to ?? null };
    else if (step.action && 'follow_email_link' in step.action) action = { name: 'follow_email_link', to: step.action.follow_email_link?.to ?? null };
    else if (step.action) action = { name: 'restart', to: null };
    return {
      expect: step.expect === undefined ? null : typeof step.expect === 'string' ? { component: step.expect } : step.expect,
      respond: step.respond ?? null,
      action,
    };
  });

/** Is `value` an object with exactly one key that starts with `$`? */
export function runtimeValueKey(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$') ? keys[0]! : null;
}

function checkRuntimeValues(value: JsonValue, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkRuntimeValues(item, [...path, i], ctx));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const key = runtimeValueKey(value);
  if (key !== null) {
    const schema = (RUNTIME_VALUES as Record<string, z.ZodType>)[key];
    if (!schema) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, key],
        message: `unknown run-time value "${key}" (known: ${Object.keys(RUNTIME_VALUES).join(', ')})`,
      });
      return;
    }
    const parsed = schema.safeParse(value[key]);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: [...path, key], message: parsed.error.issues[0]?.message ?? 'invalid value' });
    }
    return;
  }
  for (const [k, v] of Object.entries(value)) checkRuntimeValues(v, [...path, k], ctx);
}

export const userCheckSchema = z.strictObject({
  exists: z.boolean().optional(),
  is_active: z.boolean().optional(),
  /** Verified against the stored hash; null = the user has no usable password. */
  password: z.string().nullable().optional(),
  /** Subset match (objects recursively). */
  attributes: jsonObject.optional(),
  /** The user's direct groups by name, in any order (exactly these). */
  groups: z.array(name).optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  type: z.enum(['internal', 'external', 'service_account', 'internal_service_account']).optional(),
  path: z.string().optional(),
});
export type UserCheck = z.output<typeof userCheckSchema>;

export const outcomeSchema = z.strictObject({
  result: z.enum(['completed', 'denied']),
  redirect: z.string().optional(),
  message: z.string().optional(),
  session_user: z.string().nullable().optional(),
  plan: z.array(name).optional(),
  stages_run: z.array(name).optional(),
  users: z.record(z.string(), userCheckSchema).optional(),
});
export type FlowTestOutcome = z.output<typeof outcomeSchema>;

export const flowTestSchema = z
  .strictObject({
    /** Optional format marker; only version 1 exists. */
    version: z.literal(1).optional(),
    name,
    blueprints: z.array(name).default([]),
    blueprint_context: jsonObject.default({}),
    groups: z.array(fixtureGroupSchema).default([]),
    users: z.array(fixtureUserSchema).default([]),
    reputation: z.array(reputationSeedSchema).default([]),
    request: requestSchema.default({ ip: '127.0.0.1', user_agent: 'flowbench', query: {}, geoip: null }),
    session_user: name.nullable().default(null),
    run: runSchema,
    steps: z.array(stepSchema).default([]),
    outcome: outcomeSchema,
  })
  .superRefine((test, ctx) => {
    duplicates(test.groups.map((g) => g.name)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `group "${test.groups[i]!.name}" is listed twice` }),
    );
    duplicates(test.users.map((u) => u.username)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['users', i, 'username'], message: `user "${test.users[i]!.username}" is listed twice` }),
    );
    test.users.forEach((user, u) =>
      duplicates(user.authenticators.map((a) => a.name)).forEach((i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['users', u, 'authenticators', i, 'name'],
          message: `authenticator "${user.authenticators[i]!.name}" is listed twice for ${user.username}`,
        }),
      ),
    );
  });
export type FlowTest = z.output<typeof flowTestSchema>;

/** Indexes of entries whose value appeared before. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((value, i) => {
    if (seen.has(value)) out.push(i);
    seen.add(value);
  });
  return out;
}
