import { type CliIo } from './io';

/** One `flowbench <name>` command. `run` resolves to the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}
