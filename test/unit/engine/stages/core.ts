import { promptSchema, type JsonValue, type Prompt, type User } from '../../../../src/shared/model';
import { type RunState, type StepResult } from '../../../../src/main/engine/executor';
import { type EngineUser } from '../../../../src/main/engine/ports';
import { uuid, type World } from '../fixtures';

/** Helpers for the identification / password / user_write / prompt stage tests. */

export const IDENTIFICATION_STAGE = 'authentik_stages_identification.identificationstage';
export const PASSWORD_STAGE = 'authentik_stages_password.passwordstage';
export const USER_WRITE_STAGE = 'authentik_stages_user_write.userwritestage';
export const PROMPT_STAGE = 'authentik_stages_prompt.promptstage';
export const USER_LOGIN_STAGE = 'authentik_stages_user_login.userloginstage';
export const CAPTCHA_STAGE = 'authentik_stages_captcha.captchastage';
export const INBUILT = 'authentik.core.auth.InbuiltBackend';

let counter = 70_000;

/** A prompt (validated by the shared schema) stored in the world. */
export function prompt(world: World, input: Partial<Prompt> & Pick<Prompt, 'field_key' | 'type'>): Prompt {
  const n = (counter += 1);
  const created = promptSchema.parse({ pk: uuid(n), name: `prompt-${n}`, label: input.field_key, ...input });
  world.ws.put('prompt', created);
  return created;
}

/** A user with a (plain, in-memory) password. */
export function userWithPassword(world: World, input: Partial<User>, password: string): EngineUser {
  const user = world.user(input);
  world.ws.setPassword(user.pk as number, password);
  return world.reload(user);
}

/** The plan context of the session after a step (the live plan). */
export function planContext(state: RunState): Record<string, JsonValue> {
  if (!state.plan) throw new Error('the run has no plan');
  return state.plan.context;
}

/** `response_errors` of a step's challenge. */
export function errorsOf(result: StepResult): Record<string, { string: string; code: string }[]> {
  return (result.response?.response_errors ?? {}) as Record<string, { string: string; code: string }[]>;
}

/** The trace's log lines of a step. */
export function logLines(result: StepResult): string[] {
  return result.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
}
