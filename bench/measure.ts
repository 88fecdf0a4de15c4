/** Small timing helpers shared by the benchmarks: they print figures, they assert nothing. */
export interface Figure {
  readonly name: string;
  readonly value: string;
}

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export function printSection(title: string, figures: readonly Figure[]): void {
  process.stdout.write(`\n## ${title}\n`);
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const figure of figures) process.stdout.write(`  ${figure.name.padEnd(width)}  ${figure.value}\n`);
}
