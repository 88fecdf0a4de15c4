import { createNodeExpressionRuntime } from '../../../src/main/expressions';
import { defineRedTeamSuite } from '../../support/red-team-suite';

/**
 * The red-team suite against the Node child host (permission model, locked-down child).
 * Needs the built child (`npm run build`); `npm test` builds first.
 */
defineRedTeamSuite(
  'expression red team — Node child host',
  () => {
    const runtime = createNodeExpressionRuntime({ defaultTimeoutMs: 10_000 });
    return Promise.resolve({ runtime, close: () => runtime.close() });
  },
  { recoveryTimeoutMs: 30_000, testTimeoutMs: 90_000 },
);
