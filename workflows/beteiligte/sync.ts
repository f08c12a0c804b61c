import { continueAsNew, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { backoffFor } from '../../domain/beteiligte/status';
import { syncProgressQuery } from '../../contracts/sync-progress';
import type { HubStatus } from '../../contracts/hub-status';
import { beteiligteSyncSettings, statusCalls, syncCalls, updatePartyLookups, type SyncCalls } from './activities';
import { CallCounter } from './call-counter';
import {
  type BeteiligteSyncInput,
  type BeteiligteSyncResult,
  type BeteiligteSyncSettings,
  type LoadedBeteiligte,
  type RunOutcome,
  type StoredBeteiligte,
} from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { beteiligteAfterRun, beteiligteEntries, type CallerIndexEntry } from '../../domain/caller-index/entries';
import { syncAdressen } from './adressen';
import { syncKommunikation } from './kommunikation';
import { syncStammdaten, type StammdatenStep } from './stammdaten';
import { recordFailedAttempt } from '../failed-attempt';
import { recordRun } from '../outcome';
import { FAILURE_STAYS_OPEN, SyncRequests } from '../sync-requests';

/** `patched` marker: runs from before it replay without the Kommunikation step and the run's merged final write. */
const KOMMUNIKATION_STEP = 'kommunikation-step';
/** `patched` marker: runs from before it replay without the Adressen step. */
const ADRESSEN_STEP = 'adressen-step';
/** `patched` marker: runs from before it replay without updating the caller index and the AI profile cache. */
const PARTY_LOOKUPS_STEP = 'party-lookups-step';

/** The result keeps the latest runs only, so a busy Beteiligte's history stays small. */
const MAX_RUNS_IN_RESULT = 20;

/**
 * `beteiligte-sync/<espoId>`: the one place a Beteiligte is synced (SPEC §5). Webhooks and the
 * sweep signal it; requests that arrive during a run are folded into one more run, so a
 * burst of webhooks costs at most two runs and two runs never overlap. A failed attempt
 * writes `failed` and waits on a durable timer (1 min … 4 h), or until a new request
 * arrives; after the last attempt it writes `permanently_failed` and notifies.
 */
export async function beteiligteSyncWorkflow(input: BeteiligteSyncInput): Promise<BeteiligteSyncResult> {
  const { espoId } = input;
  const requests = new SyncRequests();
  const runs: RunOutcome[] = [];
  setHandler(syncProgressQuery, () => ({ runs: runs.slice(-MAX_RUNS_IN_RESULT), waitingFor: requests.waitingFor }));
  const settings = await beteiligteSyncSettings();
  let failedAttempts: number | undefined;

  while (requests.take()) {
    const startedAt = Date.now();
    if (requests.deleted) {
      // Advoware keeps legal records: an EspoCRM delete is recorded, never applied (SPEC §5.2.5).
      log.info('Beteiligte deleted in EspoCRM; nothing is deleted in Advoware', { espoId });
      runs.push({ decision: 'deleted_in_espocrm', fieldsChanged: [], apiCalls: 0 });
      recordRun({ entityType: ENTITY_TYPE, entityId: espoId, outcome: 'deleted_in_espocrm', startedAt });
      if (patched(PARTY_LOOKUPS_STEP)) await refreshPartyLookups(espoId, []);
      break;
    }

    const attempt = await runAttempt(espoId, settings, failedAttempts);
    runs.push(attempt.outcome);
    const { decision } = attempt.outcome;
    recordRun({
      entityType: ENTITY_TYPE,
      entityId: espoId,
      name: attempt.name,
      outcome: decision,
      ...(attempt.failure && { failure: attempt.failure }),
      conflict: decision === 'conflict',
      startedAt,
    });
    failedAttempts = attempt.failedAttempts;

    // The run's own `clean` is not to be trusted: go again now, while the edit is known (SPEC §5.6).
    if (attempt.outcome.editedDuringRun) requests.again();
    // Durable timer, cut short by a new request (e.g. the user fixed the data).
    if (decision === 'failed') await requests.retryAfter(backoffFor(attempt.failedAttempts - 1, settings));
    // Open while failing, so the failure query lists the party until the reset, an edit or an operator brings it back.
    if (decision === 'permanently_failed' && !requests.waiting && patched(FAILURE_STAYS_OPEN)) await requests.nextRequest();
    if (requests.waiting && workflowInfo().continueAsNewSuggested) await continueAsNew<typeof beteiligteSyncWorkflow>(input);
  }
  return { espoId, runs: runs.slice(-MAX_RUNS_IN_RESULT) };
}

/** `HubEntityType` of a Beteiligte, as the gateway tags its workflow. */
const ENTITY_TYPE = 'CBeteiligte';

interface AttemptResult {
  outcome: RunOutcome;
  /** Failed attempts in a row, as written to `syncRetryCount`. */
  failedAttempts: number;
  /** The party's name, once the run read it. */
  name?: string | null;
  failure?: Pick<HubStatus, 'reason' | 'attempts' | 'nextRetryAt'>;
}

async function runAttempt(espoId: string, settings: BeteiligteSyncSettings, failedSoFar: number | undefined): Promise<AttemptResult> {
  const calls = new CallCounter();
  const api = syncCalls(settings.callTimeoutMs);
  let loaded: LoadedBeteiligte | null = null;
  /** Set once this attempt created the Beteiligte in Advoware: a failure later in the run must still record it. */
  let createdBetNr: number | undefined;
  try {
    loaded = await calls.call(() => api.espoGetBeteiligte(espoId));
    if (!loaded) {
      if (patched(PARTY_LOOKUPS_STEP)) await refreshPartyLookups(espoId, []);
      return { outcome: { decision: 'missing_in_espocrm', fieldsChanged: [], apiCalls: calls.count }, failedAttempts: 0 };
    }
    const name = loaded.entity.name;
    const stammdaten = await syncStammdaten(espoId, loaded, settings, calls);
    if (stammdaten.kind === 'finished') return { outcome: { ...stammdaten.outcome, apiCalls: calls.count }, failedAttempts: 0, name };
    if (stammdaten.outcome.decision === 'create') createdBetNr = stammdaten.betNr;
    const outcome = await finishRun(espoId, loaded, stammdaten, api, calls);
    return { outcome, failedAttempts: 0, name };
  } catch (err) {
    const entity = loaded?.entity;
    // A permanently failed Beteiligte that is synced again (auto reset or a user's edit) starts over.
    const previous = entity?.syncStatus === 'permanently_failed' ? 0 : (entity?.syncRetryCount ?? failedSoFar ?? 0);
    const keep = createdBetNr === undefined ? {} : { betnr: createdBetNr };
    return recordFailure(espoId, err, previous, entity?.assignedUserId, entity?.name, calls, settings, keep);
  }
}

/**
 * The run after the Stammdaten step: the Kommunikation and Adressen steps, then one EspoCRM write with everything
 * the steps have to record, then the notifications. The write's answer tells whether a user edited during the run.
 */
async function finishRun(
  espoId: string,
  loaded: LoadedBeteiligte,
  stammdaten: Extract<StammdatenStep, { kind: 'synced' }>,
  api: SyncCalls,
  calls: CallCounter,
): Promise<RunOutcome> {
  const { entity } = loaded;
  const outcome: RunOutcome = { ...stammdaten.outcome };
  const notifications = stammdaten.notification ? [stammdaten.notification] : [];
  const patch = stammdaten.patch;
  /** What the later steps have to record; once they must write, the final write carries the status too. */
  const recorded: Partial<EspoBeteiligte> = {};
  let mustWrite = false;
  /** Per step: does EspoCRM's answer to the final write show an edit of that step's data made during the run? */
  const editedChecks: ((stored: StoredBeteiligte) => boolean)[] = [];
  /** The numbers as the run leaves them in EspoCRM, and whether the run changed them (or the name, betNr …). */
  let phoneNumberData = entity.phoneNumberData;
  let lookupsChanged = stammdaten.outcome.decision !== 'no_change';

  // Runs recorded before the Kommunikation sync replay without it.
  if (patched(KOMMUNIKATION_STEP)) {
    const kommunikation = await syncKommunikation(
      { espoId, entity, betNr: stammdaten.betNr, kommunikation: stammdaten.kommunikation, forceEspoWins: stammdaten.conflict },
      api,
      calls,
    );
    outcome.kommunikation = kommunikation.outcome;
    phoneNumberData = kommunikation.phoneNumberData;
    if (kommunikation.patch.kommunikationEspoHash !== undefined) lookupsChanged = true;
    if (kommunikation.editedDuringRun) outcome.editedDuringRun = true;
    else editedChecks.push((stored) => stored.kommunikationEspoHash !== kommunikation.espoHashAfter);
    const problem = kommunikation.problem ?? '';
    const problemChanged = problem !== (entity.syncErrorMessage ?? '');
    // Every write of the run states the message, so no write clears it by the way (and notifies again next run).
    Object.assign(recorded, kommunikation.patch, { syncErrorMessage: problem });
    // Anything to record, or a status left from a user's edit that turned out to need nothing.
    if (Object.keys(kommunikation.patch).length > 0 || problemChanged || entity.syncStatus !== 'clean') mustWrite = true;
    if (problem && problemChanged) {
      notifications.push({ userId: entity.assignedUserId, relatedId: espoId, message: `${entity.name ?? espoId}: ${problem}.` });
    }
  }

  // Runs recorded before the Adressen sync replay without it.
  if (patched(ADRESSEN_STEP)) {
    const created = stammdaten.outcome.decision === 'create';
    const adressen = await syncAdressen({ espoId, entity, betNr: stammdaten.betNr, created }, api, calls);
    outcome.adressen = adressen.outcome;
    editedChecks.push((stored) => stored.adressenEspoHash !== adressen.espoHashAfter);
    Object.assign(recorded, adressen.patch);
    if (Object.keys(adressen.patch).length > 0) mustWrite = true;
    if (adressen.notification) notifications.push(adressen.notification);
  }

  if (patch || mustWrite) {
    const written = { ...stammdaten.statusPatch, ...patch, ...recorded };
    const stored = await calls.call(() => api.espoUpdateBeteiligte(espoId, written));
    // The run's own `clean` is not to be trusted: the workflow goes again at once (SPEC §5.6).
    if (stored.currentHash !== stammdaten.writtenHash || editedChecks.some((edited) => edited(stored))) outcome.editedDuringRun = true;
  }
  for (const notification of notifications) await calls.call(() => api.espoNotify(notification));
  // A number added, a name changed, a betNr given: the next call.started finds it without a rebuild (SPEC §8).
  if (lookupsChanged && patched(PARTY_LOOKUPS_STEP)) {
    const after = beteiligteAfterRun(entity, { ...patch, betnr: stammdaten.betNr, phoneNumberData });
    await refreshPartyLookups(espoId, beteiligteEntries(after).entries);
  }
  return { ...outcome, apiCalls: calls.count };
}

/** Not an API call of the run (Redis only), so not counted; a failure is logged, the sync it follows stands. */
async function refreshPartyLookups(espoId: string, entries: CallerIndexEntry[]): Promise<void> {
  try {
    await updatePartyLookups(espoId, entries);
  } catch (err) {
    log.warn('caller index and AI profile cache not updated; the next change or npm run phone-index:rebuild mends them', {
      espoId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

async function recordFailure(
  espoId: string,
  err: unknown,
  previousFailures: number,
  assignedUserId: string | null | undefined,
  name: string | null | undefined,
  calls: CallCounter,
  settings: BeteiligteSyncSettings,
  keep: Partial<EspoBeteiligte>,
): Promise<AttemptResult> {
  const status = statusCalls(settings.callTimeoutMs);
  const failed = await recordFailedAttempt({
    err,
    previousFailures,
    policy: settings,
    subject: name ?? espoId,
    record: 'the Beteiligte',
    writeStatus: (fields) => calls.call(() => status.espoUpdateBeteiligte(espoId, { ...keep, ...fields })),
    notify: (message) => calls.call(() => status.espoNotify({ userId: assignedUserId, relatedId: espoId, message })),
    kind: 'Beteiligte',
    logContext: { espoId },
  });
  return {
    outcome: { decision: failed.decision, fieldsChanged: [], apiCalls: calls.count, error: failed.message },
    failedAttempts: failed.failedAttempts,
    name,
    failure: { reason: failed.reason, attempts: failed.failedAttempts, nextRetryAt: failed.nextAttemptAt },
  };
}
