import { readFile, stat } from 'node:fs/promises';
import { UsageError } from './args';

const MAX_BYTES = 10 * 1024 * 1024;

/** Read blueprint files named on the command line, refusing huge ones before reading them. */
export async function readBlueprintFiles(paths: readonly string[]): Promise<{ name: string; text: string }[]> {
  if (paths.length === 0) throw new UsageError('name at least one blueprint file');
  const files: { name: string; text: string }[] = [];
  for (const path of paths) {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new UsageError(`cannot read "${path}": no such file`);
    }
    if (size > MAX_BYTES) throw new UsageError(`"${path}" is ${(size / 1048576).toFixed(1)} MiB; blueprints are limited to 10 MiB`);
    files.push({ name: path, text: await readFile(path, 'utf8') });
  }
  return files;
}
