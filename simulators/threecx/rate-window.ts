/**
 * 3CX's per-key request limit (about 60 a minute, SPEC §8) as a sliding window: a request is admitted while
 * fewer than `limit` admitted requests of the same key lie in the last `windowMs`. Rejected requests do not count,
 * so a client that backs off as told gets through again.
 */
export class SlidingWindowLimit {
  private readonly admitted = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`rate limit must be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`rate window must be positive, got ${windowMs}`);
  }

  /** Admits one request (undefined) or says how many milliseconds until the oldest admitted one leaves the window. */
  take(key: string, now: number): number | undefined {
    const recent = (this.admitted.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.admitted.set(key, recent);
      const oldest = recent[recent.length - this.limit] ?? now;
      return oldest + this.windowMs - now;
    }
    recent.push(now);
    this.admitted.set(key, recent);
    return undefined;
  }

  reset(): void {
    this.admitted.clear();
  }
}
