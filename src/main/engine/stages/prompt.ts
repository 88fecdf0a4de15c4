import { z } from 'zod';
import { type JsonValue, type Policy, type Prompt } from '@shared/model';
import { promptStage } from '@shared/model/stages';
import { PLAN_CONTEXT_PROMPT } from '../context-keys';
import { NON_FIELD_ERRORS, type ResponseErrors } from '../executor/challenge';
import { cloneJson, isJsonObject, toJson } from '../json';
import { evaluatePolicyList } from '../policy';
import { expressionHostCalls } from '../policy/kinds/expression-host';
import { type EngineUser, type ExpressionVariables } from '../ports';
import { eventUser } from '../users';
import { drfChar } from './fields';
import {
  CHOICE_TYPES,
  FIXED_TYPES,
  fieldSpec,
  parseField,
  pyEquals,
  pyStr,
  toChoice,
  type Choice,
  type FieldSpec,
} from './prompt-fields';
import { defineStage, type StageContext } from './types';

type Config = z.output<typeof promptStage.config>;

/** `prompt_data["<field_key>__choices"]` overrides a choice field's choices. */
export const CHOICES_CONTEXT_SUFFIX = '__choices';
export const PASSWORDS_DONT_MATCH = "Passwords don't match.";
export const USERNAME_TAKEN = 'Username is already taken.';
const COMPONENT = 'ak-stage-prompt';

/** The stage's prompts ordered by `order` (ties: the stage's own list order). */
export function stagePrompts(ctx: StageContext<Config>): Prompt[] {
  const prompts = ctx.config.fields.map((pk, index) => {
    const prompt = ctx.deps.workspace.promptByPk(pk);
    if (!prompt) throw new Error(`Prompt ${pk} of stage "${ctx.stage.name}" does not exist`);
    return { prompt, index };
  });
  prompts.sort((a, b) => a.prompt.order - b.prompt.order || a.index - b.index);
  return prompts.map((p) => p.prompt);
}

function promptContextOf(ctx: StageContext<Config>): Record<string, JsonValue> {
  const data = ctx.plan.context[PLAN_CONTEXT_PROMPT];
  return isJsonObject(data) ? data : {};
}

type Evaluated = { ok: true; value: JsonValue } | { ok: false };

/**
 * authentik's `PropertyMappingEvaluator(prompt, user, request, prompt_context=…)`: variables
 * `user`, `request` (user, http_request, obj = the prompt, context = {prompt_context}) and
 * `prompt_context`. An error is logged (and recorded as a `property_mapping_exception` event,
 * as authentik does); the caller then falls back to the raw text. When the build has no
 * expression runtime, the raw text is used and a log line says so.
 */
async function evaluate(ctx: StageContext<Config>, prompt: Prompt, source: string, user: EngineUser, what: string): Promise<Evaluated> {
  const promptContext = promptContextOf(ctx);
  const variables: ExpressionVariables = {
    request: {
      user,
      http_request: ctx.request,
      obj: { kind: 'prompt', pk: prompt.pk, label: prompt.name },
      context: { prompt_context: promptContext },
    },
    context: { prompt_context: promptContext },
    ak_is_sso_flow: false,
    user,
    prompt_context: promptContext,
  };
  const host = expressionHostCalls(ctx.deps, {
    user,
    http: ctx.request,
    obj: { kind: 'adhoc', pk: prompt.pk, label: prompt.name },
    context: variables.request.context,
    debug: false,
  });
  // authentik compiles property mappings under the object's name (it shows in tracebacks).
  const outcome = await ctx.deps.expressions.evaluate(source, variables, { filename: prompt.name, host });
  for (const line of outcome.logs) ctx.log(line.level, `${prompt.name}: ${line.message}`);
  if (outcome.unavailable) {
    ctx.log('warning', `failed to evaluate prompt ${what} (prompt=${prompt.name}): the expression runtime is not available in this build; using the raw text`);
    return { ok: false };
  }
  if (outcome.error !== undefined) {
    ctx.log('warning', `failed to evaluate prompt ${what} (prompt=${prompt.name}): ${outcome.error}`);
    ctx.deps.events.append({
      action: 'property_mapping_exception',
      user: eventUser(user),
      client_ip: ctx.request.ip,
      app: 'authentik.core.expression.evaluator',
      model: null,
      context: { expression: source, message: outcome.error },
    });
    return { ok: false };
  }
  return { ok: true, value: outcome.result === undefined ? null : toJson(outcome.result) };
}

