import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './serve';

export const screenshotDir = join(repoRoot, 'test-results/screenshots');

/** Where a named screenshot goes (the folder is created on first use). */
export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name}.png`);
}
