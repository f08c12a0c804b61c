import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { LeadActivities } from '../../activities/leads';

/** Read once per run; recorded in history. */
export const { leadSettings } = proxyLocalActivities<LeadActivities>({ startToCloseTimeout: '5 seconds' });

/**
 * Reads (the Lead by its dedup key, the party by e-mail or phone, office hours), the Lead's partial updates and the
 * caller index: the same result when repeated, so local activities inside the workflow task that needs them.
 */
type RepeatSafe = Pick<LeadActivities, 'leadFind' | 'leadFindParty' | 'leadOfficeHours' | 'leadUpdate' | 'leadIndex' | 'leadRecordFollowUp'>;

/** Must not land twice (a second Lead, a second Task): regular activities, recorded once they landed. */
type LandOnce = Pick<LeadActivities, 'leadCreate' | 'leadCreateTask'>;

export type LeadCalls = RepeatSafe & LandOnce;

/**
 * A lead must reach EspoCRM eventually (someone asked the firm for help): retried with backoff up to a few minutes
 * apart, for about an hour. Permanent failures (400, 403) are not retried (clients/errors.ts classifies them).
 */
const writeRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 40 };
const readRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 };

export function leadCalls(callTimeoutMs: number): LeadCalls {
  // Named one by one: the proxies are Proxy objects whose functions appear only when asked for, not when spread.
  const local = proxyLocalActivities<RepeatSafe>({ startToCloseTimeout: callTimeoutMs, retry: readRetry });
  const landOnce = proxyActivities<LandOnce>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry: writeRetry });
  return {
    leadFind: local.leadFind,
    leadFindParty: local.leadFindParty,
    leadOfficeHours: local.leadOfficeHours,
    leadUpdate: local.leadUpdate,
    leadIndex: local.leadIndex,
    leadRecordFollowUp: local.leadRecordFollowUp,
    leadCreate: landOnce.leadCreate,
    leadCreateTask: landOnce.leadCreateTask,
  };
}
