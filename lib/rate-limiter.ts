import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { abortReason, keepAlive, sleep, type CallScope } from './call-scope';

/**
 * What a caller may add to its call scope to learn how long each of its requests waited for the limit (a worker's
 * rate-limit metrics, wired in workers/activities.ts), so that lib needs no metrics of its own.
 */
export interface RateLimitWaitObserver {
  /** Called once per grant, with the time from asking to the grant (0 when a token was there). */
  readonly onRateLimitWait?: (waitedMs: number) => void;
}

export interface RateLimiter {
  /**
   * How long after `acquire()` resolved its request may still be sent; a request that could not go by then (a
   * stalled process, an auth token fetched first) takes a new grant, else it could arrive in a window the limit
   * did not count it in. None when absent.
   */
  readonly grantLifetimeMs?: number;
  /**
   * Resolves when one request may be sent. While it waits it heartbeats through `scope`; when the scope's signal
   * aborts it rejects with the signal's reason and takes nothing.
   */
  acquire(scope?: CallScope & RateLimitWaitObserver): Promise<void>;
  /** Everyone sharing the limit waits at least `ms` more (the API said "too fast" despite the limit). */
  backOff(ms: number): Promise<void>;
}

export interface TokenBucketOptions {
  key: string;
  /** The most calls any window (a minute unless `windowMs` says otherwise) may see arrive, burst included. */
  ratePerMinute: number;
  /** How many calls may go at once after a quiet spell; the rest are paced at the rate. */
  burst: number;
  /** The quota's window: 60 s, like Google's per-minute quota. Tests shorten it to see whole windows quickly. */
  windowMs?: number;
  /**
   * How much later than its grant a call may arrive and still count in the right window: grants are capped per
   * window plus this, so a call granted just before a window that lands inside it cannot push the window over.
   */
  guardMs?: number;
}

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_GUARD_MS = 1_000;

/**
 * A token bucket for pacing and a log of grants for the hard cap, in Redis, so every process that shares `key`
 * shares one limit. Both live in one Lua script on Redis's clock (TIME), so processes with skewed clocks still
 * share one rate, and a grant is checked and recorded atomically.
 *
 * The bucket (KEYS[1], hash {tokens, at(µs), seq}) refills at quota/window up to `burst`: calls go out paced, in
 * bursts of at most `burst`. A back-off sets its level below zero, so it must refill that debt before anyone is
 * served. Back-offs do not add up: the level becomes the lower of the current one and the new debt, so the workers
 * whose calls were all rejected by the same burst (each reporting it) pause once, and a short back-off never cuts a
 * longer one short.
 *
 * The log (KEYS[2], sorted set of grant times in µs) keeps the quota where it is measured: at arrival. A bucket
 * bounds grants, but a call granted just before a window can land inside it (the benchmark saw 601 arrivals in a
 * minute of 600 grants). A grant is made only while fewer than `quota` grants lie in the last window + guard, so
 * any window + guard holds at most `quota` grants, and any window at most `quota` arrivals of calls that arrive
 * within `guard` of their grant.
 *
 * ARGV: bucket refill per µs, burst, debt in tokens (0 = take one), quota, window + guard in µs.
 * Returns 0 when a grant was made, else the µs to wait before trying again.
 */
