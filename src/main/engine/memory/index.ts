import { zxcvbnEstimator } from '../adapters/zxcvbn';
import { unavailableExpressionRuntime } from '../policy/kinds/expression';
import {
  type AuthenticatorDevice,
  type CaptchaVerifier,
  type EngineDeps,
  type Invitation,
  type UserConsent,
  type ExpressionRuntime,
  type PasswordStrengthEstimator,
} from '../ports';
import { MemoryCache } from './cache';
import { TestCaptchaVerifier } from './captcha';
import { MemoryConsentStore } from './consents';
import { MemoryDeviceStore } from './devices';
import { MemoryInvitationStore } from './invitations';
import { MemoryOutbox } from './outbox';
import { ManualClock } from './clock';
import { MemoryEventLog } from './event-log';
import { MemoryFlowTokenStore } from './flow-tokens';
import { MemoryPasswordVerifier, type MemoryPasswordVerifierOptions } from './passwords';
import { SeededRandom } from './random';
import { MemoryReputationStore } from './reputation';
import { MemoryWorkspace, type WorkspaceSnapshot } from './workspace';

export { MemoryCache, nullCache } from './cache';
export { MemoryConsentStore } from './consents';
export { MemoryDeviceStore } from './devices';
export { MemoryInvitationStore, normalizeUuid } from './invitations';
export { MemoryOutbox } from './outbox';
export { FLOWBENCH_CAPTCHA_FAIL, FLOWBENCH_CAPTCHA_PASS, TEST_CAPTCHA_PASS_PREFIX, TestCaptchaVerifier } from './captcha';
export { MemoryPasswordVerifier, type MemoryPasswordVerifierOptions } from './passwords';
export { ManualClock, systemClock, type ManualClockOptions } from './clock';
export { MemoryEventLog } from './event-log';
export { MemoryFlowTokenStore } from './flow-tokens';
export { ScriptedExpressionRuntime, unavailableExpressionRuntime } from './expression';
export { SeededRandom, systemRandom } from './random';
export { MemoryReputationStore } from './reputation';
export { MemoryWorkspace, type SnapshotPassword, type StoredPassword, type WorkspaceSnapshot } from './workspace';

export interface MemoryEngine extends EngineDeps {
  workspace: MemoryWorkspace;
  writer: MemoryWorkspace;
  clock: ManualClock;
  random: SeededRandom;
  events: MemoryEventLog;
  reputation: MemoryReputationStore;
  cache: MemoryCache;
  flowTokens: MemoryFlowTokenStore;
  passwords: MemoryPasswordVerifier;
  captcha: CaptchaVerifier;
  outbox: MemoryOutbox;
  consents: MemoryConsentStore;
  invitations: MemoryInvitationStore;
  devices: MemoryDeviceStore;
}

export interface MemoryEngineOptions {
  snapshot?: WorkspaceSnapshot;
  /** Default 2025-01-01T00:00:00Z. */
  start?: number | string;
  /** Default true: code that sleeps completes without advancing time by hand. */
  autoAdvance?: boolean;
  seed?: number;
  expressions?: ExpressionRuntime;
  /** Default: zxcvbn through `@zxcvbn-ts` (`adapters/zxcvbn.ts`); `null` = no estimator (the policy fails loudly). */
  passwordStrength?: PasswordStrengthEstimator | null;
  /** How stored password hashes are checked (default: they never verify; plain test passwords always work). */
  verifyPasswordHash?: MemoryPasswordVerifierOptions['verifyHash'];
  /** Default: the built-in test provider (`TestCaptchaVerifier`: tokens starting with "pass" pass). */
  captcha?: CaptchaVerifier;
  /** Authenticator devices to start with (flow-test `authenticators`). */
  devices?: AuthenticatorDevice[];
  /** Invitations to start with. */
  invitations?: Invitation[];
  /** Stored consents to start with. */
  consents?: UserConsent[];
}

/**
 * Every port in memory, wired together: a sandbox for tests, previews and flow tests. The
 * expression runtime defaults to the one that fails loudly; zxcvbn is the real estimator; the
 * captcha provider is the built-in test one.
 */
export function createMemoryEngine(options: MemoryEngineOptions = {}): MemoryEngine {
  const clock = new ManualClock({ start: options.start, autoAdvance: options.autoAdvance ?? true });
  const random = new SeededRandom(options.seed ?? 1);
  const workspace = new MemoryWorkspace(options.snapshot);
  return {
    workspace,
    writer: workspace,
    clock,
    random,
    events: new MemoryEventLog(clock, random),
    reputation: new MemoryReputationStore(clock),
    expressions: options.expressions ?? unavailableExpressionRuntime,
    cache: new MemoryCache(clock),
    passwordStrength: options.passwordStrength === undefined ? zxcvbnEstimator : options.passwordStrength,
    flowTokens: new MemoryFlowTokenStore(clock),
    passwords: new MemoryPasswordVerifier(workspace, { verifyHash: options.verifyPasswordHash }),
    captcha: options.captcha ?? new TestCaptchaVerifier(),
    outbox: new MemoryOutbox(clock, random),
    consents: new MemoryConsentStore(clock, random, options.consents),
    invitations: new MemoryInvitationStore(clock, options.invitations),
    devices: new MemoryDeviceStore(clock, options.devices),
  };
}
