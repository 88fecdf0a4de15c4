import { afterAll, beforeAll, expect } from 'vitest';
import { createNodeExpressionRuntime, type PyodideExpressionRuntime, type PyodideRuntimeOptions } from '../../src/main/expressions';

/**
 * One real Python runtime (Node child host) for a test file: started in `beforeAll` (the
 * ≈2–4 s load happens once), closed in `afterAll`. Needs the built child (`npm run build`).
 */
export function useNodeExpressionRuntime(options: Omit<PyodideRuntimeOptions, 'factory'> = {}): () => PyodideExpressionRuntime {
  let runtime: PyodideExpressionRuntime | null = null;
  beforeAll(async () => {
    runtime = createNodeExpressionRuntime(options);
    const status = await runtime.warmUp();
    expect(status.state, status.lastExit ?? '').toBe('ready');
  }, 60_000);
  afterAll(() => runtime?.close());
  return () => {
    if (!runtime) throw new Error('the expression runtime is used outside the tests of its file');
    return runtime;
  };
}
