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
import { useDraft } from '../../lib/use-draft';
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
        <TextField
          label="Name"
          name="name"
          value={value.name}
          onChange={(v) => draft.set('name', v)}
          error={errors.name}
          required
        />
        <TextField
          label="Slug"
          name="slug"
          value={value.slug}
          onChange={(v) => draft.set('slug', v)}
          error={errors.slug}
          hint="Used in URLs: /if/flow/<slug>/"
          monospace
          required
        />
        <TextField
          label="Title"
          name="title"
          value={value.title}
          onChange={(v) => draft.set('title', v)}
          error={errors.title}
          hint="Shown on the flow page; %(app)s and %(user)s are substituted."
        />
        <SelectField
          label="Designation"
          name="designation"
          value={value.designation}
          options={designationOptions}
          onChange={(v) => draft.set('designation', v as Flow['designation'])}
          error={errors.designation}
        />
        <SelectField
          label="Authentication"
          name="authentication"
          value={value.authentication}
          options={authenticationOptions}
          onChange={(v) => draft.set('authentication', v as Flow['authentication'])}
          error={errors.authentication}
          hint="Checked before the flow is planned."
        />
        <SelectField
          label="Policy engine mode"
          name="policy_engine_mode"
          value={value.policy_engine_mode}
          options={policyEngineModeOptions}
          onChange={(v) => draft.set('policy_engine_mode', v as Flow['policy_engine_mode'])}
          error={errors.policy_engine_mode}
        />
        <SelectField
          label="Denied action"
          name="denied_action"
          value={value.denied_action}
          options={deniedActionOptions}
          onChange={(v) => draft.set('denied_action', v as Flow['denied_action'])}
          error={errors.denied_action}
          hint="What happens when the flow does not apply to the user."
        />
        <SelectField
          label="Layout"
          name="layout"
          value={value.layout}
          options={layoutOptions}
          onChange={(v) => draft.set('layout', v as Flow['layout'])}
          error={errors.layout}
        />
        <TextField
          label="Background"
          name="background"
          value={value.background}
          onChange={(v) => draft.set('background', v)}
          error={errors.background}
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
