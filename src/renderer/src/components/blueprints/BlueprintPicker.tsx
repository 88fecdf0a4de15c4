import { BLUEPRINT_INPUT_ID, startImport } from '../../lib/start-import';

/**
 * The hidden `<input type=file>` every "Import blueprint…" action opens, so the header, the
 * sidebar and empty states share one picker.
 */
export function BlueprintPicker() {
  return (
    <input
      id={BLUEPRINT_INPUT_ID}
      type="file"
      accept=".yaml,.yml"
      multiple
      hidden
      tabIndex={-1}
      aria-hidden="true"
      data-testid="blueprint-file-input"
      onChange={(event) => {
        const input = event.currentTarget;
        const picked = input.files ? [...input.files] : [];
        // Cleared at once, so picking the same file again is a change again.
        input.value = '';
        if (picked.length > 0) void startImport(picked);
      }}
    />
  );
}
