import { type EntryReport, type ImportIssue } from '@shared/contract/blueprint-report';
import {
  type Attrs,
  type AttrsHints,
  canonicalModel,
  classifyModel,
  collapsePkDicts,
  type EntityTypes,
  INDEXED_FIELDS,
  invalidIdentifierFields,
  type Mapper,
  MapperError,
  mapperFor,
  matchesAll,
  type ObjectPk,
  type PasswordInstruction,
  valuesEqual,
} from '../models';
import { resolveValue } from '../resolve';
import { ENTRY_STATES, type BlueprintEntry, type BlueprintValue, type EntryState, isMapping, isTagNode } from '../yaml';
import { EntryError, issueFromError, type IssueLocation } from './issues';
import { type ImportPort, type StoredBlueprintHead } from './port';
import { type FileScope, normalizePkValue, placeholderPk, type VerbatimIndex } from './scope';
import { describeValue, displayIdentifiers, findForbiddenKey, pythonTruthy, stableJson } from './values';

/** What the password pre-pass decided for one user entry (by entry index). */
export type PreparedPassword = { instruction: PasswordInstruction } | { issue: ImportIssue };

/** One file being imported, with everything its entries share. */
export interface FileRun {
  fileName: string;
  /** `metadata.name`, or the file name. */
  blueprintName: string;
  entries: readonly BlueprintEntry[];
  scope: FileScope;
  /** Written for authentik ≤2023.2, whose stage bindings defaulted to evaluate_on_plan=true, re_evaluate_policies=false. */
  oldBindingDefaults: boolean;
  passwords: ReadonlyMap<number, PreparedPassword>;
  /** Declared `pk` identifiers whose object turned out to have another pk (spec §7.3 e). */
  pkMap: Map<string, ObjectPk>;
}

/** Shared by every file of one import call. */
export interface ImportRun {
  port: ImportPort;
  verbatim: VerbatimIndex;
  /** pks handed out for entries kept verbatim (string form). */
  verbatimPks: Set<string>;
  /** Blueprints this call imported before the current file (for metaapplyblueprint). */
  earlierFiles: StoredBlueprintHead[];
}

/** The outcome of one entry, for the report and the `blueprint_entries` row. */
export interface EntryOutcome {
  report: EntryReport;
  issue?: ImportIssue;
  /** The model name stored for the entry (canonical, or as written when unresolved). */
  model: string;
  entity?: Mapper['entity'];
  objectPk: ObjectPk | null;
  hints?: AttrsHints;
  unknownAttrs: Attrs | null;
}

const MODEL_NAME = /^[a-z0-9_]+\.[a-z0-9_]+$/i;

function rawModelLabel(entry: BlueprintEntry): string {
  if (typeof entry.model === 'string') return entry.model;
  return describeValue(entry.model);
}

/**
 * Import one entry inside the transaction, in its own savepoint: a failure rolls back only what
 * this entry wrote, is reported, and the import goes on to report the following entries too
 * (the whole import is rolled back at the end when anything failed).
 */
export function importEntry(run: ImportRun, file: FileRun, entry: BlueprintEntry, index: number): EntryOutcome {
  const report: EntryReport = {
    index,
    model: rawModelLabel(entry),
    identifiers: displayIdentifiers(entry.identifiers),
    action: 'error',
    pk: null,
    note: null,
    warnings: [],
  };
  const outcome: EntryOutcome = { report, model: report.model, objectPk: null, unknownAttrs: null };
  const location: IssueLocation = {
    fileName: file.fileName,
    entryIndex: index,
    model: report.model,
    identifiers: report.identifiers || null,
    entry,
  };
  const importer = new EntryImporter(run, file, entry, index, outcome, location);
  file.scope.warnings = report.warnings;
  try {
    run.port.savepoint(() => importer.execute());
  } catch (error) {
    report.action = 'error';
    report.pk = null;
    outcome.objectPk = null;
    outcome.issue = issueFromError(location, error, (field) => importer.fieldSource(field));
    if (typeof entry.id === 'string') file.scope.markFailed(entry.id, index);
  } finally {
    file.scope.warnings = [];
  }
  return outcome;
}

class EntryImporter {
  private readonly report: EntryReport;
  private identifierKeys = new Set<string>();