/** `Prompt.get_choices`: null for non-choice types. */
async function getChoices(ctx: StageContext<Config>, prompt: Prompt, user: EngineUser): Promise<Choice[] | null> {
  if (!CHOICE_TYPES.includes(prompt.type)) return null;
  const promptContext = promptContextOf(ctx);
  let raw: JsonValue = prompt.placeholder;
  const key = prompt.field_key + CHOICES_CONTEXT_SUFFIX;
  if (Object.hasOwn(promptContext, key)) {
    raw = promptContext[key] ?? null;
  } else if (prompt.placeholder_expression) {
    const result = await evaluate(ctx, prompt, prompt.placeholder, user, 'choices');
    if (result.ok) raw = result.value;
  }
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) ctx.log('warning', `failed to get prompt choices (prompt=${prompt.name}): the list is empty`);
  return items.map(toChoice);
}

/** `Prompt.get_placeholder`: "" for choice fields (their placeholder holds the choices). */
async function getPlaceholder(ctx: StageContext<Config>, prompt: Prompt, user: EngineUser): Promise<JsonValue> {
  if (CHOICE_TYPES.includes(prompt.type)) return '';
  if (prompt.placeholder_expression) {
    const result = await evaluate(ctx, prompt, prompt.placeholder, user, 'placeholder');
    if (result.ok) return result.value;
  }
  return prompt.placeholder;
}

/**
 * `Prompt.get_initial_value`: `prompt_data[field_key]` when present (never evaluated: the user
 * controls it), else the (evaluated) initial value; a choice field's value must be one of its
 * choices (else the first; `""` without choices).
 */
async function getInitialValue(ctx: StageContext<Config>, prompt: Prompt, user: EngineUser): Promise<JsonValue> {
  const promptContext = promptContextOf(ctx);
  let value: JsonValue;
  if (Object.hasOwn(promptContext, prompt.field_key)) {
    value = promptContext[prompt.field_key] ?? null;
  } else if (prompt.initial_value_expression) {
    const result = await evaluate(ctx, prompt, prompt.initial_value, user, 'initial value');
    value = result.ok ? result.value : prompt.initial_value;
  } else {
    value = prompt.initial_value;
  }
  if (CHOICE_TYPES.includes(prompt.type)) {
    const choices = (await getChoices(ctx, prompt, user)) ?? [];
    if (choices.length === 0) return '';
    if (!choices.some((choice) => pyEquals(choice.value, value))) return choices[0]?.value ?? '';
  }
  return value;
}

/** The challenge's `choices`: strings (authentik ≤ 2025.8), or `{value, label}` when any choice is labelled (≥ 2025.10). */
function challengeChoices(choices: Choice[] | null): JsonValue {
  if (!choices || choices.length === 0) return null;
  if (choices.some((c) => c.labelled)) return choices.map((c) => ({ value: pyStr(c.value), label: pyStr(c.label) }));
  return choices.map((c) => pyStr(c.value));
}

interface PromptResponse {
  body: Record<string, JsonValue>;
  /** Set by `validate`: the validated values (DRF `validated_data`). */
  validated?: Record<string, JsonValue>;
}

const responseSchema = z.unknown().transform((value, zctx): PromptResponse => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const type = value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'string' ? 'str' : typeof value;
    zctx.addIssue({ code: 'custom', message: `Invalid data. Expected a dictionary, but got ${type}.`, params: { code: 'invalid' }, path: [] });
    return z.NEVER;
  }
  return { body: cloneJson(toJson(value) as Record<string, JsonValue>) };
});

/**
 * `authentik_stages_prompt.promptstage` (`ak-stage-prompt`, spec §5.7).
 *
 * Challenge `fields`: every prompt by `order` with `field_key, label, type, required,
 * placeholder, initial_value, order, sub_text, choices` — placeholder, initial value and
 * choices computed as authentik does (`<field_key>__choices` in `prompt_data`, expressions
 * through the ExpressionRuntime port with `user` / `request` / `prompt_context`, raw text on
 * an error), all sent as strings (`str()`).
 *
 * Response: one value per `field_key`, parsed per type with DRF's messages (text kept as typed,
 * email, integer, boolean, choice, ISO date / datetime, `data:…;base64` file; read-only, hidden
 * and static values are fixed); a username already taken → "Username is already taken."; with
 * exactly two password fields their raw values must be equal ("Passwords don't match.");
 * then the validation policies (mode all, no cache, user = pending user, `prompt_data` = the
 * validated values): failing messages become `non_field_errors`, passing ones info messages;
 * their trace goes into the run's events. Valid → merged into `context.prompt_data` (dotted
 * keys stay keys; `component` included, as authentik's serializer returns it).
 */
