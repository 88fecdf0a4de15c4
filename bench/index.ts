import { benchBlueprints } from './blueprint.bench';
import { benchEngineMatrix, benchEnginePlans } from './engine.bench';
import { benchExpressionColdStart, benchExpressionLatency, benchExpressionPlanMatrix } from './expressions.bench';
import { benchWorkspace } from './workspace.bench';
import { type Figure, printSection } from './measure';

// `npm run bench`: every benchmark, one section each. Figures only; nothing is asserted.
const sections: ReadonlyArray<readonly [string, () => Promise<Figure[]>]> = [
  ['Workspace store and server', benchWorkspace],
  ['Blueprint import (all fixtures)', benchBlueprints],
  ['Engine: uncached plans of default-authentication-flow (authentik benchmark shape)', benchEnginePlans],
  ['Engine: plan matrix, 10,000 users × every fixture flow', benchEngineMatrix],
  ['Expressions: cold start of the Python host (Node child, Pyodide)', benchExpressionColdStart],
  ['Expressions: warm evaluation latency through the ExpressionRuntime port', benchExpressionLatency],
  ['Expressions: plan matrix, 10,000 users × default-authentication-flow with a plan-time Python policy on every binding', benchExpressionPlanMatrix],
];

async function main(): Promise<void> {
  process.stdout.write(`Flowbench benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  for (const [title, run] of sections) printSection(title, await run());
}

void main();
