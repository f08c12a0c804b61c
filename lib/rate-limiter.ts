import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export interface RateLimiter {
  /** Resolves when one request may be sent. */
  acquire(): Promise<void>;
  /** Everyone sharing the limit waits at least `ms` more (the API said "too fast" despite the bucket). */
  backOff(ms: number): Promise<void>;
}

export interface TokenBucketOptions {
  key: string;
  /** The most calls any 60 s may see, burst included. */
  ratePerMinute: number;
  burst: number;
}

/**
 * Token bucket in Redis: one state for every process that shares `key`. Refill and take happen in one Lua
 * script, on Redis's clock (TIME), so processes with skewed clocks still share one rate. A back-off sets the
 * level below zero: the bucket must refill that debt before anyone gets a token. Back-offs do not add up: the
 * level becomes the lower of the current one and the new debt, so the workers whose calls were all rejected by
 * the same burst (each reporting it) pause once, and a short back-off never cuts a longer one short.
 *
 * KEYS[1] bucket hash {tokens, at(µs)}; ARGV: rate per µs, burst, debt in tokens (0 = take one).
 * Returns 0 when a token was taken, else the µs to wait before trying again.
 */
const SCRIPT = `
local now = redis.call('TIME')
local nowUs = tonumber(now[1]) * 1000000 + tonumber(now[2])
local ratePerUs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local debt = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or nowUs
tokens = math.min(burst, tokens + math.max(0, nowUs - at) * ratePerUs)
local wait = 0
if debt > 0 then
  tokens = math.min(tokens, -debt)
elseif tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / ratePerUs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(nowUs))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / ratePerUs / 1000) + 60000)
return wait
`;

export class RedisTokenBucket implements RateLimiter {
  private readonly ratePerUs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: TokenBucketOptions,
  ) {
    // Written so that NaN fails too: a NaN rate would reach Lua as "nan" and break every acquire.
    if (!(Number.isFinite(options.ratePerMinute) && options.ratePerMinute > 0)) {
      throw new Error(`token bucket needs a positive, finite rate per minute, got ${options.ratePerMinute}`);
    }
    if (!(Number.isFinite(options.burst) && options.burst >= 1 && options.burst < options.ratePerMinute)) {
      throw new Error(`token bucket needs a finite burst of at least 1 and below the rate per minute, got ${options.burst}`);
    }
    if (options.key === '') throw new Error('token bucket needs a key');
    // The quota is "at most N in any minute": a full bucket plus one minute of refill must stay within N,
    // so the refill is N minus the burst (600/min, burst 7 → 593 per minute plus the 7 saved up).
    this.ratePerUs = (options.ratePerMinute - options.burst) / 60_000_000;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const waitUs = Number(await this.redis.eval(SCRIPT, 1, this.options.key, this.ratePerUs, this.options.burst, 0));
      if (waitUs === 0) return;
      // A little jitter, so processes woken together do not all hit Redis in the same millisecond.
      await sleep(Math.ceil(waitUs / 1000) + Math.floor(Math.random() * 5));
    }
  }

  async backOff(ms: number): Promise<void> {
    // NaN (e.g. an unparsable Retry-After turned into a number) must not reach Lua; Infinity would stop everyone for good.
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    await this.redis.eval(SCRIPT, 1, this.options.key, this.ratePerUs, this.options.burst, ms * 1000 * this.ratePerUs);
  }
}
