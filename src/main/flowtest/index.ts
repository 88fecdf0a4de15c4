import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type FlowTestIssue, MAX_FLOWTEST_BYTES, parseFlowTestText, type ParsedFlowTest } from './parse';
import { type FlowTestSummary } from './report';
import { runFlowTest, type FlowTestResult, type FlowTestRunOptions } from './runner';

/**
 * Flow tests (`*.flowtest.yaml`, spec `../shared/spec/flowtest-format.md`): find them, parse
 * them, run them, report. `flowbench test` is a thin shell around `runFlowTestPaths`.
 */

export { formatIssue, parseFlowTestText, type FlowTestIssue, type ParsedFlowTest, type ParseResult } from './parse';
export { flowTestSchema, type FlowTest } from './schema';
export { runFlowTest, type FlowTestFailure, type FlowTestResult, type FlowTestRunOptions } from './runner';
export { humanIssueLines, humanResultLines, jsonReport, junitReport, summaryLine, xmlEscape, type FlowTestSummary } from './report';
export { transcriptLines, type TranscriptEntry, type TraceSummary } from './transcript';

export const FLOWTEST_SUFFIX = '.flowtest.yaml';

/** Folders never searched (dependencies, VCS data, build output). */
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist']);

/**
 * Every flow-test file under `paths`: a file is taken as named, a folder is searched
 * recursively for `*.flowtest.yaml` (sorted, symlinked folders not followed). A path that does
 * not exist is an issue.
 */
export async function findFlowTestFiles(paths: readonly string[]): Promise<{ files: string[]; issues: FlowTestIssue[] }> {
  const files: string[] = [];
  const issues: FlowTestIssue[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(FLOWTEST_SUFFIX)) {
        files.push(path);
      }
    }
  };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      issues.push({ file: path, line: null, column: null, path: '', reason: `cannot read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}` });
      continue;
    }
    if (info.isDirectory()) await walk(path);
    else files.push(path);
  }
  return { files: [...new Set(files)], issues };
}

/** Read and parse one file; issues say why it cannot run (exit 2). */
export async function loadFlowTestFile(file: string): Promise<{ tests: ParsedFlowTest[]; issues: FlowTestIssue[] }> {
  try {
    const info = await stat(file);
    if (info.size > MAX_FLOWTEST_BYTES) {
      return { tests: [], issues: [{ file, line: null, column: null, path: '', reason: `the file is ${(info.size / 1048576).toFixed(1)} MiB; flow tests are limited to ${MAX_FLOWTEST_BYTES / 1048576} MiB` }] };
    }
    const text = await readFile(file, 'utf8');
    const parsed = parseFlowTestText(file, text);
    return parsed.ok ? { tests: parsed.tests, issues: [] } : { tests: [], issues: parsed.issues };
  } catch (error) {
    return { tests: [], issues: [{ file, line: null, column: null, path: '', reason: `cannot read: ${(error as Error).message}` }] };
  }
}

export interface RunPathsOptions extends FlowTestRunOptions {
  /** Called after each test (progress). */
  onResult?: (result: FlowTestResult) => void;
  /** Called for each file that cannot run. */
  onIssues?: (issues: FlowTestIssue[]) => void;
}

/** Find, parse and run every flow test under `paths` (files one after another, each in its own workspace). */
export async function runFlowTestPaths(paths: readonly string[], options: RunPathsOptions = {}): Promise<FlowTestSummary & { files: string[] }> {
  const found = await findFlowTestFiles(paths);
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  const texts = new Map<string, Promise<string>>();
  const readText = (path: string): Promise<string> => {
    let text = texts.get(path);
    if (!text) texts.set(path, (text = read(path)));
    return text;
  };
  const issues: FlowTestIssue[] = [...found.issues];
  if (found.issues.length > 0) options.onIssues?.(found.issues);
  const results: FlowTestResult[] = [];
  for (const file of found.files) {
    const loaded = await loadFlowTestFile(file);
    if (loaded.issues.length > 0) {
      issues.push(...loaded.issues);
      options.onIssues?.(loaded.issues);
      continue;
    }
    // A blueprint that cannot be read makes the test unrunnable, like an unreadable test file.
    const unreadable = await unreadableBlueprints(loaded.tests, readText);
    if (unreadable.length > 0) {
      issues.push(...unreadable);
      options.onIssues?.(unreadable);
      continue;
    }
    for (const test of loaded.tests) {
      const result = await runFlowTest(test, { ...options, readText });
      results.push(result);
      options.onResult?.(result);
    }
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results, issues, files: found.files };
}

/** Blueprints of `tests` that cannot be read, as issues at their line in the test file. */
async function unreadableBlueprints(tests: readonly ParsedFlowTest[], readText: (path: string) => Promise<string>): Promise<FlowTestIssue[]> {
  const issues: FlowTestIssue[] = [];
  for (const parsed of tests) {
    for (const [index, relative] of parsed.test.blueprints.entries()) {
      const path = resolve(dirname(parsed.file), relative);
      try {
        await readText(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        issues.push({
          file: parsed.file,
          line: parsed.lines.blueprints[index] || null,
          column: null,
          path: `blueprints[${index}]`,
          reason: `cannot read blueprint ${relative} (${path}): ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`,
        });
      }
    }
  }
  return issues;
}

/** The exit status of `flowbench test`: 2 when any file could not run, else 1 when any test failed, else 0. */
export function flowTestExitCode(summary: Pick<FlowTestSummary, 'failed' | 'issues'>): number {
  if (summary.issues.length > 0) return 2;
  return summary.failed > 0 ? 1 : 0;
}
