/**
 * Expression policies (and prompt expressions) in real Python: see README.md. The engine only
 * sees the `ExpressionRuntime` port; composition roots pick the host — the Node child process
 * for the CLI, `flowbench serve` and tests, the hidden sandboxed renderer in the desktop app.
 */
import { nodeExpressionHostFactory, type NodeHostOptions } from './node-host/factory';
import { PyodideExpressionRuntime, type PyodideRuntimeOptions } from './runtime';

export { type ExpressionHostFactory, type HostConnection, type HostListener } from './host';
export { childArgs, defaultNodeHostPaths, nodeExpressionHostFactory, type NodeHostOptions } from './node-host/factory';
export { PyodideExpressionRuntime, type PyodideRuntimeOptions, type RuntimeStatus } from './runtime';

/** The runtime over the Node child host (loads Python on its first evaluation or `warmUp()`). */
export function createNodeExpressionRuntime(options: Omit<PyodideRuntimeOptions, 'factory'> & { host?: NodeHostOptions } = {}): PyodideExpressionRuntime {
  const { host, ...rest } = options;
  return new PyodideExpressionRuntime({ ...rest, factory: nodeExpressionHostFactory(host) });
}
