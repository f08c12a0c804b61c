import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BankverbindungenActivities } from '../../activities/bankverbindungen';
import type { SettingsActivities } from '../../activities/settings';
import type { SweepActivities } from '../../activities/sweep';

/** Read once per workflow run; recorded in history. */
export const { bankverbindungenSyncSettings } = proxyLocalActivities<SettingsActivities>({ startToCloseTimeout: '5 seconds' });

/**
 * Reads, the EspoCRM status write and the party's sync request (a second signal folds into the same run): local
 * activities, run inside the workflow task that needs them; after a worker crash they simply run again.
 */
type RepeatSafe = Pick<
  BankverbindungenActivities,
  'espoGetBankverbindung' | 'espoGetParty' | 'espoUpdateBankverbindung' | 'advowareListBankverbindungen' | 'requestPartySync'
>;

/**
 * Must not repeat once they landed: the POST (a second entry, never deletable), the PUT (a second rowId) and the
 * notification (a second message). Regular activities: the server records each completion at once.
 */
type LandOnce = Pick<BankverbindungenActivities, 'advowareCreateBankverbindung' | 'advowareUpdateBankverbindung' | 'espoNotifyBankverbindung'>;

export type BankverbindungCalls = RepeatSafe & LandOnce;

/** Inside one attempt a short burst rides out a blip; what still fails goes to the status machine's long backoff. */
const attemptRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 };
/** The final status must land (SPEC §5.6: never left without one): retried until EspoCRM answers. */
const statusRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' };

/** `forStatus`: the calls that record a failure, which must not give up. */
export function bankverbindungCalls(callTimeoutMs: number, forStatus = false): BankverbindungCalls {
  const retry = forStatus ? statusRetry : attemptRetry;
  // Named one by one: the proxies are Proxy objects whose functions appear only when asked for, not when spread.
  const local = proxyLocalActivities<RepeatSafe>({ startToCloseTimeout: callTimeoutMs, retry });
  // Heartbeats (the clients beat about once a second): a cancelled attempt stops within seconds.
  const landOnce = proxyActivities<LandOnce>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry });
  return {
    espoGetBankverbindung: local.espoGetBankverbindung,
    espoGetParty: local.espoGetParty,
    espoUpdateBankverbindung: local.espoUpdateBankverbindung,
    advowareListBankverbindungen: local.advowareListBankverbindungen,
    requestPartySync: local.requestPartySync,
    advowareCreateBankverbindung: landOnce.advowareCreateBankverbindung,
    advowareUpdateBankverbindung: landOnce.advowareUpdateBankverbindung,
    espoNotifyBankverbindung: landOnce.espoNotifyBankverbindung,
  };
}

export const { espoListBankverbindungenSweepPage, requestBankverbindungSyncs } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