  constructor(
    private readonly shared: ImportRun,
    private readonly file: FileRun,
    private readonly entry: BlueprintEntry,
    private readonly index: number,
    private readonly outcome: EntryOutcome,
    private readonly location: IssueLocation,
  ) {
    this.report = outcome.report;
  }

  private resolve(value: BlueprintValue | undefined, path: (string | number)[]): unknown {
    if (value === undefined) return undefined;
    const resolved = resolveValue(value, this.file.scope, path) as unknown;
    const forbidden = findForbiddenKey(resolved);
    if (forbidden) throw new EntryError('forbidden-key', `The key "__proto__" is not allowed (at ${forbidden.join('.') || 'top level'})`, [...path, ...forbidden]);
    return resolved;
  }

  /** Where a model field sits in the entry (identifiers or attrs), for error paths. */
  fieldSource(field: string): 'identifiers' | 'attrs' {
    return this.identifierKeys.has(field) ? 'identifiers' : 'attrs';
  }

  execute(): void {
    const model = this.resolveModel();
    const modelClass = classifyModel(model);
    if (modelClass === 'unknown') {
      throw new EntryError('unknown-model', `App or Model does not exist: ${model}`, ['model']);
    }
    const state = this.resolveState();
    if (!this.conditionsHold()) return;
    if (this.entry.permissions !== undefined && this.entry.permissions.length > 0) {
      this.report.warnings.push('entry `permissions` are kept as written; Flowbench does not apply object permissions');
    }
    if (modelClass === 'meta') {
      this.meta();
      return;
    }
    if (modelClass === 'unmodeled') {
      this.verbatim(model, state);
      return;
    }
    this.modeled(mapperFor(model) as Mapper, state);
  }

  private resolveModel(): string {
    const resolved = typeof this.entry.model === 'string' ? this.entry.model : this.resolve(this.entry.model, ['model']);
    if (typeof resolved !== 'string' || !MODEL_NAME.test(resolved)) {
      throw new EntryError('invalid-model', `\`model\` must be "app_label.model_name", got ${describeValue(resolved)}`, ['model']);
    }
    const model = canonicalModel(resolved);
    this.report.model = model;
    this.outcome.model = model;
    this.location.model = model;
    if (model !== resolved.toLowerCase()) {
      this.report.warnings.push(`model ${resolved} is the old name of ${model}; imported as ${model}`);
    }
    return model;
  }

  private resolveState(): EntryState {
    if (this.entry.state === undefined) return 'present';
    const state = isTagNode(this.entry.state) ? this.resolve(this.entry.state, ['state']) : this.entry.state;
    if (typeof state !== 'string' || !(ENTRY_STATES as readonly string[]).includes(state)) {
      throw new EntryError('invalid-state', `\`state\` must be one of ${ENTRY_STATES.join(', ')}, got ${describeValue(state)}`, ['state']);
    }
    return state as EntryState;
  }

  /** authentik skips the entry when any condition is falsy (Python truthiness). */
  private conditionsHold(): boolean {
    const conditions = this.entry.conditions;
    if (conditions === undefined) return true;
    for (let i = 0; i < conditions.length; i++) {
      const value = this.resolve(conditions[i] as BlueprintValue, ['conditions', i]);
      if (!pythonTruthy(value)) {
        this.report.action = 'skipped';
        this.report.note = `skipped: condition false${conditions.length > 1 ? ` (condition ${i + 1})` : ''}`;
        return false;
      }
    }
    return true;
  }

  private resolveMapping(key: 'identifiers' | 'attrs'): Record<string, unknown> {
    const raw = this.entry[key];
    if (raw === undefined || raw === null) return {};
    const resolved = this.resolve(raw, [key]);
    if (resolved === null || resolved === undefined) return {};
    if (!isMapping(resolved)) {
      throw new EntryError(key === 'attrs' ? 'invalid-attrs' : 'no-identifiers', `\`${key}\` must be a mapping, got ${describeValue(resolved)}`, [key]);
    }
    return this.applyPkMap(resolved) as Record<string, unknown>;
  }

  private applyPkMap(value: unknown): unknown {
    const map = this.file.pkMap;
    if (map.size === 0) return value;
    const walk = (current: unknown): unknown => {
      if (typeof current === 'string') return map.get(current.toLowerCase()) ?? current;
      if (Array.isArray(current)) return current.map(walk);
      if (isMapping(current)) return Object.fromEntries(Object.entries(current).map(([k, v]) => [k, walk(v)]));
      return current;
    };
    return walk(value);
  }

