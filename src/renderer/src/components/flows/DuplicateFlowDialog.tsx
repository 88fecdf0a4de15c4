import { type FormEvent, useState } from 'react';
import { type Flow } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { slugify } from '../../lib/slugify';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { TextField } from '../common/TextField';

/** Copy a flow with its bindings under a new name and slug. */
export function DuplicateFlowDialog({ flow }: { flow: Flow }) {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const mutation = useMutation(['name', 'slug'], 'slug');
  const errors = mutation.problem?.fields ?? {};
  const [name, setName] = useState(`${flow.name} (copy)`);
  const [slug, setSlug] = useState<string | null>(null);
  const effectiveSlug = slug ?? slugify(name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const copy = await mutation.run(
      (client) => client.call('flows.duplicate', { pk: flow.pk, name, slug: effectiveSlug }),
      ['flow', 'binding', 'policyBinding'],
    );
    if (!copy) return;
    select({ kind: 'flow', pk: copy.pk });
    closeDialog();
  }

  return (
    <Dialog title="Duplicate flow" onClose={closeDialog} testId="duplicate-flow-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body">
          <p className="muted">
            Copies <strong className="break-anywhere">{flow.name}</strong> with its stage bindings
            and policy bindings. Stages and policies are shared with the original, as in authentik.
          </p>
          <ProblemMessage problem={mutation.problem} />
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={setName}
            error={errors.name}
            autoFocus
            required
          />
          <TextField
            label="Slug"
            name="slug"
            value={effectiveSlug}
            onChange={setSlug}
            error={errors.slug}
            hint={slug === null ? 'Derived from the name until you edit it.' : undefined}
            monospace
            required
          />
        </div>
        <DialogFooter>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={mutation.pending}
            data-testid="submit"
          >
            Duplicate
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
