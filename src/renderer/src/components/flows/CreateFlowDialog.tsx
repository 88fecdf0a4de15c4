import { type FormEvent, useState } from 'react';
import { type Flow } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import { authenticationOptions, designationOptions } from '../../lib/options';
import { slugify } from '../../lib/slugify';
import { useUiStore } from '../../state/ui-store';
import { Dialog } from '../common/Dialog';
import { DialogFooter } from '../common/DialogFooter';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextField } from '../common/TextField';

const FIELDS = ['name', 'slug', 'title', 'designation', 'authentication'];

/** New flow: the slug and title follow the name until the user edits them. */
export function CreateFlowDialog() {
  const closeDialog = useUiStore((state) => state.closeDialog);
  const select = useUiStore((state) => state.select);
  const mutation = useMutation(FIELDS, 'slug');
  const errors = mutation.problem?.fields ?? {};
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [designation, setDesignation] = useState<Flow['designation']>('authentication');
  const [authentication, setAuthentication] = useState<Flow['authentication']>('none');
  const effectiveSlug = slug ?? slugify(name);
  const effectiveTitle = title ?? name;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const flow = await mutation.run(
      (client) =>
        client.call('flows.create', {
          name,
          slug: effectiveSlug,
          title: effectiveTitle,
          designation,
          authentication,
        }),
      ['flow'],
    );
    if (!flow) return;
    select({ kind: 'flow', pk: flow.pk });
    closeDialog();
  }

  return (
    <Dialog title="New flow" onClose={closeDialog} testId="create-flow-dialog">
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body">
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
            hint={
              slug === null
                ? 'Derived from the name until you edit it.'
                : 'Letters, numbers, hyphens and underscores.'
            }
            monospace
            required
          />
          <TextField
            label="Title"
            name="title"
            value={effectiveTitle}
            onChange={setTitle}
            error={errors.title}
            hint="Shown to the person going through the flow."
          />
          <div className="field-row">
            <SelectField
              label="Designation"
              name="designation"
              value={designation}
              options={designationOptions}
              onChange={(v) => setDesignation(v as Flow['designation'])}
              error={errors.designation}
            />
            <SelectField
              label="Authentication"
              name="authentication"
              value={authentication}
              options={authenticationOptions}
              onChange={(v) => setAuthentication(v as Flow['authentication'])}
              error={errors.authentication}
            />
          </div>
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
            {mutation.pending ? 'Creating…' : 'Create flow'}
          </button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
