import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { abortReason, sleep, untilAborted } from '../../lib/call-scope';

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

/** One fetch that callers of this process share, and who is still waiting for it. */
interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  /** Waiting callers that can give up (they brought a signal). */
  abortable: number;
  /** A caller without a signal waits: the fetch must finish whatever the others do. */
  pinned: boolean;
}

/**
 * An access token cached in Redis for all processes. Concurrent misses — in this
 * process or in others — cause one token request: in-process callers share one
 * fetch, across processes a Redis lock (SET NX PX) elects the fetcher and the
 * others wait for its result.
 *
 * A caller whose signal aborts stops waiting at once. The shared fetch goes on while anyone else waits for it
 * (one cancelled activity must not fail the others), and is abandoned when the last of them gave up.
 */
export class SharedTokenCache {
  private flight?: Flight;
  private readonly lockKey: string;
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly fetchToken: (signal: AbortSignal) => Promise<string>,
    private readonly options: TokenCacheOptions,
  ) {
    this.lockKey = `${options.key}:refresh-lock`;
    this.lockMs = options.lockMs ?? 15_000;
    this.pollMs = options.pollMs ?? 25;
  }

  /** The cached token, fetching one when there is none. */
  async get(signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) throw abortReason(signal);
    const cached = await this.redis.get(this.options.key);
    if (cached) return cached;
    return this.join(signal);
  }

  /**
   * Called after the API rejected `staleToken` (401). Drops it unless another
   * process already replaced it, then returns a token that is not `staleToken`.
   */
  async refresh(staleToken: string, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) throw abortReason(signal);
    await this.redis.eval(COMPARE_AND_DELETE, 1, this.options.key, staleToken);
    return this.get(signal);
  }

  private join(signal: AbortSignal | undefined): Promise<string> {
    // Aborted while reading the cache: an abort event will not come again, so it must not join (and pin) a fetch.
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const flight = this.flight ?? this.startFlight();
    if (!signal) {
      flight.pinned = true;
      return flight.promise;
    }
    flight.abortable += 1;
    const leave = (): void => {
      flight.abortable -= 1;
      if (flight.abortable > 0 || flight.pinned) return;
      // Nobody waits any more: later callers start a fetch of their own instead of joining an abandoned one.
      if (this.flight === flight) this.flight = undefined;
      flight.controller.abort(abortReason(signal));
    };
    signal.addEventListener('abort', leave, { once: true });
    return untilAborted(flight.promise, signal).finally(() => signal.removeEventListener('abort', leave));
  }

  private startFlight(): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, abortable: 0, pinned: false, promise: this.fetchUnderLock(controller.signal) };
    this.flight = flight;
    // Every waiter may have left; the outcome still has a handler, so a late failure is not an unhandled rejection.
    flight.promise
      .catch(() => undefined)
      .finally(() => {
        if (this.flight === flight) this.flight = undefined;
      });
    return flight;
  }

  private async fetchUnderLock(signal: AbortSignal): Promise<string> {
    const owner = randomUUID();
    for (;;) {
      if (signal.aborted) throw abortReason(signal);
      const acquired = await this.redis.set(this.lockKey, owner, 'PX', this.lockMs, 'NX');
      if (acquired === 'OK') {
        try {
          // Another process may have stored a token between our miss and our lock.
          const cached = await this.redis.get(this.options.key);
          if (cached) return cached;
          const token = await this.fetchToken(signal);
          // Stored even when its waiters have just given up: it is a valid token, and the next caller needs one.
          await this.redis.set(this.options.key, token, 'EX', this.options.ttlSeconds);
          return token;
        } finally {
          await this.redis.eval(COMPARE_AND_DELETE, 1, this.lockKey, owner);
        }
      }
      const token = await this.waitForOtherFetcher(signal);
      if (token) return token;
    }
  }

  /** The token another process is fetching, or undefined when its lock ended without one. */
  private async waitForOtherFetcher(signal: AbortSignal): Promise<string | undefined> {
    for (;;) {
      await sleep(this.pollMs, signal);
      const [token, lockHeld] = await Promise.all([this.redis.get(this.options.key), this.redis.exists(this.lockKey)]);
      if (token) return token;
      if (!lockHeld) return undefined;
    }
  }
}
