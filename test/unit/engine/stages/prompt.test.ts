import { describe, expect, it } from 'vitest';
import { type JsonValue, type Prompt } from '../../../../src/shared/model';
import { respond, startRun, type StepResult } from '../../../../src/main/engine/executor';
import { type MemoryEngineOptions } from '../../../../src/main/engine/memory';
import { userRef } from '../../../../src/main/engine/users';
import { PASSWORD, request, World } from '../fixtures';
import { bindStage, DUMMY_STAGE, expectStatus, scripted } from '../executor/helpers';
import { errorsOf, logLines, prompt, PROMPT_STAGE } from './core';
import { lastContext } from './helpers';

type PromptInput = Partial<Prompt> & Pick<Prompt, 'field_key' | 'type'>;

function promptWorld(prompts: PromptInput[], options: MemoryEngineOptions & { policies?: (world: World) => string[] } = {}) {
  const { policies, ...engineOptions } = options;
  const world = new World(engineOptions);
  const created = prompts.map((p) => prompt(world, p));
  const flow = world.flow({ designation: 'enrollment' });
  const { stage } = bindStage(world, flow, 0, {
    name: 'prompt',
    kind: PROMPT_STAGE,
    config: { fields: created.map((p) => p.pk), validation_policies: policies ? policies(world) : [] },
  });
  bindStage(world, flow, 1, { name: 'after', kind: DUMMY_STAGE });
  const start = (context: Record<string, JsonValue> = {}) => startRun(world.engine, { flow: flow.slug, request: request(), context });
  return { world, flow, stage, prompts: created, start };
}

/** Submit `body` to a fresh run; the validated prompt_data, or the errors. */
async function submit(prompts: PromptInput[], body: Record<string, JsonValue>, context: Record<string, JsonValue> = {}) {
  const { world, start } = promptWorld(prompts);
  const first = await start(context);
  const result = await respond(world.engine, first.state, body);
  return { result, data: result.status === 'challenge' && result.response?.component === 'ak-stage-dummy' ? lastContext(result.state).prompt_data : undefined };
}

function fieldsOf(result: StepResult): Record<string, unknown>[] {
  return (result.response?.fields ?? []) as Record<string, unknown>[];
}

