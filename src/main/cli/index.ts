import { processIo } from './io';
import { runCli } from './run';

// The `flowbench` binary (bin/flowbench.cjs loads the built copy of this file).
void runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
