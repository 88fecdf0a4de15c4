import { PyodideExpressionRuntime } from '../../src/main/expressions/runtime';
import { startBrowserExpressionHost } from '../support/browser-expression-host';
import { defineRedTeamSuite } from '../support/red-team-suite';

/**
 * The red-team suite against the browser host — the page and Web Worker the desktop app runs
 * in its hidden sandboxed renderer — here in Debian Chromium, standing in for Electron's
 * renderer. Same vectors, same runtime, same verdicts as the Node child host.
 */
defineRedTeamSuite(
  'expression red team — browser host (Chromium)',
  async () => {
    const host = await startBrowserExpressionHost();
    const runtime = new PyodideExpressionRuntime({ factory: host, defaultTimeoutMs: 10_000 });
    return {
      runtime,
      close: async () => {
        runtime.close();
        await host.close();
      },
    };
  },
  { recoveryTimeoutMs: 60_000, testTimeoutMs: 120_000 },
);
