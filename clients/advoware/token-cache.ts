import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export interface TokenCacheOptions {
  /** Redis key of the cached token, shared by every worker and the gateway. */
  key: string;
  ttlSeconds: number;
  /** How long one process may hold the refresh lock before others take over (a crashed refresher). */
  lockMs?: number;
  /** How often a process that lost the lock looks for the winner's token. */
  pollMs?: number;
}

// Delete only if the value is still ours/the stale one: never remove a newer token or another's lock.
const COMPARE_AND_DELETE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * An access token cached in Redis for all processes. Concurrent misses — in this
 * process or in others — cause one token request: in-process callers share one
 * promise, across processes a Redis lock (SET NX PX) elects the fetcher and the
 * others wait for its result.
 */
export class SharedTokenCache {
  private inflight?: Promise<string>;
  private readonly lockKey: string;
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly fetchToken: () => Promise<string>,
    private readonly options: TokenCacheOptions,
  ) {
    this.lockKey = `${options.key}:refresh-lock`;
    this.lockMs = options.lockMs ?? 15_000;
    this.pollMs = options.pollMs ?? 25;
  }

  /** The cached token, fetching one when there is none. */
  async get(): Promise<string> {
    const cached = await this.redis.get(this.options.key);
    if (cached) return cached;
    return this.singleFlight();
  }

  /**
   * Called after the API rejected `staleToken` (401). Drops it unless another
   * process already replaced it, then returns a token that is not `staleToken`.
   */
  async refresh(staleToken: string): Promise<string> {
    await this.redis.eval(COMPARE_AND_DELETE, 1, this.options.key, staleToken);
    return this.get();
  }

  private singleFlight(): Promise<string> {
    this.inflight ??= this.fetchUnderLock().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchUnderLock(): Promise<string> {
    const owner = randomUUID();
    for (;;) {
      const acquired = await this.redis.set(this.lockKey, owner, 'PX', this.lockMs, 'NX');
      if (acquired === 'OK') {
        try {
          // Another process may have stored a token between our miss and our lock.
          const cached = await this.redis.get(this.options.key);
          if (cached) return cached;
          const token = await this.fetchToken();
          await this.redis.set(this.options.key, token, 'EX', this.options.ttlSeconds);
          return token;
        } finally {
          await this.redis.eval(COMPARE_AND_DELETE, 1, this.lockKey, owner);
        }
      }
      const token = await this.waitForOtherFetcher();
      if (token) return token;
    }
  }

  /** The token another process is fetching, or undefined when its lock ended without one. */
  private async waitForOtherFetcher(): Promise<string | undefined> {
    for (;;) {
      await sleep(this.pollMs);
      const [token, lockHeld] = await Promise.all([this.redis.get(this.options.key), this.redis.exists(this.lockKey)]);
      if (token) return token;
      if (!lockHeld) return undefined;
    }
  }
}
