import { createHash } from 'node:crypto';
import {
  type EntryAction,
  type FileReport,
  type ImportIssue,
  type ImportReport,
  type ImportTotals,
} from '@shared/contract/blueprint-report';
import { builtInContext, mapperFor, type PasswordInstruction } from '../models';
import { mergeContext, resolveValue, type ResolveScope } from '../resolve';
import {
  type BlueprintDocument,
  type BlueprintMapping,
  type BlueprintValue,
  isMapping,
  isTagNode,
  type ParseOptions,
  parseBlueprintDocument,
  sniffAuthentikVersion,
  stripSource,
  type VersionSniff,
} from '../yaml';
import { type EntryOutcome, type FileRun, importEntry, type ImportRun, type PreparedPassword } from './entries';
import { hintFor, issueFromError, makeIssue, parseIssue } from './issues';
import { type ImportPort, type StoredBlueprintWrite, type StoredEntryWrite } from './port';
import { FileScope, VerbatimIndex } from './scope';
import { findForbiddenKey, withoutSecrets } from './values';

export interface ImportFile {
  /** File name or path, as the user gave it (stored as the blueprint's source name). */
  name: string;
  text: string | Uint8Array;
}

export interface ImportOptions {
  /** Instance context (authentik's BlueprintInstance.context): merged over each file's `context`. */
  context?: Record<string, unknown>;
  /**
   * Values for `!Env NAME` and `!File PATH`. Flowbench never reads its own environment or files
   * for an imported blueprint; a tag without a value here is an error.
   */
  explicit?: { env?: Record<string, string>; files?: Record<string, string> };
  /** Do everything, report it, then roll back (= validate). */
  dryRun?: boolean;
  /** YAML codec limits, per file (size cap, node count, depth, alias expansion). */
  limits?: ParseOptions;
}

const OPTIONS_FILE = '(import options)';
const USER_MODEL = 'authentik_core.user';

interface ParsedFile {
  file: ImportFile;
  document: BlueprintDocument;
  report: FileReport;
  issues: ImportIssue[];
  blueprintName: string;
  sniff: VersionSniff;
  contentSha256: string;
  context: Record<string, BlueprintValue>;
  passwords: Map<number, PreparedPassword>;
}

/** Thrown inside the transaction to roll it back on purpose. */
class Rollback extends Error {
  constructor(readonly reason: 'errors' | 'dry-run') {
    super(reason);
  }
}

/** A scope for the password pre-pass: everything but the workspace. */
class NeedsWorkspace extends Error {}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

function compareVersions(a: string, b: string): number {
  const [ay = 0, am = 0] = a.split('.').map(Number);
  const [by = 0, bm = 0] = b.split('.').map(Number);
  return ay - by || am - bm;
}

/** Stage binding defaults flipped in authentik 2023.3 (migration flows 0025). */
export function writtenForOldBindingDefaults(sniff: Pick<VersionSniff, 'max'>): boolean {
  return sniff.max !== undefined && compareVersions(sniff.max, '2023.2') <= 0;
}

function plainData(value: unknown, what: string): BlueprintValue {
  try {
    return JSON.parse(JSON.stringify(value ?? {})) as BlueprintValue;
  } catch (error) {
    throw new Error(`${what} is not plain JSON data (${(error as Error).message})`);
  }
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && item !== null) out[key] = String(item);
  }
  return out;
}

function emptyTotals(): ImportTotals {
  return {
    files: 0,
    entries: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
    keptVerbatim: 0,
    meta: 0,
    errors: 0,
    warnings: 0,
  };
}

const TOTAL_KEY: Record<EntryAction, keyof ImportTotals> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  deleted: 'deleted',
  skipped: 'skipped',
  'kept-verbatim': 'keptVerbatim',
  meta: 'meta',
  error: 'errors',
};

function totalsOf(files: FileReport[], issues: ImportIssue[]): ImportTotals {
  const totals = emptyTotals();
  totals.files = files.length;
  for (const file of files) {
    totals.warnings += file.warnings.length;
    for (const entry of file.entries) {
      totals.entries++;
      totals[TOTAL_KEY[entry.action]]++;
      totals.warnings += entry.warnings.length;
    }
  }
  // File-level errors (YAML, options) have no entry of their own.
  totals.errors = Math.max(totals.errors, issues.length);
  return totals;
}

/**
 * Import blueprint files into a workspace, all or nothing (spec §7.2–§7.5). Never throws: every
 * failure, including hostile input and bugs, comes back as a report with `ok: false` and typed
 * issues, and then nothing was written.
 */