describe('prompt — challenge', () => {
  it('fields by order, with authentik\'s keys; placeholder/initial value as strings; choices only for choice types', async () => {
    const { start } = promptWorld([
      { field_key: 'email', type: 'email', order: 20, label: 'Email', placeholder: 'you@example.org', sub_text: 'We never share it' },
      { field_key: 'username', type: 'username', order: 10, label: 'Username', initial_value: 'guest' },
      { field_key: 'colour', type: 'dropdown', order: 30, label: 'Colour', placeholder: 'red', required: false },
    ]);
    const result = expectStatus(await start(), 'challenge', 'ak-stage-prompt');
    expect(fieldsOf(result)).toEqual([
      { field_key: 'username', label: 'Username', type: 'username', required: true, placeholder: '', initial_value: 'guest', order: 10, sub_text: '', choices: null },
      { field_key: 'email', label: 'Email', type: 'email', required: true, placeholder: 'you@example.org', initial_value: '', order: 20, sub_text: 'We never share it', choices: null },
      // A choice field's placeholder holds its choices; a scalar is one choice; the initial value becomes a valid choice.
      { field_key: 'colour', label: 'Colour', type: 'dropdown', required: false, placeholder: '', initial_value: 'red', order: 30, sub_text: '', choices: ['red'] },
    ]);
  });

  it('choices from <field_key>__choices in prompt_data; prompt_data pre-fills initial values (never evaluated)', async () => {
    const { start } = promptWorld([
      { field_key: 'plan', type: 'radio-button-group', placeholder: 'ignored' },
      { field_key: 'nick', type: 'text', initial_value: 'from prompt', initial_value_expression: true },
    ]);
    const result = await start({ prompt_data: { plan__choices: ['free', 'pro', 3], plan: 'pro', nick: 'kept' } });
    expect(fieldsOf(result)).toMatchObject([
      { field_key: 'plan', choices: ['free', 'pro', '3'], initial_value: 'pro' },
      { field_key: 'nick', initial_value: 'kept' },
    ]);
    const invalid = await start({ prompt_data: { plan__choices: ['free', 'pro'], plan: 'gold' } });
    expect(fieldsOf(invalid)[0]).toMatchObject({ initial_value: 'free' });
    const empty = await start({ prompt_data: { plan__choices: [] } });
    expect(fieldsOf(empty)[0]).toMatchObject({ initial_value: '', choices: null });
  });

  it('{label, value} choices (authentik ≥ 2025.10) are sent as objects; the value is what must be submitted', async () => {
    const { world, start } = promptWorld([{ field_key: 'tier', type: 'dropdown' }]);
    const first = await start({ prompt_data: { tier__choices: [{ label: 'Free plan', value: 'free' }, { label: 'Pro plan', value: 'pro' }] } });
    expect(fieldsOf(first)[0]).toMatchObject({
      choices: [
        { value: 'free', label: 'Free plan' },
        { value: 'pro', label: 'Pro plan' },
      ],
      initial_value: 'free',
    });
    expect(errorsOf(await respond(world.engine, first.state, { tier: 'Pro plan' }))).toEqual({ tier: [{ string: '"Pro plan" is not a valid choice.', code: 'invalid_choice' }] });
    const done = await respond(world.engine, first.state, { tier: 'pro' });
    expect(lastContext(done.state).prompt_data).toMatchObject({ tier: 'pro' });
  });

  it('expressions run through the ExpressionRuntime with user, request and prompt_context', async () => {
    const runtime = scripted({
      'return user.username': (v) => ({ result: `hello ${v.user?.username}` }),
      "return ['a', 'b']": () => ({ result: ['a', 'b'] }),
      'return prompt_context["x"]': (v) => ({ result: (v.prompt_context as Record<string, JsonValue>).x ?? null }),
    });
    const { world, start } = promptWorld(
      [
        { field_key: 'greeting', type: 'text', placeholder: 'return user.username', placeholder_expression: true },
        { field_key: 'pick', type: 'dropdown', placeholder: "return ['a', 'b']", placeholder_expression: true },
        { field_key: 'echo', type: 'text', initial_value: 'return prompt_context["x"]', initial_value_expression: true },
      ],
      { expressions: runtime },
    );
    const alice = world.user({ username: 'alice' });
    const result = await start({ pending_user: userRef(alice), prompt_data: { x: 42 } });
    expect(fieldsOf(result)).toMatchObject([
      { field_key: 'greeting', placeholder: 'hello alice' },
      { field_key: 'pick', placeholder: '', choices: ['a', 'b'], initial_value: 'a' },
      { field_key: 'echo', initial_value: '42' },
    ]);
    const call = runtime.calls.find((c) => c.source === 'return user.username');
    expect(call?.variables).toMatchObject({ user: { username: 'alice' }, prompt_context: { x: 42 }, request: { user: { username: 'alice' }, context: { prompt_context: { x: 42 } } } });
  });

  it('an expression error: the raw text, a warning and a property_mapping_exception event; no runtime: the raw text and a log line', async () => {
    const failing = promptWorld([{ field_key: 'f', type: 'text', placeholder: 'return 1/0', placeholder_expression: true }], {
      expressions: scripted({ 'return 1/0': () => ({ error: 'division by zero' }) }),
    });
    const result = await failing.start();
    expect(fieldsOf(result)[0]).toMatchObject({ placeholder: 'return 1/0' });
    expect(logLines(result).join('\n')).toMatch(/failed to evaluate prompt placeholder .*division by zero/);
    expect(failing.world.engine.events.query({ action: 'property_mapping_exception' })[0]).toMatchObject({ context: { expression: 'return 1/0', message: 'division by zero' } });

    const offline = promptWorld([{ field_key: 'f', type: 'text', initial_value: "return 'x'", initial_value_expression: true }]);
    const raw = await offline.start();
    expect(fieldsOf(raw)[0]).toMatchObject({ initial_value: "return 'x'" });
    expect(logLines(raw).join('\n')).toMatch(/expression runtime is not available.*raw text/);
    expect(offline.world.engine.events.query()).toEqual([]);
  });

  it('a missing prompt is a flow error', async () => {
    const world = new World();
    const flow = world.flow();
    bindStage(world, flow, 0, { kind: PROMPT_STAGE, config: { fields: ['00000000-0000-4000-8000-00000000dead'] } });
    expectStatus(await startRun(world.engine, { flow: flow.slug, request: request() }), 'error', 'ak-stage-flow-error');
  });
});

