import { dialog } from 'electron';
import { type ExpressionRuntime } from '../engine/ports';
import { openWorkspace, type Workspace } from '../workspace';

export interface OpenAppWorkspaceOptions {
  readonly path: string;
  /** Resolves the Electron-ABI better-sqlite3 binary (native-binding.ts); may throw. */
  readonly nativeBinding: () => string;
  /** Expression policies' runtime (the hidden-renderer Python host). */
  readonly expressions?: ExpressionRuntime;
}

/**
 * Opens the desktop app's workspace, or explains in a dialog why it cannot and returns null
 * (the caller quits). A file that fails to open — corrupt, from a newer Flowbench, locked —
 * is left exactly as it is: never recreated, never overwritten.
 */
export function openAppWorkspace(options: OpenAppWorkspaceOptions): Workspace | null {
  try {
    return openWorkspace({ path: options.path, nativeBinding: options.nativeBinding(), expressions: options.expressions });
  } catch (error) {
    dialog.showErrorBox(
      'Flowbench cannot open its workspace',
      describeOpenError(options.path, error),
    );
    return null;
  }
}

export function describeOpenError(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${message}\n\nWorkspace: ${path}\nThe file has not been changed. Flowbench will now quit.`;
}
