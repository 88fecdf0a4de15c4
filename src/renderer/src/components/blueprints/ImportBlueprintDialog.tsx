import { useCallback, useEffect, useRef, useState } from 'react';
import { type ImportReport, RpcCallError } from '@shared/contract';
import { type Problem, toProblem } from '../../api/problem';
import { useClient } from '../../api/services-context';
import { useMutation } from '../../api/use-mutation';
import { type BlueprintFile } from '../../lib/blueprint-files';
import { importedSentence } from '../../lib/import-report';
import {
  type ImportInput,
  importInput,
  suggestValueRows,
  type ValueRow,
} from '../../lib/import-values';
import { useNoticeStore } from '../../state/notice-store';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { FileReportView } from './FileReportView';
import { ImportIssueList } from './ImportIssueList';
import { type ImportStage, ImportSummary } from './ImportSummary';
import { ImportValuesForm } from './ImportValuesForm';

interface Checked {
  readonly run: number;
  readonly input: ImportInput;
  readonly report: ImportReport | null;
  readonly problem: Problem | null;
}

interface ImportBlueprintDialogProps {
  files: readonly BlueprintFile[];
  notes: readonly string[];
}

/** The flow an import made or matched, to show it once the dialog closes. */
function importedFlow(report: ImportReport): string | null {
  for (const file of report.files) {
    for (const entry of file.entries) {
      if (entry.model === 'authentik_flows.flow' && typeof entry.pk === 'string') {
        if (['created', 'updated', 'unchanged'].includes(entry.action)) return entry.pk;
      }
    }
  }
  return null;
}

/**
 * Import blueprint files: a dry run first (`blueprints.validate`) whose per-entry report is shown
 * before anything is written, values for `!Env`/`!File`/`!Context`, then `blueprints.import` —
 * one all-or-nothing step. On failure the dialog stays open with everything shown.
 */
export function ImportBlueprintDialog({ files, notes }: ImportBlueprintDialogProps) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const showNotice = useNoticeStore((state) => state.show);
  const client = useClient();
  const importing = useMutation();
  const [rows, setRows] = useState<ValueRow[]>(() => suggestValueRows(files, [], []));
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failedImport, setFailedImport] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [validating, setValidating] = useState(true);
  /** The input the shown report answers; Import sends exactly that. */
  const [checkedInput, setCheckedInput] = useState<string | null>(null);
  const generation = useRef(0);

  /** One dry run; the answer is applied by `settle`, unless a newer run started meanwhile. */
  const check = useCallback(
    async (values: readonly ValueRow[]): Promise<Checked> => {
      const run = ++generation.current;
      const input = importInput(files, values);
      try {
        const envelope = await client.try('blueprints.validate', input);
        return envelope.ok
          ? { run, input, report: envelope.value, problem: null }
          : {
              run,
              input,
              report: null,
              problem: toProblem(new RpcCallError('blueprints.validate', envelope.error)),
            };
      } catch (error) {
        return { run, input, report: null, problem: toProblem(error) };
      }
    },
    [client, files],
  );

  const settle = useCallback(
    ({ run, input, report: next, problem: failure }: Checked) => {
      if (run !== generation.current) return;
      setValidating(false);
      setProblem(failure);
      setFailedImport(false);
      setReport(next);
      setCheckedInput(next ? JSON.stringify(input) : null);
      if (next) setRows((current) => suggestValueRows(files, next.issues, current));
    },
    [files],
  );

  useEffect(() => {
    void check([]).then(settle);
  }, [check, settle]);

  function validateAgain() {
    setValidating(true);
    importing.clear();
    void check(rows).then(settle);
  }

  async function commit() {
    const input = importInput(files, rows);
    const result = await importing.run((c) => c.call('blueprints.import', input), ['workspace']);
    if (!result) return; // the call failed: importing.problem says why
    if (result.ok && result.committed) {
      const flow = importedFlow(result);
      closeDialog();
      if (flow !== null) select({ kind: 'flow', pk: flow });
      showNotice('success', importedSentence(result));
      return;
    }
    setReport(result);
    setFailedImport(true);
    setRows((current) => suggestValueRows(files, result.issues, current));
  }

  const shownProblem = importing.problem ?? problem;
  const stage: ImportStage = validating
    ? 'checking'
    : failedImport || importing.problem
      ? 'import-failed'
      : problem
        ? 'call-failed'
        : report && report.ok
          ? 'ready'
          : 'problems';
  const valuesChanged =
    checkedInput !== null && JSON.stringify(importInput(files, rows)) !== checkedInput;
  const canImport =
    stage === 'ready' && report?.dryRun === true && !valuesChanged && !importing.pending;
  const needsValues =
    rows.length > 0 ||
    (report?.issues.some((issue) => /NEEDS_VALUE|^CONTEXT_/.test(issue.code)) ?? false);

  return (
    <Dialog
      title={files.length === 1 ? `Import ${files[0]?.name}` : `Import ${files.length} blueprints`}
      onClose={closeDialog}
      testId="import-dialog"
      size="large"
    >
      <div className="dialog-body import-body">
        {notes.length > 0 && (
          <ul className="import-notes" data-testid="import-notes">
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
        <ImportSummary stage={stage} fileCount={files.length} report={report} />
        <ProblemMessage problem={shownProblem} />
        {report && report.issues.length > 0 && <ImportIssueList issues={report.issues} />}
        {needsValues && (
          <ImportValuesForm
            rows={rows}
            onChange={setRows}
            onValidate={validateAgain}
            pending={validating}
          />
        )}
        {report?.files.map((file, index) => (
          <FileReportView key={index} file={file} />
        ))}
      </div>
      <DialogFooter>
        {valuesChanged && stage === 'ready' && (
          <span className="footer-start footer-note">Values changed: validate again first.</span>
        )}
        {!needsValues && stage !== 'checking' && stage !== 'ready' && (
          <button
            type="button"
            className="button footer-start"
            onClick={validateAgain}
            data-testid="validate-again"
          >
            Validate again
          </button>
        )}
        <button type="button" className="button" onClick={closeDialog} data-autofocus>
          {stage === 'ready' ? 'Cancel' : 'Close'}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void commit()}
          disabled={!canImport}
          data-testid="submit"
        >
          {importing.pending ? 'Importing…' : 'Import'}
        </button>
      </DialogFooter>
    </Dialog>
  );
}
