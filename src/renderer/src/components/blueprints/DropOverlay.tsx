import { useEffect, useState } from 'react';
import { startImport } from '../../lib/start-import';
import { useUiStore } from '../../state/ui-store';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Another dialog is open: a drop must not replace it (and lose what was typed there). */
function busy(): boolean {
  const dialog = useUiStore.getState().dialog;
  return dialog !== null && dialog.type !== 'import-blueprint';
}

/**
 * Makes the whole window a drop target for blueprint files. While files are dragged over it, an
 * overlay says what a drop does (announced through a live region); a drop opens the import
 * dialog. The default (the browser opening the file) never happens.
 */
export function DropOverlay() {
  const [active, setActive] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every element crossed; count them to know when we left.
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      if (!busy()) setActive(true);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = busy() ? 'none' : 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setActive(false);
      const files = event.dataTransfer ? [...event.dataTransfer.files] : [];
      if (files.length > 0 && !busy()) void startImport(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return (
    <div aria-live="assertive" className="drop-region">
      {active && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-overlay-card">
            <p className="drop-overlay-title">Drop .yaml files to import them</p>
            <p className="drop-overlay-text">
              You will see what they would change before anything is written.
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
