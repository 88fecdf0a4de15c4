import { z } from 'zod';
import {
  flowFields,
  flowSchema,
  flowStageBindingFields,
  flowStageBindingSchema,
  jsonValue,
  groupFields,
  groupSchema,
  pk,
  policyBindingFields,
  policyBindingSchema,
  policyBindingShape,
  policyFields,
  policySchema,
  promptFields,
  promptSchema,
  slug,
  stageFields,
  stageSchema,
  userFields,
  userPk,
  userSchema,
} from '../model';
import { importReportSchema } from './blueprint-report';
import { expressionRuntimeInput, expressionRuntimeStatusSchema, policyTestInput, policyTestResultSchema } from './policy-test';
import { patchOf } from './patch';
import { procedure } from './procedure';

const byPk = z.object({ pk }).strict();
const byUserPk = z.object({ pk: userPk }).strict();
const deleted = z.object({ deleted: z.literal(true) });
const none = z.object({}).strict().optional();

/** Blueprint files travel as text; 10 MiB each is the codec's own cap, checked again there. */
const blueprintFilesInput = z
  .object({
    files: z
      .array(z.object({ name: z.string().min(1).max(1024), text: z.string().max(10 * 1024 * 1024) }).strict())
      .min(1)
      .max(200),
    /** Values for `!Context` keys (merged over the file's own `context`). */
    context: z.record(z.string(), jsonValue).default({}),
    /** Explicit values for `!Env NAME` and `!File PATH`: never read from this machine. */
    env: z.record(z.string(), z.string()).default({}),
    fileValues: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const workspaceInfoSchema = z.object({
  path: z.string(),
  schema_version: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});

/**
 * Every procedure Flowbench exposes, declared once. The dispatcher, the IPC adapter, the
 * preload, the HTTP adapter and the renderer's client are all generated from this object.
 */
export const contract = {
  'workspace.info': procedure(none, workspaceInfoSchema, 'Where the workspace lives and how much it holds.'),

  'flows.list': procedure(none, z.array(flowSchema), 'All flows, ordered by slug (authentik order).'),
  'flows.get': procedure(byPk, flowSchema, 'One flow by pk.'),
  'flows.create': procedure(flowFields.strict(), flowSchema, 'Create a flow; authentik defaults fill omitted fields.'),
  'flows.update': procedure(
    z.object({ pk, patch: patchOf(flowFields) }).strict(),
    flowSchema,
    'Change some fields of a flow (rename, re-slug, designation, …).',
  ),
  'flows.duplicate': procedure(
    z.object({ pk, slug, name: z.string().min(1), title: z.string().optional() }).strict(),
    flowSchema,
    'Copy a flow with its stage bindings and policy bindings (stages and policies are shared, as in authentik).',
  ),
  'flows.delete': procedure(byPk, deleted, 'Delete a flow with its bindings (stages and policies stay).'),

  'stages.list': procedure(z.object({ kind: z.string().optional() }).strict().optional(), z.array(stageSchema), 'All stages, by name.'),
  'stages.get': procedure(byPk, stageSchema, 'One stage by pk.'),
  'stages.create': procedure(stageFields, stageSchema, 'Create a stage of a registered kind.'),
  'stages.update': procedure(
    z.object({ pk, patch: z.object({ name: z.string().min(1).optional(), config: z.record(z.string(), z.unknown()).optional() }).strict() }).strict(),
    stageSchema,
    'Rename a stage or replace its config (validated against its kind).',
  ),
  'stages.delete': procedure(byPk, deleted, 'Delete a stage and every binding of it.'),

  'bindings.list': procedure(z.object({ flow: pk }).strict(), z.array(flowStageBindingSchema), 'The stage bindings of a flow, by order.'),
  'bindings.create': procedure(flowStageBindingFields.strict(), flowStageBindingSchema, 'Bind a stage to a flow.'),
  'bindings.update': procedure(
    z.object({ pk, patch: patchOf(flowStageBindingFields).omit({ target: true }) }).strict(),
    flowStageBindingSchema,
    'Change a binding (order, evaluation flags, invalid response action, …).',
  ),
  'bindings.reorder': procedure(
    z.object({ flow: pk, order: z.array(pk).min(1) }).strict(),
    z.array(flowStageBindingSchema),
    'Give a flow’s bindings new orders (10, 20, …) following the given sequence of binding pks.',
  ),
  'bindings.delete': procedure(byPk, deleted, 'Remove a binding and its policy bindings.'),

  'policies.list': procedure(none, z.array(policySchema), 'All policies, by name.'),
  'policies.get': procedure(byPk, policySchema, 'One policy by pk.'),
  'policies.create': procedure(policyFields, policySchema, 'Create a policy of a registered kind.'),
  'policies.update': procedure(
    z.object({
      pk,
      patch: z
        .object({ name: z.string().min(1).optional(), execution_logging: z.boolean().optional(), config: z.record(z.string(), z.unknown()).optional() })
        .strict(),
    }).strict(),
    policySchema,
    'Rename a policy or replace its config.',
  ),
  'policies.delete': procedure(byPk, deleted, 'Delete a policy and every binding of it.'),
  'policies.runtime': procedure(
    expressionRuntimeInput,
    expressionRuntimeStatusSchema,
    "The Python runtime of expression policies: its state, versions and host; warmUp starts it.",
  ),
  'policies.test': procedure(
    policyTestInput,
    policyTestResultSchema,
    'Evaluate one policy for a user and context (as authentik’s policy test); returns its trace. Writes nothing.',
  ),

  'policyBindings.list': procedure(z.object({ target: pk }).strict(), z.array(policyBindingSchema), 'The policy bindings of a flow or stage binding, by order.'),
  'policyBindings.create': procedure(policyBindingFields, policyBindingSchema, 'Bind a policy, group or user to a flow or stage binding.'),
  'policyBindings.update': procedure(
    z.object({ pk, patch: patchOf(policyBindingShape).omit({ target: true }) }).strict(),
    policyBindingSchema,
    'Change a policy binding (negate, enabled, order, timeout, failure result, …).',
  ),
  'policyBindings.delete': procedure(byPk, deleted, 'Remove a policy binding.'),

  'prompts.list': procedure(none, z.array(promptSchema), 'All prompts, by order then name.'),
  'prompts.get': procedure(byPk, promptSchema, 'One prompt by pk.'),
  'prompts.create': procedure(promptFields.strict(), promptSchema, 'Create a prompt field.'),
  'prompts.update': procedure(z.object({ pk, patch: patchOf(promptFields) }).strict(), promptSchema, 'Change a prompt field.'),
  'prompts.delete': procedure(byPk, deleted, 'Delete a prompt field (it leaves every prompt stage).'),

  'users.list': procedure(none, z.array(userSchema), 'All users, by username.'),
  'users.get': procedure(byUserPk, userSchema, 'One user by pk.'),
  'users.create': procedure(
    userFields.extend({ password: z.string().min(1).optional() }).strict(),
    userSchema,
    'Create a user, optionally with a password (hashed with argon2id).',
  ),
  'users.update': procedure(z.object({ pk: userPk, patch: patchOf(userFields) }).strict(), userSchema, 'Change some fields of a user.'),
  'users.setPassword': procedure(
    z.object({ pk: userPk, password: z.string().min(1).nullable() }).strict(),
    userSchema,
    'Set a password (argon2id) or, with null, make the password unusable.',
  ),
  'users.checkPassword': procedure(
    z.object({ pk: userPk, password: z.string() }).strict(),
    z.object({ valid: z.boolean() }),
    'Verify a password against the stored hash (rehashes when parameters changed).',
  ),
  'users.delete': procedure(byUserPk, deleted, 'Delete a user.'),

  'groups.list': procedure(none, z.array(groupSchema), 'All groups, by name.'),
  'groups.get': procedure(byPk, groupSchema, 'One group by pk.'),
  'groups.create': procedure(groupFields.strict(), groupSchema, 'Create a group.'),
  'groups.update': procedure(z.object({ pk, patch: patchOf(groupFields) }).strict(), groupSchema, 'Change a group (a parent may not create a cycle).'),
  'groups.delete': procedure(byPk, deleted, 'Delete a group (members stay; child groups lose their parent).'),

  'blueprints.validate': procedure(blueprintFilesInput, importReportSchema, 'What importing these blueprint files would do; nothing is written.'),
  'blueprints.import': procedure(blueprintFilesInput, importReportSchema, 'Import blueprint files in one all-or-nothing transaction, with a per-entry report.'),
  'blueprints.export': procedure(
    z
      .object({
        flows: z.array(slug).default([]),
        style: z.enum(['authentik', 'portable', 'round-trip']).default('portable'),
      })
      .strict(),
    z.object({
      /** Every file; more than one only for a round-trip export spanning several imported blueprints. */
      files: z.array(z.object({ name: z.string(), text: z.string() })),
      /** The files joined as a YAML stream (`---`), for display. */
      text: z.string(),
      fileName: z.string(),
      warnings: z.array(z.string()),
    }),
    'Export flows (or, with no flows named, the whole workspace) as blueprint YAML.',
  ),
  'blueprints.list': procedure(
    none,
    z.array(
      z.object({
        pk,
        name: z.string(),
        source_name: z.string(),
        version_guess: z.string().nullable(),
        imported_at: z.string(),
        entries: z.number().int(),
      }),
    ),
    'Blueprints imported into this workspace (what round-trip export writes back).',
  ),
} as const;

export type Contract = typeof contract;
export type ProcedureName = keyof Contract;
export type ProcedureInput<N extends ProcedureName> = z.input<Contract[N]['input']>;
export type ProcedureOutput<N extends ProcedureName> = z.output<Contract[N]['output']>;
export const procedureNames = Object.keys(contract) as ProcedureName[];

export function isProcedureName(name: string): name is ProcedureName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
