/** Percentile of already measured samples (nearest-rank), in the samples' unit. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Milliseconds `fn` takes, measured with the monotonic clock. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface BenchRow {
  figure: string;
  value: number | string;
  unit: string;
  target?: string;
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.figure.length), 6);
  console.log(`  ${'figure'.padEnd(width)}  ${'value'.padStart(10)}  unit    target`);
  for (const r of rows) {
    console.log(`  ${r.figure.padEnd(width)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(6)}  ${r.target ?? ''}`);
  }
}

/**
 * The most timestamps (epoch ms) that fall into one half-open window [t, t + windowMs), over every t. A window
 * starting at one of the timestamps is always among the fullest, so only those are tried.
 */
export function maxInWindow(timestamps: readonly number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let max = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const limit = (sorted[start] as number) + windowMs;
    while (end < sorted.length && (sorted[end] as number) < limit) end++;
    max = Math.max(max, end - start);
  }
  return max;
}
