/** Percentile of already measured samples (nearest-rank), in the samples' unit. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable across the bench's processes (each
 * measures from its own time origin on the same system clock).
 */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** Milliseconds `fn` takes, measured with the monotonic clock. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(percentile(samples, 100)),
  };
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
