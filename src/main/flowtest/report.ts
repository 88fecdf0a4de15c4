import { type JsonValue } from '@shared/model';
import { show } from './match';
import { formatIssue, type FlowTestIssue } from './parse';
import { type FlowTestResult } from './runner';
import { transcriptLines } from './transcript';

/**
 * The three ways `flowbench test` reports: human lines (ending with `N passed, M failed`),
 * `--json` (exactly `{passed, failed, results: [{file, name, ok, failures, transcript}]}`) and
 * `--junit FILE` (JUnit XML).
 */

export interface FlowTestSummary {
  passed: number;
  failed: number;
  results: FlowTestResult[];
  /** Files that could not be read or are not valid flow tests (exit 2). */
  issues: FlowTestIssue[];
}

export function summaryLine(summary: Pick<FlowTestSummary, 'passed' | 'failed'>): string {
  return `${summary.passed} passed, ${summary.failed} failed`;
}

/** The `--json` document: only the contract's keys. */
export function jsonReport(summary: FlowTestSummary): JsonValue {
  return {
    passed: summary.passed,
    failed: summary.failed,
    results: summary.results.map((r) => ({
      file: r.file,
      name: r.name,
      ok: r.ok,
      failures: r.failures.map((f) => ({
        ...(f.step === undefined ? {} : { step: f.step }),
        expected: f.expected,
        actual: f.actual,
        message: f.message,
      })),
      transcript: r.transcript as unknown as JsonValue,
    })),
  };
}

function failureWhere(result: FlowTestResult, step: number | undefined): string {
  if (step === undefined) return result.failures.length && result.meta.outcomeLine ? `outcome (line ${result.meta.outcomeLine})` : 'outcome';
  const line = result.meta.stepLines[step];
  return `steps[${step}]${line ? ` (line ${line})` : ''}`;
}

/** Human lines for one result (✔/✖, then each failure and, for a failed test, the transcript). */
export function humanResultLines(result: FlowTestResult, options: { transcript?: boolean } = {}): string[] {
  const lines = [`${result.ok ? '✔' : '✖'} ${result.name}  (${result.file}:${result.meta.line})`];
  for (const failure of result.failures) {
    const where = failure.message.startsWith('setup:') || failure.message.startsWith('internal error:') ? 'setup' : failureWhere(result, failure.step);
    lines.push(`    ${where}: ${failure.message}`);
    if (failure.expected !== null || failure.actual !== null) {
      lines.push(`      expected: ${show(failure.expected, 300)}`);
      lines.push(`      actual:   ${show(failure.actual, 300)}`);
    }
  }
  for (const warning of result.meta.warnings) lines.push(`    note: ${warning}`);
  if (!result.ok && (options.transcript ?? true) && result.transcript.length > 0) {
    lines.push('    transcript:');
    for (const line of transcriptLines(result.transcript)) lines.push(`      ${line}`);
  }
  return lines;
}

export function humanIssueLines(issues: readonly FlowTestIssue[]): string[] {
  return issues.map((issue) => `error: ${formatIssue(issue)}`);
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

/** XML 1.0 allows only these characters; anything else is replaced. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Escape for an attribute: also keep line breaks and tabs as character references. */
function attr(text: string): string {
  return xmlEscape(text).replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function junitReport(summary: FlowTestSummary, options: { suiteName?: string } = {}): string {
  const byFile = new Map<string, { results: FlowTestResult[]; issues: FlowTestIssue[] }>();
  const entry = (file: string) => {
    let found = byFile.get(file);
    if (!found) byFile.set(file, (found = { results: [], issues: [] }));
    return found;
  };
  for (const result of summary.results) entry(result.file).results.push(result);
  for (const issue of summary.issues) entry(issue.file).issues.push(issue);

  const total = summary.results.length;
  const errors = [...byFile.values()].filter((f) => f.issues.length > 0).length;
  const time = summary.results.reduce((sum, r) => sum + r.meta.duration_ms, 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${attr(options.suiteName ?? 'flowbench test')}" tests="${total + errors}" failures="${summary.failed}" errors="${errors}" time="${seconds(time)}">`,
  );
  for (const [file, { results, issues }] of byFile) {
    const failed = results.filter((r) => !r.ok).length;
    const suiteTime = results.reduce((sum, r) => sum + r.meta.duration_ms, 0);
    out.push(
      `  <testsuite name="${attr(file)}" tests="${results.length + (issues.length > 0 ? 1 : 0)}" failures="${failed}" errors="${issues.length > 0 ? 1 : 0}" skipped="0" time="${seconds(suiteTime)}">`,
    );
    if (issues.length > 0) {
      out.push(`    <testcase name="${attr(`${file} is a valid flow test`)}" classname="${attr(file)}" time="0.000">`);
      const text = issues.map(formatIssue).join('\n');
      out.push(`      <error message="${attr(issues.map(formatIssue)[0] ?? 'invalid flow test')}" type="InvalidFlowTest">${xmlEscape(text)}</error>`);
      out.push('    </testcase>');
    }
    for (const result of results) {
      out.push(`    <testcase name="${attr(result.name)}" classname="${attr(file)}" time="${seconds(result.meta.duration_ms)}">`);
      if (!result.ok) {
        const first = result.failures[0]?.message ?? 'failed';
        const body = humanResultLines(result).slice(1).join('\n');
        out.push(`      <failure message="${attr(first)}" type="FlowTestFailure">${xmlEscape(body)}</failure>`);
      }
      if (result.meta.warnings.length > 0) out.push(`      <system-out>${xmlEscape(result.meta.warnings.join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
