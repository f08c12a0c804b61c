import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CalendarActivities } from '../../activities/calendar';

/** Configuration and the Berlin date, recorded in history once per run. */
export const { calendarSettings } = proxyLocalActivities<CalendarActivities>({ startToCloseTimeout: '5 seconds' });

/** The cursor in Redis; a failure here is Redis being down, which a few retries ride out. */
export const { calendarLoadState, calendarSaveState, calendarEmployeesOldestFirst } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Advoware and Google calls of one run. Rate limits (429/403 rateLimitExceeded) and 5xx bursts are retried with
 * growing pauses (Retry-After wins when given); 400/403/404 are non-retryable by type. What still fails after
 * this ends the employee's run; the next scheduled run starts over from the last saved cursor.
 */
export function externalCalls(callTimeoutMs: number) {
  return proxyActivities<CalendarActivities>({
    startToCloseTimeout: callTimeoutMs,
    // The clients beat about once a second while a call or a rate-limit wait runs: a cancelled or timed-out
    // attempt learns it within seconds and stops, and a dead worker is noticed long before the call time-out.
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
  });
}
