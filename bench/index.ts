import { benchBlueprints } from './blueprint.bench';
import { benchWorkspace } from './workspace.bench';
import { type Figure, printSection } from './measure';

// `npm run bench`: every benchmark, one section each. Figures only; nothing is asserted.
const sections: ReadonlyArray<readonly [string, () => Promise<Figure[]>]> = [
  ['Workspace store and server', benchWorkspace],
  ['Blueprint import (all fixtures)', benchBlueprints],
];

async function main(): Promise<void> {
  process.stdout.write(`Flowbench benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  for (const [title, run] of sections) printSection(title, await run());
}

void main();
