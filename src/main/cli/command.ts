import { type CliDeps } from './deps';
import { type CliIo } from './io';

/** One `flowbench <name>` command. `run` resolves to the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** More for `--help`: options, output, exit codes. */
  readonly help?: string;
  run(argv: string[], io: CliIo, deps: CliDeps): Promise<number>;
}