export const promptStageImpl = defineStage<Config, PromptResponse>({
  model: promptStage.model,
  component: COMPONENT,
  async challenge(ctx) {
    const user = ctx.pendingUser();
    const fields: JsonValue[] = [];
    for (const prompt of stagePrompts(ctx)) {
      const choices = await getChoices(ctx, prompt, user);
      const placeholder = await getPlaceholder(ctx, prompt, user);
      const initial = await getInitialValue(ctx, prompt, user);
      fields.push({
        field_key: prompt.field_key,
        label: prompt.label,
        type: prompt.type,
        required: prompt.required,
        placeholder: pyStr(placeholder),
        initial_value: pyStr(initial),
        order: prompt.order,
        sub_text: prompt.sub_text,
        choices: challengeChoices(choices),
      });
    }
    return { fields };
  },
  responseSchema: responseSchema as unknown as z.ZodType<PromptResponse>,
  async validate(ctx, response) {
    const body = response.body;
    const prompts = stagePrompts(ctx);
    const user = ctx.pendingUser();
    const errors: ResponseErrors = {};
    const attrs: Record<string, JsonValue> = {};
    const specs = new Map<string, FieldSpec>();

    // The serializer's own `component` field (a prompt with that key replaces it).
    if (!prompts.some((p) => p.field_key === 'component')) {
      const parsed = drfChar({ default: COMPONENT }).safeParse(body.component);
      if (parsed.success) attrs.component = parsed.data as string;
      else errors.component = parsed.error.issues.map((i) => ({ string: i.message, code: (i as { params?: { code?: string } }).params?.code ?? 'invalid' }));
    }

    for (const prompt of prompts) {
      const key = prompt.field_key;
      const choices = await getChoices(ctx, prompt, user);
      const current = await getInitialValue(ctx, prompt, user);
      const spec = fieldSpec(prompt, current, choices);
      specs.set(key, spec);
      const result = parseField(spec, Object.hasOwn(body, key), body[key]);
      if (result.kind === 'skip') continue;
      if (result.kind === 'error') {
        errors[key] = [result.error];
        continue;
      }
      if (prompt.type === 'username') {
        // username_field_validator: another user (not the pending one) has this username.
        const taken = ctx.deps.workspace
          .findUsers({ username: pyStr(result.value) })
          .some((other) => !(user.pk !== null && other.username === user.username));
        if (taken) {
          errors[key] = [{ string: USERNAME_TAKEN, code: 'invalid' }];
          continue;
        }
      }
      if (prompt.type === 'password') ctx.log('debug', `password_validate signal for ${key}: no receivers in Flowbench (LDAP sources are not simulated)`);
      attrs[key] = result.value;
    }
    if (Object.keys(errors).length > 0) return errors;

    // validate(): fixed fields keep their defaults.
    for (const prompt of prompts) {
      if (!FIXED_TYPES.includes(prompt.type)) continue;
      const spec = specs.get(prompt.field_key);
      attrs[prompt.field_key] = spec?.default === undefined ? '' : spec.default;
    }
    // Exactly two password fields: their submitted (raw, untrimmed) values must be equal.
    const passwords = prompts.filter((p) => p.type === 'password');
    if (passwords.length === 2) {
      const values = passwords.map((p) => {
        if (!Object.hasOwn(body, p.field_key)) throw new Error(`KeyError: '${p.field_key}' (a password field was not submitted)`);
        const value = body[p.field_key] ?? null;
        if (typeof value === 'object' && value !== null) throw new Error(`TypeError: unhashable type: '${Array.isArray(value) ? 'list' : 'dict'}'`);
        return value;
      });
      if (!pyEquals(values[0], values[1])) {
        return { [NON_FIELD_ERRORS]: [{ string: PASSWORDS_DONT_MATCH, code: 'invalid' }] };
      }
    }
    // Validation policies (authentik's ListPolicyEngine).
    const policies: Policy[] = ctx.config.validation_policies.map((pk) => {
      const policy = ctx.deps.workspace.policyByPk(pk);
      if (!policy) throw new Error(`Validation policy ${pk} of stage "${ctx.stage.name}" does not exist`);
      return policy;
    });
    const evaluation = await evaluatePolicyList(ctx.deps, {
      target: { kind: 'prompt_stage', pk: ctx.stage.pk, label: `${ctx.stage.name} (validation policies)` },
      policies,
      user,
      request: ctx.request,
      context: { [PLAN_CONTEXT_PROMPT]: cloneJson(attrs) },
    });
    if (policies.length > 0) ctx.policyTrace('validation_policies', evaluation);
    if (!evaluation.passing) {
      return { [NON_FIELD_ERRORS]: evaluation.messages.map((message) => ({ string: message, code: 'invalid' })) };
    }
    for (const message of evaluation.messages) ctx.message('info', message);
    response.validated = attrs;
    return null;
  },
  onValid(ctx, response) {
    const context = ctx.plan.context;
    const current = context[PLAN_CONTEXT_PROMPT];
    const merged: Record<string, JsonValue> = isJsonObject(current) ? current : {};
    Object.assign(merged, response.validated ?? {});
    context[PLAN_CONTEXT_PROMPT] = merged;
    return ctx.ok();
  },
});
