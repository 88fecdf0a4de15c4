import { useNoticeStore } from '../state/notice-store';
import { useUiStore } from '../state/ui-store';
import { readBlueprintFiles } from './blueprint-files';

/** The one hidden file input of the window (see BlueprintPicker). */
export const BLUEPRINT_INPUT_ID = 'blueprint-file-input';

/** Opens the system file picker for blueprints. Call it from a click or key handler. */
export function openBlueprintPicker(): void {
  document.getElementById(BLUEPRINT_INPUT_ID)?.click();
}

let batch = 0;

/**
 * Picked or dropped files → the import dialog, which validates them (a dry run) and shows the
 * report before anything is written. When no file is usable, says why instead.
 */
export async function startImport(list: Iterable<File>): Promise<void> {
  const { files, notes } = await readBlueprintFiles(list);
  if (files.length === 0) {
    useNoticeStore
      .getState()
      .show('warning', notes.length > 0 ? notes.join(' ') : 'No file to import.');
    return;
  }
  batch += 1;
  useUiStore.getState().openDialog({ type: 'import-blueprint', files, notes, batch });
}
