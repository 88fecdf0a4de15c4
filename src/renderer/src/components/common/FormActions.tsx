interface FormActionsProps {
  dirty: boolean;
  pending: boolean;
  onRevert(): void;
  saveLabel?: string;
}

/** Save / Revert for an edit form; both idle until something changed. */
export function FormActions({
  dirty,
  pending,
  onRevert,
  saveLabel = 'Save changes',
}: FormActionsProps) {
  return (
    <div className="form-actions">
      <button
        type="submit"
        className="button button-primary"
        disabled={!dirty || pending}
        data-testid="save"
      >
        {pending ? 'Saving…' : saveLabel}
      </button>
      <button
        type="button"
        className="button"
        disabled={!dirty || pending}
        onClick={onRevert}
        data-testid="revert"
      >
        Revert
      </button>
      {dirty && !pending && <span className="form-dirty">Unsaved changes</span>}
    </div>
  );
}