  // -------------------------------------------------------------------------------------------

  private meta(): void {
    const attrs = this.resolveMapping('attrs');
    const identifiers = attrs.identifiers;
    if (!isMapping(identifiers) || Object.keys(identifiers).length === 0) {
      throw new EntryError('invalid-meta', '`attrs.identifiers` must name the required blueprint (`name:` or `path:`)', ['attrs', 'identifiers']);
    }
    const required = attrs.required ?? true;
    if (typeof required !== 'boolean') {
      throw new EntryError('invalid-meta', `\`attrs.required\` must be true or false, got ${describeValue(required)}`, ['attrs', 'required']);
    }
    const name = typeof identifiers.name === 'string' ? identifiers.name : undefined;
    const path = typeof identifiers.path === 'string' ? identifiers.path : undefined;
    const label = name ?? path ?? JSON.stringify(identifiers);
    const candidates = [...this.shared.earlierFiles, ...this.shared.port.storedBlueprints()];
    const found = candidates.find((head) => (name === undefined || head.name === name) && (path === undefined || pathMatches(head.sourceName, path)));
    if (found) {
      this.report.action = 'meta';
      this.report.note = `requires ${label}: present`;
      return;
    }
    if (!required) {
      this.report.action = 'skipped';
      this.report.note = `requires ${label}: not in the workspace (required: false)`;
      this.report.warnings.push(
        `requires the blueprint "${label}", which is not in the workspace; skipped because required is false (objects it would provide, e.g. for !Find, are missing)`,
      );
      return;
    }
    throw new EntryError(
      'meta-blueprint-missing',
      `This blueprint requires the blueprint "${label}", which is not in the workspace`,
      ['attrs', 'identifiers'],
      `Import the blueprint "${label}" first (or put it before this file in the same import), or set \`required: false\`.`,
    );
  }

  private verbatim(model: string, state: EntryState): void {
    this.report.action = 'kept-verbatim';
    this.report.warnings.push(`kept as written; Flowbench does not model ${model}`);
    if (state === 'absent') {
      this.report.note = 'state absent: not applied (kept as written)';
      return;
    }
    let identifiers: Record<string, unknown> = {};
    let attrs: Record<string, unknown> = {};
    try {
      identifiers = collapsePkDicts(this.resolveMapping('identifiers'));
      attrs = this.resolveMapping('attrs');
    } catch (error) {
      if (error instanceof EntryError && error.code === 'forbidden-key') throw error;
      this.report.warnings.push(
        `its tags could not be resolved (${(error as Error).message}); still kept as written, but !Find and !KeyOf cannot see its values`,
      );
    }
    const declared = identifiers.pk;
    const pk = typeof declared === 'string' || typeof declared === 'number' ? declared : placeholderPk(this.file.blueprintName, this.index);
    this.shared.verbatim.add({ model, pk, fields: { ...attrs, ...identifiers } });
    this.shared.verbatimPks.add(String(pk).toLowerCase());
    if (typeof this.entry.id === 'string') this.file.scope.register(this.entry.id, pk);
  }

  // -------------------------------------------------------------------------------------------

