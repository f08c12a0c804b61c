import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BeteiligteActivities } from '../../activities/beteiligte';
import type { SettingsActivities } from '../../activities/settings';

/** Read once per workflow run; recorded in history. */
export const { beteiligteSyncSettings } = proxyLocalActivities<SettingsActivities>({
  startToCloseTimeout: '5 seconds',
});

/**
 * Calls inside one sync attempt: a short burst of retries rides out a blip (5xx, 429,
 * time-out); what still fails ends the attempt, and the workflow's status machine takes
 * over with its long backoff (1 min … 4 h). 400/403/404 are non-retryable by type.
 */
export function syncCalls(callTimeoutMs: number) {
  return proxyActivities<BeteiligteActivities>({
    startToCloseTimeout: callTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
  });
}

/**
 * Writing the final status must not give up: an entity may never stay without one
 * (SPEC §5.6), so these retry until EspoCRM answers again.
 */
export function statusCalls(callTimeoutMs: number) {
  return proxyActivities<BeteiligteActivities>({
    startToCloseTimeout: callTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
}
