import { UsageError } from './args';
import { type Command } from './command';
import { commands as defaultCommands } from './commands';
import { type CliDeps, defaultCliDeps } from './deps';
import { type CliIo } from './io';

function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'flowbench — design, preview and test authentik flows',
    '',
    'Usage: flowbench <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command that works on a workspace takes --db FILE (default: the desktop app’s workspace).',
    'Run `flowbench <command> --help` for its options.',
  ].join('\n');
}

/** Runs one CLI invocation and resolves to its exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(
  argv: string[],
  io: CliIo,
  commands: readonly Command[] = defaultCommands,
  deps: CliDeps = defaultCliDeps,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}${command.help ? `\n\n${command.help}` : ''}`);
    return 0;
  }
  try {
    return await command.run(rest, io, deps);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`flowbench ${name}: ${error.message}\nUsage: ${command.usage}`);
      return 2;
    }
    io.err(`flowbench ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