const SCRIPT = `
local now = redis.call('TIME')
local nowUs = tonumber(now[1]) * 1000000 + tonumber(now[2])
local ratePerUs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local debt = tonumber(ARGV[3])
local quota = tonumber(ARGV[4])
local spanUs = tonumber(ARGV[5])
-- Lua 5.1 prints numbers with 14 digits; epoch microseconds have 16.
local function us(n) return string.format('%.0f', n) end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or nowUs
tokens = math.min(burst, tokens + math.max(0, nowUs - at) * ratePerUs)
local wait = 0
if debt > 0 then
  tokens = math.min(tokens, -debt)
else
  if tokens < 1 then
    wait = math.ceil((1 - tokens) / ratePerUs)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', us(nowUs - spanUs))
  local logged = redis.call('ZCARD', KEYS[2])
  if logged >= quota then
    -- The grant that has to leave the log before there is room for one more.
    local oldest = redis.call('ZRANGE', KEYS[2], logged - quota, logged - quota, 'WITHSCORES')
    wait = math.max(wait, math.ceil(tonumber(oldest[2]) + spanUs - nowUs) + 1)
  end
  if wait == 0 then
    tokens = tokens - 1
    local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    redis.call('ZADD', KEYS[2], us(nowUs), us(nowUs) .. '-' .. seq)
    redis.call('PEXPIRE', KEYS[2], math.ceil(spanUs / 1000))
  end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', us(nowUs))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / ratePerUs / 1000) + 60000)
return wait
`;

export class RedisTokenBucket implements RateLimiter {
  /** Half the guard: the other half is for the way from sending to Google's clock. */
  readonly grantLifetimeMs: number;
  private readonly ratePerUs: number;
  private readonly spanUs: number;
  private readonly keys: [string, string];

  constructor(
    private readonly redis: Redis,
    private readonly options: TokenBucketOptions,
  ) {
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    const guardMs = options.guardMs ?? DEFAULT_GUARD_MS;
    // Written so that NaN fails too: a NaN rate would reach Lua as "nan" and break every acquire.
    if (!(Number.isFinite(options.ratePerMinute) && options.ratePerMinute > 0)) {
      throw new Error(`token bucket needs a positive, finite rate per minute, got ${options.ratePerMinute}`);
    }
    if (!(Number.isFinite(options.burst) && options.burst >= 1 && options.burst < options.ratePerMinute)) {
      throw new Error(`token bucket needs a finite burst of at least 1 and below the rate per minute, got ${options.burst}`);
    }
    if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new Error(`token bucket needs a positive, finite window, got ${windowMs}`);
    if (!(Number.isFinite(guardMs) && guardMs >= 0)) throw new Error(`token bucket needs a finite guard of 0 or more, got ${guardMs}`);
    if (options.key === '') throw new Error('token bucket needs a key');
    // The log caps every window at the quota, so the bucket may refill at the full rate; it only spreads the calls.
    this.ratePerUs = options.ratePerMinute / (windowMs * 1000);
    this.spanUs = (windowMs + guardMs) * 1000;
    this.grantLifetimeMs = guardMs / 2;
    this.keys = [options.key, `${options.key}:grants`];
  }

  async acquire(scope: CallScope & RateLimitWaitObserver = {}): Promise<void> {
    const { signal } = scope;
    const asked = performance.now();
    let stopHeartbeats: (() => void) | undefined;
    try {
      for (;;) {
        // Checked before every try, so an aborted caller never takes a grant it will not use.
        if (signal?.aborted) throw abortReason(signal);
        const waitUs = await this.run(0);
        if (waitUs === 0) {
          scope.onRateLimitWait?.(stopHeartbeats ? performance.now() - asked : 0);
          return;
        }
        stopHeartbeats ??= keepAlive(scope);
        // A little jitter, so processes woken together do not all hit Redis in the same millisecond.
        await sleep(Math.ceil(waitUs / 1000) + Math.floor(Math.random() * 5), signal);
      }
    } finally {
      stopHeartbeats?.();
    }
  }

  async backOff(ms: number): Promise<void> {
    // NaN (e.g. an unparsable Retry-After turned into a number) must not reach Lua; Infinity would stop everyone for good.
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    await this.run(ms * 1000 * this.ratePerUs);
  }

  private async run(debt: number): Promise<number> {
    const { ratePerMinute: quota, burst } = this.options;
    return Number(await this.redis.eval(SCRIPT, 2, ...this.keys, this.ratePerUs, burst, debt, quota, this.spanUs));
  }
}