export async function runImport(port: ImportPort, files: readonly ImportFile[], options: ImportOptions = {}): Promise<ImportReport> {
  const dryRun = options.dryRun === true;
  try {
    return await importAll(port, files, options, dryRun);
  } catch (error) {
    const issue = makeIssue(
      { fileName: OPTIONS_FILE, entryIndex: null, model: null, identifiers: null },
      'internal',
      `The import failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      null,
    );
    return { ok: false, dryRun, committed: false, files: [], issues: [issue], totals: { ...emptyTotals(), errors: 1 } };
  }
}

async function importAll(port: ImportPort, files: readonly ImportFile[], options: ImportOptions, dryRun: boolean): Promise<ImportReport> {
  const optionIssues: ImportIssue[] = [];
  const optionsLocation = { fileName: OPTIONS_FILE, entryIndex: null, model: null, identifiers: null };
  let callerContext: BlueprintValue = {};
  try {
    callerContext = plainData(options.context, 'The context');
    if (!isMapping(callerContext)) throw new Error('The context must be a mapping of keys to values');
    const forbidden = findForbiddenKey(callerContext);
    if (forbidden) {
      optionIssues.push(makeIssue(optionsLocation, 'forbidden-key', `The context has a "__proto__" key (at ${forbidden.join('.')})`, null));
      callerContext = {};
    }
  } catch (error) {
    optionIssues.push(makeIssue(optionsLocation, 'invalid-value', (error as Error).message, null, 'Give the context as a mapping of plain values.'));
    callerContext = {};
  }
  const explicit = { env: stringRecord(options.explicit?.env), files: stringRecord(options.explicit?.files) };

  const reports: FileReport[] = [];
  const parsed: ParsedFile[] = [];
  const fileIssues = new Map<FileReport, ImportIssue[]>();
  for (const file of files) {
    const report: FileReport = { name: file.name, metadataName: null, versionGuess: null, ok: true, entries: [], warnings: [] };
    reports.push(report);
    const issues: ImportIssue[] = [];
    fileIssues.set(report, issues);
    const result = parseBlueprintDocument(file.text, options.limits);
    report.warnings = result.warnings.map((warning) => ({
      code: warning.code,
      message: warning.message,
      line: warning.position?.line ?? null,
      column: warning.position?.column ?? null,
    }));
    if (!result.ok) {
      issues.push(parseIssue(file.name, result.error));
      continue;
    }
    const prepared = prepareFile(file, result.document, report, issues, callerContext as BlueprintMapping);
    if (prepared) parsed.push(prepared);
  }

  await preparePasswords(port, parsed, explicit);

  const run: ImportRun = { port, verbatim: new VerbatimIndex(port), verbatimPks: new Set(), earlierFiles: [] };
  const outcomes = new Map<ParsedFile, EntryOutcome[]>();
  let committed = false;
  const anyIssue = (): boolean => optionIssues.length > 0 || [...fileIssues.values()].some((list) => list.length > 0);
  try {
    port.transaction(() => {
      for (const file of parsed) {
        const scope = new FileScope({ port, verbatim: run.verbatim, context: file.context, explicit });
        const fileRun: FileRun = {
          fileName: file.file.name,
          blueprintName: file.blueprintName,
          entries: file.document.entries,
          scope,
          oldBindingDefaults: writtenForOldBindingDefaults(file.sniff),
          passwords: file.passwords,
          pkMap: new Map(),
        };
        const list = file.document.entries.map((entry, index) => importEntry(run, fileRun, entry, index));
        outcomes.set(file, list);
        for (const outcome of list) if (outcome.issue) file.issues.push(outcome.issue);
        run.earlierFiles.push({ pk: '', name: file.blueprintName, sourceName: file.file.name });
      }
      if (anyIssue()) throw new Rollback('errors');
      const sanitizedContext = withoutSecrets(callerContext) as Record<string, unknown>;
      for (const file of parsed) port.saveBlueprint(storedBlueprint(port, file, outcomes.get(file) ?? [], sanitizedContext));
      if (dryRun) throw new Rollback('dry-run');
    });
    committed = true;
  } catch (error) {
    if (!(error instanceof Rollback)) {
      optionIssues.push(issueFromError(optionsLocation, error, () => 'attrs'));
    }
  }

  for (const file of parsed) {
    file.report.entries = (outcomes.get(file) ?? []).map((outcome) => outcome.report);
  }
  const issues: ImportIssue[] = [];
  for (const report of reports) {
    const list = fileIssues.get(report) ?? [];
    report.ok = list.length === 0;
    issues.push(...list);
  }
  issues.push(...optionIssues);
  const ok = issues.length === 0;
  return { ok, dryRun, committed: ok && committed && !dryRun, files: reports, issues, totals: totalsOf(reports, issues) };
}

function prepareFile(
  file: ImportFile,
  document: BlueprintDocument,
  report: FileReport,
  issues: ImportIssue[],
  callerContext: BlueprintMapping,
): ParsedFile | undefined {
  const metadataName = typeof document.metadata?.name === 'string' ? document.metadata.name : null;
  report.metadataName = metadataName;
  const sniff = sniffAuthentikVersion(document);
  report.versionGuess = { range: sniff.range, evidence: sniff.evidence };
  const location = { fileName: file.name, entryIndex: null, model: null, identifiers: null };

  const contextKey = findForbiddenKey(document.context);
  if (contextKey) {
    const position = document.source?.fields[JSON.stringify(['context', ...contextKey])];
    issues.push({
      ...makeIssue(location, 'forbidden-key', 'The key "__proto__" is not allowed in `context`', ['context', ...contextKey]),
      line: position?.line ?? null,
      column: position?.column ?? null,
    });
  }
  document.entries.forEach((entry, index) => {
    for (const field of ['model', 'state', 'conditions', 'identifiers', 'attrs'] as const) {
      const found = findForbiddenKey(entry[field]);
      if (!found) continue;
      issues.push(
        makeIssue(
          { fileName: file.name, entryIndex: index, model: typeof entry.model === 'string' ? entry.model : null, identifiers: null, entry },
          'forbidden-key',
          'The key "__proto__" is not allowed',
          [field, ...found],
        ),
      );
      break;
    }
  });

  let context: Record<string, BlueprintValue>;
  try {
    context = mergeContext(builtInContext(), document.context ?? null, callerContext);
  } catch (error) {
    issues.push(issueFromError(location, error, () => 'attrs'));
    return undefined;
  }
  return {
    file,
    document,
    report,
    issues,
    blueprintName: metadataName ?? file.name,
    sniff,
    contentSha256: sha256(file.text),
    context,
    passwords: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Passwords: argon2 is asynchronous and the import transaction is not, so every password a user
// entry gives is hashed before the transaction starts.

const HASH_FORMATS = [/^\$argon2(id|i|d)\$/, /^argon2\$argon2(id|i|d)\$/, /^pbkdf2_sha256\$\d+\$[^$]+\$[A-Za-z0-9+/=]+$/];

interface PasswordTask {
  file: ParsedFile;
  index: number;
  run: () => Promise<PreparedPassword>;
}

async function preparePasswords(
  port: ImportPort,
  files: ParsedFile[],
  explicit: { env: Record<string, string>; files: Record<string, string> },
): Promise<void> {
  const tasks: PasswordTask[] = [];
  for (const file of files) {
    const scope: ResolveScope = {
      context: file.context,
      explicit,
      keyOf: () => {
        throw new NeedsWorkspace('!KeyOf');
      },
      find: () => {
        throw new NeedsWorkspace('!Find');
      },
      findObject: () => {
        throw new NeedsWorkspace('!FindObject');
      },
    };
    file.document.entries.forEach((entry, index) => {
      if (typeof entry.model !== 'string' || entry.model.toLowerCase() !== USER_MODEL) return;
      const attrs = entry.attrs;
      if (!isMapping(attrs) || (!('password' in attrs) && !('password_hash' in attrs))) return;
      const location = { fileName: file.file.name, entryIndex: index, model: USER_MODEL, identifiers: null, entry };
      const fail = (code: string, message: string, field: string, hint?: string): PreparedPassword => ({
        issue: makeIssue(location, code, message, ['attrs', field], hint ?? hintFor(code)),
      });
      const resolveField = (field: 'password' | 'password_hash'): { value: unknown } | { failed: PreparedPassword } => {
        const raw = attrs[field];
        if (!isTagNode(raw) && !containsTag(raw)) return { value: raw };
        try {
          return { value: resolveValue(raw as BlueprintValue, scope, ['attrs', field]) };
        } catch (error) {
          if (error instanceof NeedsWorkspace) {
            return {
              failed: fail(
                'password-unresolvable',
                `The ${field} is given by a tag that needs the workspace (${error.message}); passwords are hashed before the import starts, so it cannot be resolved`,
                field,
              ),
            };
          }
          return { failed: { issue: issueFromError(location, error, () => 'attrs') } };
        }
      };
      tasks.push({
        file,
        index,
        run: async () => {
          const hashField = 'password_hash' in attrs ? resolveField('password_hash') : { value: undefined };
          if ('failed' in hashField) return hashField.failed;
          const passwordField = 'password' in attrs ? resolveField('password') : { value: undefined };
          if ('failed' in passwordField) return passwordField.failed;
          const stored = currentHash(port, entry.identifiers);
          if (typeof hashField.value === 'string' && hashField.value !== '') {
            if (!HASH_FORMATS.some((format) => format.test(hashField.value as string))) {
              return fail(
                'invalid-value',
                '`password_hash` is not a password hash Flowbench can verify (argon2 PHC or Django pbkdf2_sha256)',
                'password_hash',
              );
            }
            return { instruction: stored === hashField.value ? { kind: 'keep' } : { kind: 'hash', hash: hashField.value } };
          }
          const password = passwordField.value;
          if (password === undefined || password === null || password === '') return { instruction: { kind: 'keep' } };
          if (typeof password !== 'string') {
            return fail('invalid-value', 'The password must be text', 'password', 'Quote the password so it is read as text.');
          }
          // Re-importing the same file must not report every user as changed: keep a hash that
          // already matches.
          if (stored !== undefined && stored !== null && (await port.verifyPassword(stored, password))) {
            return { instruction: { kind: 'keep' } };
          }
          const instruction: PasswordInstruction = { kind: 'hash', hash: await port.hashPassword(password) };
          return { instruction };
        },
      });
    });
  }
  // argon2 runs on libuv's thread pool (4 threads by default); more at once only queues there.
  const queue = [...tasks];
  const worker = async (): Promise<void> => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      task.file.passwords.set(task.index, await task.run().catch((error: unknown) => ({
        issue: makeIssue(
          { fileName: task.file.file.name, entryIndex: task.index, model: USER_MODEL, identifiers: null },
          'internal',
          `Hashing the password failed: ${(error as Error).message}`,
          ['attrs', 'password'],
        ),
      })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, tasks.length) }, worker));
}

function containsTag(value: unknown): boolean {
  if (isTagNode(value)) return true;
  if (Array.isArray(value)) return value.some(containsTag);
  if (isMapping(value)) return Object.values(value).some(containsTag);
  return false;
}

/** The stored hash of the user plain identifiers point at (read before the transaction). */
function currentHash(port: ImportPort, identifiers: BlueprintMapping | undefined): string | null | undefined {
  if (!isMapping(identifiers)) return undefined;
  const { pk, username } = identifiers;
  let userPk: number | undefined;
  if (typeof pk === 'number') userPk = pk;
  else if (typeof pk === 'string' && /^\d+$/.test(pk)) userPk = Number(pk);
  else if (typeof username === 'string') userPk = port.objects.list('user', { field: 'username', value: username }).find((u) => u.username === username)?.pk;
  return userPk === undefined ? undefined : port.passwordHash(userPk);
}

// ---------------------------------------------------------------------------------------------

function storedBlueprint(port: ImportPort, file: ParsedFile, outcomes: EntryOutcome[], context: Record<string, unknown>): StoredBlueprintWrite {
  const entries: StoredEntryWrite[] = outcomes.map((outcome, idx) => {
    let snapshot: StoredEntryWrite['snapshot'] = null;
    const action = outcome.report.action;
    const pk = outcome.objectPk;
    const keepsObject = action === 'created' || action === 'updated' || action === 'unchanged';
    if (keepsObject && pk !== null && outcome.entity) {
      const mapper = mapperFor(outcome.model);
      const object = port.writtenObject?.(outcome.entity, pk) ?? port.objects.get(outcome.entity, pk);
      if (mapper && object) snapshot = (mapper.toAttrs as (o: unknown, h?: unknown) => StoredEntryWrite['snapshot'])(object, outcome.hints);
    }
    return {
      idx,
      model: outcome.model,
      objectPk: pk === null || !outcome.entity ? null : String(pk),
      snapshot,
      unknownAttrs: outcome.unknownAttrs,
    };
  });
  return {
    name: file.blueprintName,
    sourceName: file.file.name,
    document: stripSource(file.document),
    context,
    versionGuess: file.sniff.range,
    contentSha256: file.contentSha256,
    entries,
  };
}
