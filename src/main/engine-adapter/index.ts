import { zxcvbnEstimator } from '../engine/adapters/zxcvbn';
import {
  MemoryCache,
  MemoryConsentStore,
  MemoryDeviceStore,
  MemoryEventLog,
  MemoryFlowTokenStore,
  MemoryInvitationStore,
  MemoryOutbox,
  MemoryReputationStore,
  systemClock,
  systemRandom,
  TestCaptchaVerifier,
  unavailableExpressionRuntime,
} from '../engine/memory';
import {
  type CaptchaVerifier,
  type Clock,
  type EngineDeps,
  type ExpressionRuntime,
  type PasswordStrengthEstimator,
  type Random,
} from '../engine/ports';
import { openSandboxWorkspace, type Workspace } from '../workspace';
import { type RunEffect } from './effects';
import { ServiceWorkspaceReader } from './reader';
import { WorkspacePasswordVerifier, WorkspaceServiceWriter } from './writer';

export { applyRunEffects, type AppliedEffect, type ApplyRunEffectsResult, type EffectConflict } from './apply';
export { describeEffect, parseRunEffects, runEffectSchema, runEffectsSchema, type RunEffect, type RunEffectType, type UserPatch } from './effects';
export { ServiceWorkspaceReader } from './reader';
export { WorkspacePasswordVerifier, WorkspaceServiceWriter } from './writer';

export interface WorkspaceEngineOptions {
  /**
   * true (default): the engine works on `openSandboxWorkspace(workspace)`, an in-memory copy
   * made now — nothing a run does reaches `workspace`. false: it reads and writes `workspace`
   * itself (only for a workspace that is already a throwaway, e.g. a flow test's fixture).
   */
  sandbox?: boolean;
  /** Default: the system clock (real time; a dummy policy's wait really waits). */
  clock?: Clock;
  /** Default: the system's randomness. */
  random?: Random;
  /** Default: the runtime that fails loudly (expression policies are issue 5). */
  expressions?: ExpressionRuntime;
  /** Default: zxcvbn (`@zxcvbn-ts`); null = none (a policy with `check_zxcvbn` fails loudly). */
  passwordStrength?: PasswordStrengthEstimator | null;
  /** Default: the built-in test captcha provider (tokens starting with "pass" pass). */
  captcha?: CaptchaVerifier;
}

/**
 * The engine's ports for one workspace: `EngineDeps` with the concrete types, so callers can
 * seed and inspect the in-memory parts (reputation, events, flow tokens, …).
 */
export interface WorkspaceEngine extends EngineDeps {
  workspace: ServiceWorkspaceReader;
  writer: WorkspaceServiceWriter;
  passwords: WorkspacePasswordVerifier;
  clock: Clock;
  random: Random;
  events: MemoryEventLog;
  reputation: MemoryReputationStore;
  cache: MemoryCache;
  flowTokens: MemoryFlowTokenStore;
  captcha: CaptchaVerifier;
  outbox: MemoryOutbox;
  consents: MemoryConsentStore;
  invitations: MemoryInvitationStore;
  devices: MemoryDeviceStore;
  /** The workspace the engine reads and writes: the sandbox copy, unless `sandbox: false`. */
  readonly target: Workspace;
  /** Whether `target` is a sandbox this engine opened (and closes). */
  readonly sandboxed: boolean;
  /**
   * Every workspace write the engine made so far (on `target`), as plain JSON in commit order:
   * with a sandbox, what `applyRunEffects(workspace, effects)` would write to the real workspace.
   */
  effects(): RunEffect[];
  /** Stop listening to the workspace; close the sandbox (idempotent). */
  close(): void;
}

/**
 * Engine ports over a workspace. The workspace parts (reader, writer, password checks) go
 * through the workspace's services; every other stateful port (events, reputation, caches,
 * flow tokens, …) is the in-memory one of `engine/memory`, alive as long as this object: it
 * lives for the run or the flow test (README.md).
 */
export function createWorkspaceEngine(workspace: Workspace, options: WorkspaceEngineOptions = {}): WorkspaceEngine {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const sandboxed = options.sandbox ?? true;
  const target = sandboxed ? openSandboxWorkspace(workspace, { clock: () => new Date(clock.now()) }) : workspace;
  const reader = new ServiceWorkspaceReader(target);
  const writer = new WorkspaceServiceWriter(target);
  return {
    workspace: reader,
    writer,
    passwords: new WorkspacePasswordVerifier(target),
    clock,
    random,
    events: new MemoryEventLog(clock, random),
    reputation: new MemoryReputationStore(clock),
    expressions: options.expressions ?? unavailableExpressionRuntime,
    cache: new MemoryCache(clock),
    passwordStrength: options.passwordStrength === undefined ? zxcvbnEstimator : options.passwordStrength,
    flowTokens: new MemoryFlowTokenStore(clock),
    captcha: options.captcha ?? new TestCaptchaVerifier(),
    outbox: new MemoryOutbox(clock, random),
    consents: new MemoryConsentStore(clock, random),
    invitations: new MemoryInvitationStore(clock),
    devices: new MemoryDeviceStore(clock),
    target,
    sandboxed,
    effects: () => writer.effects(),
    close() {
      reader.dispose();
      if (sandboxed) target.close();
    },
  };
}
