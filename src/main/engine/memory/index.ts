import { unavailableExpressionRuntime } from '../policy/kinds/expression';
import {
  type EngineDeps,
  type ExpressionRuntime,
  type PasswordStrengthEstimator,
} from '../ports';
import { MemoryCache } from './cache';
import { ManualClock } from './clock';
import { MemoryEventLog } from './event-log';
import { MemoryFlowTokenStore } from './flow-tokens';
import { SeededRandom } from './random';
import { MemoryReputationStore } from './reputation';
import { MemoryWorkspace, type WorkspaceSnapshot } from './workspace';

export { MemoryCache, nullCache } from './cache';
export { ManualClock, systemClock, type ManualClockOptions } from './clock';
export { MemoryEventLog } from './event-log';
export { MemoryFlowTokenStore } from './flow-tokens';
export { ScriptedExpressionRuntime, unavailableExpressionRuntime } from './expression';
export { SeededRandom, systemRandom } from './random';
export { MemoryReputationStore } from './reputation';
export { MemoryWorkspace, type WorkspaceSnapshot } from './workspace';

export interface MemoryEngine extends EngineDeps {
  workspace: MemoryWorkspace;
  writer: MemoryWorkspace;
  clock: ManualClock;
  random: SeededRandom;
  events: MemoryEventLog;
  reputation: MemoryReputationStore;
  cache: MemoryCache;
  flowTokens: MemoryFlowTokenStore;
}

export interface MemoryEngineOptions {
  snapshot?: WorkspaceSnapshot;
  /** Default 2025-01-01T00:00:00Z. */
  start?: number | string;
  /** Default true: code that sleeps completes without advancing time by hand. */
  autoAdvance?: boolean;
  seed?: number;
  expressions?: ExpressionRuntime;
  passwordStrength?: PasswordStrengthEstimator | null;
}

/**
 * Every port in memory, wired together: a sandbox for tests, previews and flow tests. The
 * expression runtime defaults to the one that fails loudly.
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
    passwordStrength: options.passwordStrength ?? null,
    flowTokens: new MemoryFlowTokenStore(clock),
  };
}
