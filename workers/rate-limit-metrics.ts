import { asyncLocalStorage } from '@temporalio/activity';
import type { ExternalSystem } from '../contracts/failures';
import type { CallScope, CallScopeProvider } from '../lib/call-scope';
import type { RateLimitWaitObserver } from '../lib/rate-limiter';

/** Metric names, exported as written (see workers/metrics.ts). */
export const RATE_LIMIT_WAIT = 'hub_rate_limit_wait_seconds';
export const RATE_LIMIT_QUOTA = 'hub_rate_limit_quota_per_minute';

/**
 * `provider`'s call scope plus a report of every grant of `system`'s shared rate limit (Google's and 3CX's buckets,
 * lib/rate-limiter.ts): how long the call waited for it, by the activity that asked, and the configured quota, so
 * the dashboard shows grants per minute against the quota. Outside an activity nothing is recorded.
 */
export function reportingRateLimitWaits(
  provider: CallScopeProvider,
  system: ExternalSystem,
  quotaPerMinute: number,
): () => CallScope & RateLimitWaitObserver {
  return () => ({
    ...provider(),
    onRateLimitWait: (waitedMs) => {
      const meter = asyncLocalStorage.getStore()?.metricMeter;
      if (!meter) return;
      meter
        .createHistogram(RATE_LIMIT_WAIT, 'float', 's', 'Time a call waited for its rate-limit grant, by system')
        .record(waitedMs / 1000, { system });
      meter.createGauge(RATE_LIMIT_QUOTA, 'int', undefined, 'Configured rate limit (grants per minute), by system').set(quotaPerMinute, { system });
    },
  });
}
