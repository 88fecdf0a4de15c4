import { type ImportReport } from '@shared/contract';
import { type CliIo } from './io';

const ACTION_WIDTH = 13;

/** Human-readable import/validate report: one line per entry, then every issue with its hint. */
export function printImportReport(report: ImportReport, io: CliIo): void {
  for (const file of report.files) {
    const title = file.metadataName ? `${file.name} — ${file.metadataName}` : file.name;
    io.out(`${file.ok ? '✔' : '✖'} ${title}`);
    if (file.versionGuess) io.out(`  written for authentik ${file.versionGuess.range}`);
    for (const warning of file.warnings) {
      const at = warning.line ? `:${warning.line}:${warning.column ?? 1}` : '';
      io.out(`  warning${at}: ${warning.message}`);
    }
    for (const entry of file.entries) {
      const note = entry.note ? ` (${entry.note})` : '';
      io.out(`  ${String(entry.index).padStart(3)}  ${entry.action.padEnd(ACTION_WIDTH)} ${entry.model} ${entry.identifiers}${note}`);
      for (const warning of entry.warnings) io.out(`       warning: ${warning}`);
    }
  }
  for (const issue of report.issues) {
    const at = issue.line ? `:${issue.line}:${issue.column ?? 1}` : '';
    const where = issue.entryIndex === null ? '' : ` entry ${issue.entryIndex}${issue.model ? ` (${issue.model}${issue.identifiers ? ` ${issue.identifiers}` : ''})` : ''}`;
    const path = issue.path ? `, ${issue.path}` : '';
    io.err(`error: ${issue.fileName}${at}${where}${path}: ${issue.message} [${issue.code}]`);
    if (issue.hint) io.err(`  hint: ${issue.hint}`);
  }
  const t = report.totals;
  const verb = report.dryRun ? 'would be' : report.committed ? 'were' : 'would have been';
  io.out(
    `${t.entries} entries in ${t.files} file(s): ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.deleted} deleted, ${t.skipped} skipped, ${t.keptVerbatim} kept verbatim — ${verb} applied; ${t.errors} error(s), ${t.warnings} warning(s).`,
  );
  if (!report.ok) io.out(report.dryRun ? 'Validation failed.' : 'Nothing was imported.');
}
