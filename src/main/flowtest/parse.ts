import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { type z } from 'zod';
import { flowTestSchema, type FlowTest } from './schema';

/**
 * Reading `*.flowtest.yaml` files: YAML (one test per document; `---` separates several) →
 * the zod schema of `./schema.ts`. Every problem is reported with the file, the line and the
 * reason; a file with any problem is not run (the CLI exits 2).
 */

export interface FlowTestIssue {
  file: string;
  /** 1-based; null when the problem is not tied to a place (an unreadable file). */
  line: number | null;
  column: number | null;
  /** Where in the document, e.g. `steps[1].expect.component` (empty for the whole document). */
  path: string;
  reason: string;
}

export interface ParsedFlowTest {
  file: string;
  /** 0-based document index in the file. */
  document: number;
  test: FlowTest;
  /** Line of the document's start and of each step (for reports). */
  lines: { document: number; steps: number[]; outcome: number | null; blueprints: number[]; users: number[] };
}

export type ParseResult = { ok: true; tests: ParsedFlowTest[] } | { ok: false; issues: FlowTestIssue[] };

/** Largest flow-test file accepted (they are small; a huge file is a mistake). */
export const MAX_FLOWTEST_BYTES = 2 * 1024 * 1024;

export function formatIssue(issue: FlowTestIssue): string {
  const at = issue.line === null ? issue.file : `${issue.file}:${issue.line}${issue.column === null ? '' : `:${issue.column}`}`;
  return `${at}: ${issue.path ? `${issue.path}: ` : ''}${issue.reason}`;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** The YAML node at `path`, or the deepest existing ancestor; `keyOf` returns a map key node instead. */
function locate(doc: Document, path: readonly PropertyKey[], keyOf?: string): Node | null {
  let node: unknown = doc.contents;
  let found: Node | null = (doc.contents as Node | null) ?? null;
  const steps = keyOf === undefined ? path : [...path, keyOf];
  for (let i = 0; i < steps.length; i++) {
    const segment = steps[i];
    const last = i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return found;
      if (last && keyOf !== undefined) return (pair.key as Node) ?? found;
      node = pair.value;
      if (node && (node as Node).range) found = node as Node;
      else if (pair.key && (pair.key as Node).range) found = pair.key as Node;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) return found;
      node = item;
      if ((item as Node).range) found = item as Node;
    } else {
      return found;
    }
  }
  return found;
}

function lineOf(node: Node | null | undefined, counter: LineCounter): { line: number; column: number } | null {
  const offset = node?.range?.[0];
  if (offset === undefined) return null;
  const pos = counter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function zodIssues(file: string, doc: Document, counter: LineCounter, error: z.ZodError, documentIndex: number, documents: number): FlowTestIssue[] {
  const out: FlowTestIssue[] = [];
  const prefix = documents > 1 ? `document ${documentIndex + 1}: ` : '';
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = lineOf(locate(doc, issue.path, key), counter);
        out.push({
          file,
          line: at?.line ?? null,
          column: at?.column ?? null,
          path: pathText([...issue.path, key]),
          reason: `${prefix}unknown key "${key}"`,
        });
      }
      continue;
    }
    const at = lineOf(locate(doc, issue.path), counter);
    let reason = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) reason = 'required';
    if (issue.code === 'invalid_union') reason = unionReason(issue, issue.path);
    out.push({ file, line: at?.line ?? null, column: at?.column ?? null, path: pathText(issue.path), reason: prefix + reason });
  }
  return out;
}

/** Zod's "Invalid input" for a union says nothing; name what the place accepts. */
function unionReason(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === 'expect') return 'expected a component name or an object {component, stage?, fields?, errors?}';
  if (last === 'action') return 'expected `follow_email_link` or `restart`';
  if (path.includes('authenticators')) return 'expected {type: totp, name, secret, digits?} or {type: static, name, tokens}';
  return issue.message;
}

/** Parse the text of one flow-test file. `file` is used in reports only. */
export function parseFlowTestText(file: string, text: string): ParseResult {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true, version: '1.2' });
  const list = Array.isArray(docs) ? docs : [];
  const issues: FlowTestIssue[] = [];
  const tests: ParsedFlowTest[] = [];
  if (list.length === 0) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '', reason: 'the file is empty: a flow test needs at least `name`, `run` and `outcome`' }] };
  }
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = error.linePos?.[0];
        issues.push({ file, line: pos?.line ?? null, column: pos?.col ?? null, path: '', reason: `YAML: ${yamlMessage(error.message)}` });
      }
      return;
    }
    for (const warning of doc.warnings) {
      // Unknown tags and the like: a flow test uses plain YAML only.
      const pos = warning.linePos?.[0];
      issues.push({ file, line: pos?.line ?? null, column: pos?.col ?? null, path: '', reason: `YAML: ${yamlMessage(warning.message)}` });
    }
    if (doc.warnings.length > 0) return;
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) {
      if (list.length === 1) {
        issues.push({ file, line: 1, column: 1, path: '', reason: 'the file is empty: a flow test needs at least `name`, `run` and `outcome`' });
      }
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      const at = lineOf(doc.contents as Node | null, counter);
      issues.push({ file, line: at?.line ?? 1, column: at?.column ?? 1, path: '', reason: 'a flow test is a mapping (name, blueprints, users, run, steps, outcome …)' });
      return;
    }
    const parsed = flowTestSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(...zodIssues(file, doc, counter, parsed.error, index, list.length));
      return;
    }
    const line = (path: PropertyKey[]): number | null => lineOf(locate(doc, path), counter)?.line ?? null;
    tests.push({
      file,
      document: index,
      test: parsed.data,
      lines: {
        document: lineOf(doc.contents as Node | null, counter)?.line ?? 1,
        steps: parsed.data.steps.map((_s, i) => line(['steps', i]) ?? 0),
        outcome: line(['outcome']),
        blueprints: parsed.data.blueprints.map((_b, i) => line(['blueprints', i]) ?? 0),
        users: parsed.data.users.map((_u, i) => line(['users', i]) ?? 0),
      },
    });
  });
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, tests };
}

/** The first line of a `yaml` error without its own " at line L, column C:" suffix (we report the place). */
function yamlMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
