import { Redis } from 'ioredis';

/**
 * A Redis connection that fails commands quickly while Redis is down (instead of
 * queueing them forever), so callers surface the outage: /health turns 503 and
 * activities fail with a retryable error. It reconnects on its own.
 */
export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}