describe('prompt — per-type validation', () => {
  it('text / text_area keep whitespace; blank only when not required; required fields must be sent', async () => {
    const fields: PromptInput[] = [
      { field_key: 'a', type: 'text' },
      { field_key: 'b', type: 'text_area', required: false },
    ];
    expect((await submit(fields, { a: '  spaced  ', b: '' })).data).toEqual({ component: 'ak-stage-prompt', a: '  spaced  ', b: '' });
    expect(errorsOf((await submit(fields, { a: '' })).result)).toEqual({ a: [{ string: 'This field may not be blank.', code: 'blank' }] });
    expect(errorsOf((await submit(fields, {})).result)).toEqual({ a: [{ string: 'This field is required.', code: 'required' }] });
    expect(errorsOf((await submit(fields, { a: null })).result)).toEqual({ a: [{ string: 'This field may not be null.', code: 'null' }] });
    expect(errorsOf((await submit(fields, { a: ['x'] })).result)).toEqual({ a: [{ string: 'Not a valid string.', code: 'invalid' }] });
  });

  it('email: Django\'s validator; blank allowed when not required', async () => {
    const fields: PromptInput[] = [
      { field_key: 'email', type: 'email' },
      { field_key: 'backup', type: 'email', required: false },
    ];
    expect((await submit(fields, { email: ' a.b+c@example.org ', backup: '' })).data).toMatchObject({ email: 'a.b+c@example.org', backup: '' });
    expect((await submit(fields, { email: 'root@localhost' })).data).toMatchObject({ email: 'root@localhost' });
    for (const bad of ['nope', 'a@b', 'a@@example.org', 'a b@example.org', '@example.org']) {
      expect(errorsOf((await submit(fields, { email: bad })).result)).toEqual({ email: [{ string: 'Enter a valid email address.', code: 'invalid' }] });
    }
  });

  it('number: integers (also "12" and "7.0"); anything else is "A valid integer is required."', async () => {
    const fields: PromptInput[] = [{ field_key: 'n', type: 'number' }];
    expect((await submit(fields, { n: '12' })).data).toMatchObject({ n: 12 });
    expect((await submit(fields, { n: '7.0' })).data).toMatchObject({ n: 7 });
    expect((await submit(fields, { n: -3 })).data).toMatchObject({ n: -3 });
    for (const bad of ['1.5', 'ten', '', true]) {
      expect(errorsOf((await submit(fields, { n: bad })).result)).toEqual({ n: [{ string: 'A valid integer is required.', code: 'invalid' }] });
    }
  });

  it('checkbox: never required (absent → not in prompt_data); DRF boolean spellings', async () => {
    const fields: PromptInput[] = [{ field_key: 'tos', type: 'checkbox', required: true }];
    expect((await submit(fields, {})).data).toEqual({ component: 'ak-stage-prompt' });
    expect((await submit(fields, { tos: 'yes' })).data).toMatchObject({ tos: true });
    expect((await submit(fields, { tos: 0 })).data).toMatchObject({ tos: false });
    expect(errorsOf((await submit(fields, { tos: 'maybe' })).result)).toEqual({ tos: [{ string: 'Must be a valid boolean.', code: 'invalid' }] });
  });

  it('radio / dropdown: one of the choices, else "\\"x\\" is not a valid choice."; the default choice makes them optional', async () => {
    const fields: PromptInput[] = [{ field_key: 'c', type: 'radio-button-group' }];
    const ctx = { prompt_data: { c__choices: ['one', 'two', 3] } };
    expect((await submit(fields, { c: 'two' }, ctx)).data).toMatchObject({ c: 'two' });
    expect((await submit(fields, { c: '3' }, ctx)).data).toMatchObject({ c: 3 });
    expect((await submit(fields, {}, ctx)).data).toMatchObject({ c: 'one' });
    expect(errorsOf((await submit(fields, { c: 'four' }, ctx)).result)).toEqual({ c: [{ string: '"four" is not a valid choice.', code: 'invalid_choice' }] });
    // No choices at all: nothing is valid, and nothing makes the field optional.
    expect(errorsOf((await submit(fields, {}, { prompt_data: { c__choices: [] } })).result)).toEqual({ c: [{ string: 'This field is required.', code: 'required' }] });
  });

  it('date and date-time: ISO 8601 (date-times end up in UTC), DRF\'s format messages', async () => {
    const fields: PromptInput[] = [
      { field_key: 'd', type: 'date' },
      { field_key: 't', type: 'date-time' },
    ];
    expect((await submit(fields, { d: '2024-02-29', t: '2024-01-02T03:04:05+02:00' })).data).toMatchObject({ d: '2024-02-29', t: '2024-01-02T01:04:05+00:00' });
    expect((await submit(fields, { d: '2024-3-5', t: '2024-01-02 03:04' })).data).toMatchObject({ d: '2024-03-05', t: '2024-01-02T03:04:00+00:00' });
    expect((await submit(fields, { d: '20240305', t: '2024-01-02T03:04:05.5Z' })).data).toMatchObject({ d: '2024-03-05', t: '2024-01-02T03:04:05.500000+00:00' });
    expect(errorsOf((await submit(fields, { d: '2023-02-29', t: 'yesterday' })).result)).toEqual({
      d: [{ string: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.', code: 'invalid' }],
      t: [{ string: 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].', code: 'invalid' }],
    });
  });

  it('file: a data: URI with ;base64, stored as the URI; other schemes and encodings are refused', async () => {
    const fields: PromptInput[] = [{ field_key: 'avatar', type: 'file' }];
    const uri = 'data:image/png;base64,iVBORw0KGgo=';
    expect((await submit(fields, { avatar: uri })).data).toMatchObject({ avatar: uri });
    expect(errorsOf((await submit(fields, { avatar: 'https://example.org/a.png' })).result)).toEqual({ avatar: [{ string: 'Invalid scheme', code: 'invalid' }] });
    expect(errorsOf((await submit(fields, { avatar: 'data:text/plain,hello' })).result)).toEqual({ avatar: [{ string: 'Invalid encoding', code: 'invalid' }] });
    expectStatus((await submit(fields, { avatar: 'data:nocomma' })).result, 'error', 'ak-stage-flow-error');
  });

  it('hidden, static and read-only fields keep their values whatever is submitted', async () => {
    const fields: PromptInput[] = [
      { field_key: 'h', type: 'hidden', placeholder: 'hidden-value' },
      { field_key: 's', type: 'static', placeholder: 'static text' },
      { field_key: 'r', type: 'text_read_only', initial_value: 'read only' },
      { field_key: 'r2', type: 'text_area_read_only' },
    ];
    expect((await submit(fields, { h: 'forged', s: 'forged', r: 'forged', r2: 'forged' })).data).toEqual({
      component: 'ak-stage-prompt',
      h: 'hidden-value',
      s: 'static text',
      r: 'read only',
      r2: '',
    });
    // An initial value wins over the placeholder for hidden fields.
    expect((await submit([{ field_key: 'h', type: 'hidden', placeholder: 'p', initial_value: 'init' }], {})).data).toMatchObject({ h: 'init' });
  });

  it('separator is optional; ak-locale allows blank', async () => {
    expect((await submit([{ field_key: 'sep', type: 'separator' }, { field_key: 'locale', type: 'ak-locale' }], { locale: '' })).data).toEqual({
      component: 'ak-stage-prompt',
      locale: '',
    });
  });

  it('an initial value is the default: the field is no longer required', async () => {
    expect((await submit([{ field_key: 'a', type: 'text', initial_value: 'preset' }], {})).data).toMatchObject({ a: 'preset' });
  });

  it('username: "Username is already taken." (exact match), except the pending user\'s own name', async () => {
    const { world, start } = promptWorld([{ field_key: 'username', type: 'username' }]);
    const alice = world.user({ username: 'alice' });
    const first = await start();
    expect(errorsOf(await respond(world.engine, first.state, { username: 'alice' }))).toEqual({ username: [{ string: 'Username is already taken.', code: 'invalid' }] });
    expectStatus(await respond(world.engine, first.state, { username: 'Alice' }), 'challenge', 'ak-stage-dummy');
    const own = await start({ pending_user: userRef(alice) });
    expectStatus(await respond(world.engine, own.state, { username: 'alice' }), 'challenge', 'ak-stage-dummy');
  });

  it('two password fields must match (raw values, before trimming): "Passwords don\'t match." as a non-field error', async () => {
    const fields: PromptInput[] = [
      { field_key: 'password', type: 'password' },
      { field_key: 'password_repeat', type: 'password' },
    ];
    expect(errorsOf((await submit(fields, { password: 'one', password_repeat: 'two' })).result)).toEqual({
      non_field_errors: [{ string: "Passwords don't match.", code: 'invalid' }],
    });
    expect(errorsOf((await submit(fields, { password: 'same', password_repeat: 'same ' })).result)).toEqual({
      non_field_errors: [{ string: "Passwords don't match.", code: 'invalid' }],
    });
    // Password fields are CharFields: the stored value is trimmed.
    expect((await submit(fields, { password: ' same ', password_repeat: ' same ' })).data).toMatchObject({ password: 'same', password_repeat: 'same' });
    // Three password fields are not compared.
    expect((await submit([...fields, { field_key: 'third', type: 'password' }], { password: 'a', password_repeat: 'b', third: 'c' })).data).toBeDefined();
  });

  it('field errors come before the stage checks', async () => {
    const fields: PromptInput[] = [
      { field_key: 'password', type: 'password' },
      { field_key: 'password_repeat', type: 'password' },
      { field_key: 'email', type: 'email' },
    ];
    expect(errorsOf((await submit(fields, { password: 'a', password_repeat: 'b', email: 'x' })).result)).toEqual({
      email: [{ string: 'Enter a valid email address.', code: 'invalid' }],
    });
  });
});

describe('prompt — validation policies and the result', () => {
  it('a failing policy: its messages are non_field_errors; the trace is in the run\'s events', async () => {
    const { world, start, stage } = promptWorld([{ field_key: 'password', type: 'password' }], {
      passwordStrength: null,
      policies: (w) => [w.policy(PASSWORD, { length_min: 10, error_message: 'At least 10 characters.' }).pk],
    });
    const first = await start();
    const retry = await respond(world.engine, first.state, { password: 'short' });
    expect(errorsOf(retry)).toEqual({ non_field_errors: [{ string: 'At least 10 characters.', code: 'invalid' }] });
    const traced = retry.events.find((e) => e.type === 'stage_policies');
    expect(traced).toMatchObject({
      purpose: 'validation_policies',
      passing: false,
      messages: ['At least 10 characters.'],
      trace: { target: { kind: 'prompt_stage', pk: stage.pk }, mode: 'all', results: [expect.objectContaining({ passing: false })] },
    });
    const done = expectStatus(await respond(world.engine, retry.state, { password: 'long enough!' }), 'challenge', 'ak-stage-dummy');
    expect(done.events.find((e) => e.type === 'stage_policies')).toMatchObject({ passing: true });
  });

  it('policies see prompt_data = the validated values (not yet merged) and the pending user; passing messages become info messages', async () => {
    const runtime = scripted({
      check: (v) => {
        const data = v.context.prompt_data as Record<string, JsonValue>;
        return { result: data.code === 'ok' && !('earlier' in data), messages: [`seen ${String(data.code)} as ${v.request.user.username}`] };
      },
    });
    const { world, start } = promptWorld([{ field_key: 'code', type: 'text' }], { expressions: runtime, policies: (w) => [w.expression('check').pk] });
    const bob = world.user({ username: 'bob' });
    const first = await start({ pending_user: userRef(bob), prompt_data: { earlier: 1 } });
    const bad = await respond(world.engine, first.state, { code: 'nope' });
    expect(errorsOf(bad)).toEqual({ non_field_errors: [{ string: 'seen nope as bob', code: 'invalid' }] });
    const good = expectStatus(await respond(world.engine, first.state, { code: 'ok' }), 'challenge', 'ak-stage-dummy');
    expect(good.messages).toEqual([{ level: 'info', message: 'seen ok as bob' }]);
  });

  it('valid: merged into prompt_data; dotted keys stay keys; component is included', async () => {
    const { world, start } = promptWorld([
      { field_key: 'attributes.settings.locale', type: 'text' },
      { field_key: 'name', type: 'text' },
    ]);
    const first = await start({ prompt_data: { earlier: 'kept', name: 'old' } });
    const done = await respond(world.engine, first.state, { 'attributes.settings.locale': 'de', name: 'new', extra: 'ignored' });
    expect(lastContext(done.state).prompt_data).toEqual({ earlier: 'kept', name: 'new', 'attributes.settings.locale': 'de', component: 'ak-stage-prompt' });
  });

  it('a body that is not an object is refused as DRF does', async () => {
    const { world, start } = promptWorld([{ field_key: 'a', type: 'text' }]);
    const first = await start();
    expect(errorsOf(await respond(world.engine, first.state, ['a']))).toEqual({ non_field_errors: [{ string: 'Invalid data. Expected a dictionary, but got list.', code: 'invalid' }] });
  });
});
