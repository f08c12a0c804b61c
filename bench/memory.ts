import { readFileSync } from 'node:fs';

/** One `Vm…` line of /proc/<pid>/status in MB, or NaN once the process is gone. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * The highest resident set of some processes during a stretch of work, sampled. VmHWM alone would also count
 * the start-up (a worker run from source bundles its workflows with webpack first), which is not the load.
 */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: Record<string, number>,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const rss = procStatusMb(pid, 'VmRSS');
      if (!Number.isNaN(rss)) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, rss));
    }
  }

  /** Peak RSS in MB per name. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(Object.keys(this.pids).map((name) => [name, this.peaks.get(name) ?? Number.NaN]));
  }
}
