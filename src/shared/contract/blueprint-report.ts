import { z } from 'zod';

/*
 * What a blueprint import (or validation, which is a dry run) reports. Plain data, so it crosses
 * IPC and HTTP as it is; the contract procedures `blueprints.import` / `blueprints.validate`
 * return it.
 */

/**
 * Codes the importer itself raises. Issues may also carry the YAML codec's codes (`syntax`,
 * `too-large`, `alias-limit`, … — lower-case with dashes) and the tag resolver's codes
 * (`KEYOF_NOT_FOUND`, `ENV_NEEDS_VALUE`, … — upper-case), passed through unchanged, so `code`
 * is a string rather than a closed enum.
 */
export const IMPORT_ISSUE_CODES = [
  /** A mapping key that is never legitimate data (`__proto__`). */
  'forbidden-key',
  /** `model` did not resolve to an `app_label.model_name` string. */
  'invalid-model',
  /** authentik has no such app or model ("App or Model does not exist"). */
  'unknown-model',
  /** `state` is not present / created / must_created / absent. */
  'invalid-state',
  /** `conditions` is not a list. */
  'invalid-conditions',
  /** A normal model without identifiers ("No or invalid identifiers"). */
  'no-identifiers',
  /** An identifier the model does not have ("Invalid identifier field"). */
  'invalid-identifier-field',
  /** `attrs` (after tags) is not a mapping. */
  'invalid-attrs',
  /** A value the model refuses (authentik: "Serializer errors"). */
  'invalid-value',
  /** A referenced object does not exist. */
  'not-found',
  /** Another object already has that unique value (name, slug, pk, order …). */
  'conflict',
  /** The object cannot be deleted while something still references it. */
  'in-use',
  /** `state: must_created` and the object exists. */
  'must-created-exists',
  /** `metaapplyblueprint` needs a blueprint the workspace does not have. */
  'meta-blueprint-missing',
  /** `metaapplyblueprint` attrs are malformed. */
  'invalid-meta',
  /** A user password given by a tag that cannot be resolved before the import. */
  'password-unresolvable',
  /** A change Flowbench cannot make (e.g. moving a binding to another flow). */
  'unsupported',
  /** The workspace could not be read or written. */
  'store-error',
  /** A bug; reported instead of thrown. */
  'internal',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

/** One error, located as precisely as the file allows, with what to do about it. */
export const importIssueSchema = z.object({
  /** The file name or path as given to the import. */
  fileName: z.string(),
  /** 0-based entry index in file order (sections concatenated); null for file-level errors. */
  entryIndex: z.number().int().nonnegative().nullable(),
  /** The entry's model as written or resolved, when known. */
  model: z.string().nullable(),
  /** The entry's identifiers for display, e.g. `slug=default-authentication-flow`. */
  identifiers: z.string().nullable(),
  /** Field path inside the entry (`attrs.designation`) or the document (`version`). */
  path: z.string().nullable(),
  /** 1-based line and column in the file, when the codec recorded them. */
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
  code: z.string(),
  message: z.string(),
  /** What the user can do about it. */
  hint: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const entryActionSchema = z.enum([
  'created',
  'updated',
  'unchanged',
  'deleted',
  'skipped',
  'kept-verbatim',
  'meta',
  'error',
]);
export type EntryAction = z.infer<typeof entryActionSchema>;

export const entryReportSchema = z.object({
  /** 0-based, file order (sections concatenated). */
  index: z.number().int().nonnegative(),
  /** Canonical model name once resolved (an alias is reported under the current name). */
  model: z.string(),
  identifiers: z.string(),
  action: entryActionSchema,
  /** pk of the object the entry made, matched or deleted. */
  pk: z.union([z.string(), z.number()]).nullable(),
  /** A short explanation of the action: "skipped: condition false", "requires X: present", … */
  note: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type EntryReport = z.infer<typeof entryReportSchema>;

export const versionGuessSchema = z.object({
  /** e.g. ">=2024.4", "<=2024.2", "any". */
  range: z.string(),
  evidence: z.array(z.string()),
});

export const fileWarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
});

export const fileReportSchema = z.object({
  name: z.string(),
  /** `metadata.name`, or null when the file has none. */
  metadataName: z.string().nullable(),
  /** Which authentik releases the file seems written for; null when it did not parse. */
  versionGuess: versionGuessSchema.nullable(),
  /** Whether this file had no errors. */
  ok: z.boolean(),
  entries: z.array(entryReportSchema),
  /** File-level warnings (YAML quirks authentik reads differently, duplicate keys, …). */
  warnings: z.array(fileWarningSchema),
});
export type FileReport = z.infer<typeof fileReportSchema>;

export const importTotalsSchema = z.object({
  files: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  keptVerbatim: z.number().int().nonnegative(),
  meta: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
});
export type ImportTotals = z.infer<typeof importTotalsSchema>;

export const importReportSchema = z.object({
  /** True when every file imported (or, for a dry run, would import) without an error. */
  ok: z.boolean(),
  /** A dry run (validation): the actions are what would happen; nothing was written. */
  dryRun: z.boolean(),
  /** Whether the workspace was changed (false for a dry run and for any failed import). */
  committed: z.boolean(),
  files: z.array(fileReportSchema),
  /** Every error, in file and entry order. Any error means nothing was written. */
  issues: z.array(importIssueSchema),
  totals: importTotalsSchema,
});
export type ImportReport = z.infer<typeof importReportSchema>;
