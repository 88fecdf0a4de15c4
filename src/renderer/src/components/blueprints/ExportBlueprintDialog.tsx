import { useState } from 'react';
import { useQuery } from '../../api/use-query';
import { canCopy, downloadText } from '../../lib/download';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { type ExportStyle, ExportStyleField } from './ExportStyleField';
import { ExportPreview } from './ExportPreview';

/**
 * Export one flow (or, with no flow named, the whole workspace) as a blueprint: pick a style,
 * read the YAML, then download or copy it. The preview follows changes to the workspace.
 */
export function ExportBlueprintDialog({ flows }: { flows: readonly string[] }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const [style, setStyle] = useState<ExportStyle>('portable');
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const exported = useQuery('blueprints.export', { flows: [...flows], style });
  const names = useQuery('flows.list', flows.length > 0 ? undefined : null);
  const result = exported.status === 'loading' ? undefined : exported.data;
  const title =
    flows.length === 0
      ? 'Export workspace'
      : flows.length === 1
        ? `Export flow “${names.data?.find((flow) => flow.slug === flows[0])?.name ?? flows[0]}”`
        : `Export ${flows.length} flows`;

  async function copy() {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <Dialog title={title} onClose={closeDialog} testId="export-dialog" size="large">
      <div className="dialog-body export-body">
        <ExportStyleField
          value={style}
          onChange={(next) => {
            setStyle(next);
            setCopied('idle');
          }}
        />
        <ExportPreview query={exported} />
      </div>
      <DialogFooter>
        <span className="footer-start footer-note" role="status">
          {copied === 'copied' ? (
            'Copied to the clipboard.'
          ) : copied === 'failed' ? (
            'The clipboard refused the text; use Download.'
          ) : result ? (
            <span className="mono" data-testid="export-file-name">
              {result.fileName}
            </span>
          ) : null}
        </span>
        {canCopy() && (
          <button
            type="button"
            className="button"
            onClick={() => void copy()}
            disabled={!result}
            data-testid="export-copy"
          >
            Copy
          </button>
        )}
        <button type="button" className="button" onClick={closeDialog}>
          Close
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => result && downloadText(result.text, result.fileName)}
          disabled={!result}
          data-testid="export-download"
        >
          Download
        </button>
      </DialogFooter>
    </Dialog>
  );
}
