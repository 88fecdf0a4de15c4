import { afterEach } from 'vitest';
import { type EventPayload, RpcFailure } from '@shared/contract';
import {
  openWorkspace,
  type OpenWorkspaceOptions,
  type Workspace,
} from '../../../src/main/workspace';

export type Change = EventPayload<'workspace.changed'>;

export interface TestWorkspace {
  ws: Workspace;
  s: Workspace['services'];
  events: Change[];
  /** Current fake time (ISO); the clock advances one second per read. */
  now(): string;
}

const open: Workspace[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.close();
});

/** An in-memory workspace with a deterministic clock and a recorded event stream, closed after the test. */
export function testWorkspace(options: Partial<OpenWorkspaceOptions> = {}): TestWorkspace {
  let t = Date.parse('2025-03-01T12:00:00.000Z');
  const clock = () => new Date((t += 1000));
  const ws = openWorkspace({ path: ':memory:', clock, ...options });
  open.push(ws);
  const events: Change[] = [];
  ws.events.subscribe('workspace.changed', (e) => events.push(e));
  return { ws, s: ws.services, events, now: () => new Date(t).toISOString() };
}

/** The RpcFailure `fn` throws (sync or async). */
export function failure(fn: () => unknown): RpcFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof RpcFailure) return error;
    throw error;
  }
  throw new Error('expected an RpcFailure');
}

export async function failureAsync(fn: () => Promise<unknown>): Promise<RpcFailure> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof RpcFailure) return error;
    throw error;
  }
  throw new Error('expected an RpcFailure');
}

export const PASSWORD_STAGE = 'authentik_stages_password.passwordstage';
export const IDENTIFICATION_STAGE = 'authentik_stages_identification.identificationstage';
export const PROMPT_STAGE = 'authentik_stages_prompt.promptstage';
export const DUMMY_STAGE = 'authentik_stages_dummy.dummystage';
export const USER_WRITE_STAGE = 'authentik_stages_user_write.userwritestage';
export const DUMMY_POLICY = 'authentik_policies_dummy.dummypolicy';

/** A flow with three bindings (identification 10, password 20, dummy 30). */
export function loginFlow(t: TestWorkspace, slug = 'login') {
  const flow = t.s.flows.create({
    name: `Flow ${slug}`,
    slug,
    title: 'Welcome',
    designation: 'authentication',
  });
  const password = t.s.stages.create({
    name: `${slug}-password`,
    kind: PASSWORD_STAGE,
    config: { backends: ['authentik.core.auth.InbuiltBackend'] },
  });
  const identification = t.s.stages.create({
    name: `${slug}-identification`,
    kind: IDENTIFICATION_STAGE,
    config: { user_fields: ['username', 'email'] },
  });
  const dummy = t.s.stages.create({ name: `${slug}-dummy`, kind: DUMMY_STAGE, config: {} });
  const bindings = [identification, password, dummy].map((stage, i) =>
    t.s.bindings.create({ target: flow.pk, stage: stage.pk, order: (i + 1) * 10 }),
  );
  return { flow, stages: { identification, password, dummy }, bindings };
}