  private modeled(mapper: Mapper, state: EntryState): void {
    const identifiers = collapsePkDicts(this.resolveMapping('identifiers'));
    this.identifierKeys = new Set(Object.keys(identifiers));
    if (Object.keys(identifiers).length === 0) {
      throw new EntryError('no-identifiers', 'No or invalid identifiers', ['identifiers']);
    }
    const invalid = invalidIdentifierFields(mapper, identifiers);
    if (invalid.length > 0) {
      throw new EntryError(
        'invalid-identifier-field',
        `Invalid identifier field${invalid.length > 1 ? 's' : ''} ${invalid.map((f) => `"${f}"`).join(', ')}: ${mapper.label} has pk, ${mapper.fields.join(', ')}`,
        ['identifiers', invalid[0] as string],
      );
    }
    if (identifiers.pk !== undefined && identifiers.pk !== null && typeof identifiers.pk !== 'string' && typeof identifiers.pk !== 'number') {
      throw new EntryError('invalid-value', `identifiers.pk must be a string or a number, got ${describeValue(identifiers.pk)}`, ['identifiers', 'pk']);
    }
    const existing = this.lookup(mapper, identifiers);

    if (state === 'absent') {
      if (existing) {
        this.shared.port.objects.delete(mapper.entity, existing.pk);
        this.report.action = 'deleted';
        this.report.pk = existing.pk;
        this.outcome.objectPk = existing.pk;
        this.outcome.entity = mapper.entity;
      } else {
        this.report.action = 'unchanged';
        this.report.note = 'state absent: nothing to delete';
      }
      return;
    }

    const attrs = this.resolveMapping('attrs');
    const given: Record<string, unknown> = { ...attrs };
    for (const [key, value] of Object.entries(identifiers)) {
      if (key !== 'pk' && !mapper.pkAliases.includes(key)) given[key] = value;
    }
    const hints: AttrsHints = mapper.entity === 'prompt' && 'prompt_type' in given && !('type' in given) ? { promptTypeKey: 'prompt_type' } : {};
    this.outcome.hints = hints;
    this.outcome.entity = mapper.entity;
    const password = mapper.entity === 'user' ? this.password(given) : undefined;
    if (mapper.entity === 'binding' && this.file.oldBindingDefaults && (!('evaluate_on_plan' in given) || !('re_evaluate_policies' in given))) {
      this.report.warnings.push(
        'this file looks written for authentik ≤2023.2, where an omitted evaluate_on_plan/re_evaluate_policies meant evaluate_on_plan=true, re_evaluate_policies=false; Flowbench applied the current defaults (false/true) — write them out to keep the old behaviour',
      );
    }

    if (existing && state === 'must_created') {
      throw new EntryError('must-created-exists', 'State is set to must_created and object exists already', ['state']);
    }
    if (existing && state === 'created') {
      this.report.action = 'unchanged';
      this.report.note = 'state created: the object exists and is left as is';
      this.finish(mapper, existing.pk, identifiers, mapper.fromAttrs(given, {}).unknown);
      return;
    }
    if (existing) {
      this.update(mapper, existing, given, identifiers, password);
      return;
    }
    this.create(mapper, given, identifiers, password);
  }

  private lookup(mapper: Mapper, identifiers: Record<string, unknown>): EntityTypes[Mapper['entity']] | undefined {
    const objects = this.shared.port.objects;
    const owns = mapper.owns as (object: unknown) => boolean;
    const toAttrs = mapper.toAttrs as (object: unknown) => Attrs;
    const { pk, ...others } = identifiers;
    if (typeof pk === 'string' || typeof pk === 'number') {
      const byPk = objects.get(mapper.entity, normalizePkValue(mapper, pk));
      if (byPk && owns(byPk)) return byPk;
    }
    if (Object.keys(others).length === 0) return undefined;
    const narrowField = INDEXED_FIELDS[mapper.entity].find((field) => typeof others[field] === 'string' || typeof others[field] === 'number');
    const candidates = objects.list(
      mapper.entity,
      narrowField ? { field: narrowField, value: others[narrowField] as ObjectPk } : undefined,
    );
    return candidates.find((object) => owns(object) && matchesAll(mapper, { pk: object.pk, attrs: toAttrs(object) }, others));
  }

  private password(given: Record<string, unknown>): PasswordInstruction {
    const wantsPassword = ('password' in given && given.password !== null && given.password !== '') || ('password_hash' in given && given.password_hash);
    const prepared = this.file.passwords.get(this.index);
    if (prepared && 'issue' in prepared) throw new EntryError(prepared.issue.code, prepared.issue.message, ['attrs', 'password'], prepared.issue.hint);
    if (prepared) return prepared.instruction;
    if (wantsPassword) {
      throw new EntryError(
        'password-unresolvable',
        'The password of this user could not be prepared before the import (its model is given by a tag)',
        ['attrs', 'password'],
      );
    }
    return { kind: 'keep' };
  }

  private checkTargetUnchanged(mapper: Mapper, existing: EntityTypes[Mapper['entity']], fields: Record<string, unknown>): void {
    if (mapper.entity !== 'binding' && mapper.entity !== 'policyBinding') return;
    const current = (existing as { target: string }).target;
    if ('target' in fields && !valuesEqual(fields.target, current)) {
      throw new MapperError(
        'unsupported',
        `This ${mapper.label.toLowerCase()} exists on another target (${current}); Flowbench cannot move it. Remove the existing binding, or change the identifiers so they match a new one.`,
        'target',
      );
    }
  }

