import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** A usage error: the CLI prints it with the command's help and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parse a command's argv with node:util, then validate the values with zod so every CLI
 * flag crosses the same kind of boundary check as IPC and HTTP input.
 */
export function parseCommandArgs<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  allowPositionals = false,
): z.output<S> & { positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const first = result.error.issues[0];
    const flag = first?.path.length ? `--${first.path.join('.')}` : 'arguments';
    throw new UsageError(`${flag}: ${first?.message ?? 'invalid value'}`);
  }
  return Object.assign(result.data as object, { positionals: parsed.positionals }) as z.output<S> & {
    positionals: string[];
  };
}

/** `--port 0..65535` arrives as a string from argv. */
export const portFlag = z.coerce.number().int().min(0).max(65535);
