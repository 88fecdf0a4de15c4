import { type ExpressionRuntime } from '../engine/ports';
import { createNodeExpressionRuntime } from '../expressions';

/**
 * What commands get from the composition root besides their output: injected so tests can
 * pass their own (a scripted expression runtime) without touching module state.
 */
export interface CliDeps {
  /**
   * The expression runtime for commands that evaluate policies (`policy test`, `plan`, `run`,
   * `test`, `serve`). The runtime loads Python lazily (on its first evaluation), so commands
   * that never evaluate an expression pay nothing.
   */
  expressions(): ExpressionRuntime;
}

let shared: ExpressionRuntime | null = null;

/** One Python host per CLI process, in a child process under Node's permission model. */
export const defaultCliDeps: CliDeps = {
  expressions: () => (shared ??= createNodeExpressionRuntime()),
};
