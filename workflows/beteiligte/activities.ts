import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BeteiligteActivities } from '../../activities/beteiligte';
import type { PartyLookupActivities } from '../../activities/party-lookups';
import type { SettingsActivities } from '../../activities/settings';

/** Read once per workflow run; recorded in history. */
export const { beteiligteSyncSettings } = proxyLocalActivities<SettingsActivities>({
  startToCloseTimeout: '5 seconds',
});

/**
 * Reads, and the EspoCRM partial update (it writes the same values again if repeated): local activities. They
 * run inside the workflow task that needs them, so a run costs no round trip through the server per call; if
 * the worker dies before the task completes, they simply run again.
 */
type RepeatSafe = Pick<
  BeteiligteActivities,
  | 'espoGetBeteiligte'
  | 'advowareGetBeteiligte'
  | 'espoUpdateBeteiligte'
  | 'advowareUpdateKommunikation'
  | 'advowareListAdressen'
  | 'advowareUpdateAdresse'
>;

/**
 * Writes that must not repeat once they landed: Advoware POSTs (a second Beteiligte or entry), the Beteiligte PUT
 * (a second rowId), and notifications (a second message). Regular activities: the server records each completion
 * at once, so a worker crash after the write does not run it again (test/workflows/beteiligte-worker-crash.test.ts).
 * A Kommunikation PUT may repeat (it is local): the entry holds the same values either way, and the run hashes the
 * rowId of the answer it kept. An address PUT may repeat too: it reads the addresses and writes the same four fields.
 */
type LandOnce = Pick<
  BeteiligteActivities,
  'advowareCreateBeteiligte' | 'advowareUpdateBeteiligte' | 'advowareCreateKommunikation' | 'advowareCreateAdresse' | 'espoNotify'
>;

/**
 * Calls inside one sync attempt: a short burst of retries rides out a blip (5xx, 429, time-out); what still
 * fails ends the attempt, and the workflow's status machine takes over with its long backoff (1 min … 4 h).
 * 400/403/404 are non-retryable by type.
 */
const attemptRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 };

export type SyncCalls = RepeatSafe & LandOnce;

export function syncCalls(callTimeoutMs: number): SyncCalls {
  // Named one by one: the proxies are Proxy objects whose functions appear only when asked for, not when spread.
  const local = proxyLocalActivities<RepeatSafe>({ startToCloseTimeout: callTimeoutMs, retry: attemptRetry });
  // Heartbeats (the clients beat about once a second): a cancelled attempt stops within seconds.
  const landOnce = proxyActivities<LandOnce>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry: attemptRetry });
  return {
    espoGetBeteiligte: local.espoGetBeteiligte,
    advowareGetBeteiligte: local.advowareGetBeteiligte,
    espoUpdateBeteiligte: local.espoUpdateBeteiligte,
    advowareUpdateKommunikation: local.advowareUpdateKommunikation,
    advowareListAdressen: local.advowareListAdressen,
    advowareUpdateAdresse: local.advowareUpdateAdresse,
    advowareCreateBeteiligte: landOnce.advowareCreateBeteiligte,
    advowareUpdateBeteiligte: landOnce.advowareUpdateBeteiligte,
    advowareCreateKommunikation: landOnce.advowareCreateKommunikation,
    advowareCreateAdresse: landOnce.advowareCreateAdresse,
    espoNotify: landOnce.espoNotify,
  };
}

/**
 * Writing the final status must not give up: an entity may never stay without one (SPEC §5.6), so these
 * retry until EspoCRM answers again.
 */
const statusRetry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' };

export function statusCalls(callTimeoutMs: number): Pick<SyncCalls, 'espoUpdateBeteiligte' | 'espoNotify'> {
  const local = proxyLocalActivities<RepeatSafe>({ startToCloseTimeout: callTimeoutMs, retry: statusRetry });
  const landOnce = proxyActivities<LandOnce>({ startToCloseTimeout: callTimeoutMs, heartbeatTimeout: '10 seconds', retry: statusRetry });
  return { espoUpdateBeteiligte: local.espoUpdateBeteiligte, espoNotify: landOnce.espoNotify };
}

/**
 * Redis only (caller index, cached AI profile) and the same when repeated: local, a few quick retries. A Redis outage
 * must not fail a sync that landed in both systems; the run logs it and the next change or a rebuild mends the index.
 */
export const { updatePartyLookups } = proxyLocalActivities<PartyLookupActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});
