import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CallActivities } from '../../activities/calls';

/** Read once per run; recorded in history. */
export const { callSettings } = proxyLocalActivities<CallActivities>({ startToCloseTimeout: '5 seconds' });

/**
 * Reads (EspoCRM, 3CX status and recording), the hand-over to `call/<id>` (the workflow folds duplicates) and the
 * caller index's last contact: repeat-safe, so local activities inside the workflow task that needs them.
 */
type RepeatSafe = Pick<
  CallActivities,
  'espoFindCallLog' | 'espoGetCallParty' | 'threecxCallStatus' | 'threecxRecording' | 'handOverCallEvent' | 'recordCallContact'
>;

/**
 * Must not repeat once they landed: the Call and Task POSTs (a retry finds the record by its 3CX id first), the
 * Call PUT, and dialling (the phone would ring twice). Regular activities: the server records each completion.
 */
type LandOnce = Pick<CallActivities, 'espoCreateCall' | 'espoUpdateCall' | 'espoCreateTask'>;
type Dial = Pick<CallActivities, 'threecxInitiateCall'>;

export type CallCalls = RepeatSafe & LandOnce & Dial;

/**
 * A call's record must land eventually (the call happened): retried with backoff up to a few minutes apart, for an
 * hour. Permanent failures (400, 403, an unconfigured 3CX) are not retried (clients/errors.ts classifies them);
 * a 429 waits what 3CX's Retry-After says (the failure's next retry delay), never a backoff of our own.
 */
const writeRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 40 };
/** Dialling again after a time-out may ring twice, so few attempts: enough for a 429's wait and a blip. */
const dialRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 6 };
const readRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 };

export function callCalls(callTimeoutMs: number): CallCalls {
  // Named one by one: the proxies are Proxy objects whose functions appear only when asked for, not when spread.
  const local = proxyLocalActivities<RepeatSafe>({ startToCloseTimeout: callTimeoutMs, retry: readRetry });
  const landOnce = proxyActivities<LandOnce>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry: writeRetry });
  return {
    espoFindCallLog: local.espoFindCallLog,
    espoGetCallParty: local.espoGetCallParty,
    threecxCallStatus: local.threecxCallStatus,
    threecxRecording: local.threecxRecording,
    handOverCallEvent: local.handOverCallEvent,
    recordCallContact: local.recordCallContact,
    espoCreateCall: landOnce.espoCreateCall,
    espoUpdateCall: landOnce.espoUpdateCall,
    espoCreateTask: landOnce.espoCreateTask,
    threecxInitiateCall: proxyActivities<Dial>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry: dialRetry })
      .threecxInitiateCall,
  };
}
