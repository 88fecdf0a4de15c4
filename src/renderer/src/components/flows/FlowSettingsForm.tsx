import { type FormEvent } from 'react';
import { type Flow } from '@shared/model';
import { useMutation } from '../../api/use-mutation';
import {
  authenticationOptions,
  deniedActionOptions,
  designationOptions,
  layoutOptions,
  policyEngineModeOptions,
} from '../../lib/options';
import { fieldProps, useDraft } from '../../lib/use-draft';
import { CheckboxField } from '../common/CheckboxField';
import { FormActions } from '../common/FormActions';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextField } from '../common/TextField';

type FlowFields = Omit<Flow, 'pk'>;
const FIELDS = [
  'name',
  'slug',
  'title',
  'designation',
  'authentication',
  'policy_engine_mode',
  'denied_action',
  'layout',
  'compatibility_mode',
  'background',
];

function fieldsOf({ pk: _pk, ...fields }: Flow): FlowFields {
  return fields;
}

/** Every editable field of a flow (spec §1.1); saves only what changed. */
export function FlowSettingsForm({ flow }: { flow: Flow }) {
  const draft = useDraft(fieldsOf(flow));
  const mutation = useMutation(FIELDS, 'slug');
  const errors = mutation.problem?.fields ?? {};
  const value = draft.value;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft.dirty) return;
    await mutation.run(
      (client) => client.call('flows.update', { pk: flow.pk, patch: draft.changes }),
      ['flow'],
    );
  }

  return (
    <form
      className="form"
      onSubmit={(event) => void save(event)}
      noValidate
      data-testid="flow-settings-form"
    >
      <ProblemMessage problem={mutation.problem} />
      <div className="form-grid">
        <TextField label="Name" {...fieldProps(draft, 'name', errors)} required />
        <TextField
          label="Slug"
          {...fieldProps(draft, 'slug', errors)}
          hint="Used in URLs: /if/flow/<slug>/"
          monospace
          required
        />
        <TextField
          label="Title"
          {...fieldProps(draft, 'title', errors)}
          hint="Shown on the flow page; %(app)s and %(user)s are substituted."
        />
        <SelectField
          label="Designation"
          {...fieldProps(draft, 'designation', errors)}
          options={designationOptions}
        />
        <SelectField
          label="Authentication"
          {...fieldProps(draft, 'authentication', errors)}
          options={authenticationOptions}
          hint="Checked before the flow is planned."
        />
        <SelectField
          label="Policy engine mode"
          {...fieldProps(draft, 'policy_engine_mode', errors)}
          options={policyEngineModeOptions}
        />
        <SelectField
          label="Denied action"
          {...fieldProps(draft, 'denied_action', errors)}
          options={deniedActionOptions}
          hint="What happens when the flow does not apply to the user."
        />
        <SelectField
          label="Layout"
          {...fieldProps(draft, 'layout', errors)}
          options={layoutOptions}
        />
        <TextField
          label="Background"
          {...fieldProps(draft, 'background', errors)}
          placeholder="Default background"
          hint="URL or path of the background image."
        />
        <CheckboxField
          label="Compatibility mode"
          name="compatibility_mode"
          checked={value.compatibility_mode}
          onChange={(v) => draft.set('compatibility_mode', v)}
          error={errors.compatibility_mode}
          hint="Shadow-DOM polyfill for password managers (UI only)."
        />
      </div>
      <FormActions
        dirty={draft.dirty}
        pending={mutation.pending}
        onRevert={() => {
          draft.reset();
          mutation.clear();
        }}
      />
    </form>
  );
}