  /** A policy binding on an object Flowbench does not model (an application, a source …). */
  private bindsUnmodeled(mapper: Mapper, fields: Record<string, unknown>): boolean {
    return mapper.entity === 'policyBinding' && typeof fields.target === 'string' && this.shared.verbatimPks.has(fields.target.toLowerCase());
  }

  private create(mapper: Mapper, given: Record<string, unknown>, identifiers: Record<string, unknown>, password: PasswordInstruction | undefined): void {
    const result = mapper.fromAttrs(given, {});
    if (this.bindsUnmodeled(mapper, result.input.fields)) {
      this.keptBecauseUnmodeledTarget();
      return;
    }
    if (password) result.input.password = password;
    const declared = identifiers.pk;
    const pk = typeof declared === 'string' || typeof declared === 'number' ? normalizePkValue(mapper, declared) : undefined;
    if (mapper.integerPk && pk !== undefined && typeof pk !== 'number') {
      throw new EntryError('invalid-value', `authentik user pks are integers, got ${describeValue(declared)}`, ['identifiers', 'pk']);
    }
    const created = this.shared.port.objects.create(mapper.entity, result.input, pk);
    this.report.action = 'created';
    this.report.warnings.push(...result.warnings);
    this.finish(mapper, created.pk, identifiers, result.unknown);
  }

  private update(
    mapper: Mapper,
    existing: EntityTypes[Mapper['entity']],
    given: Record<string, unknown>,
    identifiers: Record<string, unknown>,
    password: PasswordInstruction | undefined,
  ): void {
    const toAttrs = mapper.toAttrs as (object: unknown, hints?: AttrsHints) => Attrs;
    const current = toAttrs(existing, this.outcome.hints);
    const merged = mapper.mergeForUpdate(current, given);
    const result = mapper.fromAttrs(merged, { current: existing as never });
    this.checkTargetUnchanged(mapper, existing, result.input.fields);
    if (password) result.input.password = password;
    const parsed = mapper.schema.safeParse(result.input.fields);
    const same =
      parsed.success &&
      (password === undefined || password.kind === 'keep') &&
      stableJson(toAttrs({ ...(parsed.data as object), pk: existing.pk })) === stableJson(toAttrs(existing));
    if (same) {
      this.report.action = 'unchanged';
    } else {
      this.shared.port.objects.update(mapper.entity, existing.pk, result.input);
      this.report.action = 'updated';
    }
    this.report.warnings.push(...result.warnings);
    this.finish(mapper, existing.pk, identifiers, result.unknown);
  }

  private keptBecauseUnmodeledTarget(): void {
    this.report.action = 'kept-verbatim';
    this.outcome.entity = undefined;
    this.report.warnings.push(
      'kept as written: this policy binding hangs on an object Flowbench does not model (kept verbatim in this import)',
    );
  }

  private finish(mapper: Mapper, pk: ObjectPk, identifiers: Record<string, unknown>, unknown: Attrs): void {
    this.report.pk = pk;
    this.outcome.objectPk = pk;
    const unknownKeys = Object.keys(unknown);
    if (unknownKeys.length > 0) {
      this.outcome.unknownAttrs = unknown;
      this.report.warnings.push(
        `${unknownKeys.map((k) => `\`${k}\``).join(', ')} ${unknownKeys.length > 1 ? 'are not fields' : 'is not a field'} of Flowbench's ${mapper.label}; kept as written and written back on export`,
      );
    }
    if (typeof this.entry.id === 'string') this.file.scope.register(this.entry.id, pk);
    const declared = identifiers.pk;
    if ((typeof declared === 'string' || typeof declared === 'number') && !valuesEqual(declared, pk)) {
      this.file.pkMap.set(String(declared).toLowerCase(), pk);
    }
  }
}

/** `path:` of a metaapplyblueprint (relative to authentik's blueprints folder) against a stored file name. */
export function pathMatches(sourceName: string, path: string): boolean {
  const source = sourceName.replaceAll('\\', '/');
  const wanted = path.replaceAll('\\', '/').replace(/^\.?\//, '');
  if (source === wanted) return true;
  if (source.endsWith(`/${wanted}`)) return true;
  // A file imported under its bare name matches a path ending in that name.
  return !source.includes('/') && wanted.endsWith(`/${source}`);
}
