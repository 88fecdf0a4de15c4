import { expect } from 'vitest';
import { type Flow, type FlowStageBinding, type Stage } from '../../../../src/shared/model';
import { ScriptedExpressionRuntime } from '../../../../src/main/engine/memory';
import { type ExpressionOutcome, type ExpressionVariables } from '../../../../src/main/engine/ports';
import { type StepResult } from '../../../../src/main/engine/executor';
import { type World } from '../fixtures';

export const DUMMY_STAGE = 'authentik_stages_dummy.dummystage';
export const DENY_STAGE = 'authentik_stages_deny.denystage';
export const USER_LOGIN_STAGE = 'authentik_stages_user_login.userloginstage';
export const USER_LOGOUT_STAGE = 'authentik_stages_user_logout.userlogoutstage';
export const USER_DELETE_STAGE = 'authentik_stages_user_delete.userdeletestage';
export const REDIRECT_STAGE = 'authentik_stages_redirect.redirectstage';
export const IDENTIFICATION_STAGE = 'authentik_stages_identification.identificationstage';
export const PASSWORD_STAGE = 'authentik_stages_password.passwordstage';

/** A stage of `kind` bound to `flow` at `order`. */
export function bindStage(
  world: World,
  flow: Flow,
  order: number,
  stage: Partial<Stage> = {},
  binding: Partial<FlowStageBinding> = {},
): { stage: Stage; binding: FlowStageBinding } {
  const created = world.stage(stage);
  const bound = world.bind(flow, { order, ...binding }, created);
  return { stage: created, binding: bound };
}

/** Scripted expressions keyed by source; `toggles` lets a test flip results between requests. */
export function scripted(
  scripts: Record<string, (v: ExpressionVariables) => Partial<ExpressionOutcome> | Promise<Partial<ExpressionOutcome>>>,
): ScriptedExpressionRuntime {
  return new ScriptedExpressionRuntime(scripts);
}

export function expectStatus(result: StepResult, status: StepResult['status'], component?: string): StepResult {
  expect(result.status, JSON.stringify(result.response)).toBe(status);
  if (component !== undefined) expect(result.response?.component).toBe(component);
  return result;
}

export function eventTypes(result: StepResult): string[] {
  return result.events.map((e) => e.type);
}
