import { condition, continueAsNew, log, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { failureMessage, isPermanentFailure } from '../../contracts/failures';
import { backoffFor, failurePatch } from '../../domain/beteiligte/status';
import { HubOutcome } from '../../contracts/search-attributes';
import { beteiligteSyncSettings, statusCalls, syncCalls, type SyncCalls } from './activities';
import { CallCounter } from './call-counter';
import {
  syncRequested,
  type BeteiligteSyncInput,
  type BeteiligteSyncResult,
  type BeteiligteSyncSettings,
  type LoadedBeteiligte,
  type RunOutcome,
} from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { syncKommunikation } from './kommunikation';
import { syncStammdaten, type StammdatenStep } from './stammdaten';

/** `patched` marker: runs from before it replay without the Kommunikation step and the run's merged final write. */
const KOMMUNIKATION_STEP = 'kommunikation-step';

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
  // A start without a signal (an operator's `temporal workflow start`) is a request too.
  let requested = true;
  let deleteRequested = false;
  setHandler(syncRequested, ({ reason }) => {
    requested = true;
    if (reason === 'delete') deleteRequested = true;
  });

  const settings = await beteiligteSyncSettings();
  const runs: RunOutcome[] = [];
  let failedAttempts: number | undefined;

  while (requested) {
    requested = false;
    if (deleteRequested) {
      // Advoware keeps legal records: an EspoCRM delete is recorded, never applied (SPEC §5.2.5).
      log.info('Beteiligte deleted in EspoCRM; nothing is deleted in Advoware', { espoId });
      runs.push({ decision: 'deleted_in_espocrm', fieldsChanged: [], apiCalls: 0 });
      recordOutcome('deleted_in_espocrm');
      break;
    }

    const attempt = await runAttempt(espoId, settings, failedAttempts);
    runs.push(attempt.outcome);
    recordOutcome(attempt.outcome.decision);
    failedAttempts = attempt.failedAttempts;

    // The run's own `clean` is not to be trusted: go again now, while the edit is known (SPEC §5.6).
    if (attempt.outcome.editedDuringRun) requested = true;
    if (attempt.outcome.decision === 'failed') {
      // Durable timer, cut short by a new request (e.g. the user fixed the data).
      await condition(() => requested, backoffFor(attempt.failedAttempts - 1, settings));
      requested = true;
    }
    if (requested && workflowInfo().continueAsNewSuggested) await continueAsNew<typeof beteiligteSyncWorkflow>(input);
  }
  return { espoId, runs: runs.slice(-MAX_RUNS_IN_RESULT) };
}

function recordOutcome(decision: RunOutcome['decision']): void {
  upsertSearchAttributes({ [HubOutcome.name]: [decision] });
}

interface AttemptResult {
  outcome: RunOutcome;
  /** Failed attempts in a row, as written to `syncRetryCount`. */
  failedAttempts: number;
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
      return { outcome: { decision: 'missing_in_espocrm', fieldsChanged: [], apiCalls: calls.count }, failedAttempts: 0 };
    }
    const stammdaten = await syncStammdaten(espoId, loaded, settings, calls);
    if (stammdaten.kind === 'finished') return { outcome: { ...stammdaten.outcome, apiCalls: calls.count }, failedAttempts: 0 };
    if (stammdaten.outcome.decision === 'create') createdBetNr = stammdaten.betNr;
    const outcome = await finishRun(espoId, loaded, stammdaten, api, calls);
    return { outcome, failedAttempts: 0 };
  } catch (err) {
    const entity = loaded?.entity;
    // A permanently failed Beteiligte that is synced again (auto reset or a user's edit) starts over.
    const previous = entity?.syncStatus === 'permanently_failed' ? 0 : (entity?.syncRetryCount ?? failedSoFar ?? 0);
    const keep = createdBetNr === undefined ? {} : { betnr: createdBetNr };
    return recordFailure(espoId, err, previous, entity?.assignedUserId, entity?.name, calls, settings, keep);
  }
}

/**
 * The run after the Stammdaten step: the Kommunikation step, then one EspoCRM write with everything the steps
 * have to record, then the notifications. The write's answer tells whether a user edited during the run.
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
  let patch = stammdaten.patch;
  let espoHashAfter: string | undefined;

  // Runs recorded before the Kommunikation sync replay without it.
  if (patched(KOMMUNIKATION_STEP)) {
    const kommunikation = await syncKommunikation(
      { espoId, entity, betNr: stammdaten.betNr, kommunikation: stammdaten.kommunikation, forceEspoWins: stammdaten.conflict },
      api,
      calls,
    );
    outcome.kommunikation = kommunikation.outcome;
    if (kommunikation.editedDuringRun) outcome.editedDuringRun = true;
    else espoHashAfter = kommunikation.espoHashAfter;
    const problem = kommunikation.problem ?? '';
    const problemChanged = problem !== (entity.syncErrorMessage ?? '');
    // Anything to record, or a status left from a user's edit that turned out to need nothing: one write.
    if (patch || Object.keys(kommunikation.patch).length > 0 || problemChanged || entity.syncStatus !== 'clean') {
      patch = { ...stammdaten.statusPatch, ...patch, ...kommunikation.patch, syncErrorMessage: problem };
    }
    if (problem && problemChanged) {
      notifications.push({ userId: entity.assignedUserId, relatedId: espoId, message: `${entity.name ?? espoId}: ${problem}.` });
    }
  }

  if (patch) {
    const written = patch;
    const stored = await calls.call(() => api.espoUpdateBeteiligte(espoId, written));
    const editedKommunikation = espoHashAfter !== undefined && stored.kommunikationEspoHash !== espoHashAfter;
    // The run's own `clean` is not to be trusted: the workflow goes again at once (SPEC §5.6).
    if (stored.currentHash !== stammdaten.writtenHash || editedKommunikation) outcome.editedDuringRun = true;
  }
  for (const notification of notifications) await calls.call(() => api.espoNotify(notification));
  return { ...outcome, apiCalls: calls.count };
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
  const message = failureMessage(err);
  // Validation errors, 403 and 404 do not heal by waiting: no slow retries for them.
  const permanent = isPermanentFailure(err);
  const patch = failurePatch({ now: new Date(), previousRetryCount: previousFailures, message, policy: settings, permanent });
  const status = statusCalls(settings.callTimeoutMs);
  await calls.call(() => status.espoUpdateBeteiligte(espoId, { ...keep, ...patch.fields }));
  if (patch.notify) {
    await calls.call(() =>
      status.espoNotify({
        userId: assignedUserId,
        relatedId: espoId,
        message: `Sync of ${name ?? espoId} to Advoware failed permanently: ${message}. The hub tries again after the automatic reset or when the Beteiligte is edited.`,
      }),
    );
  }
  log.warn('Beteiligte sync attempt failed', { espoId, permanent, status: patch.fields.syncStatus, message });
  const decision = patch.fields.syncStatus === 'permanently_failed' ? 'permanently_failed' : 'failed';
  return {
    outcome: { decision, fieldsChanged: [], apiCalls: calls.count, error: message },
    failedAttempts: patch.fields.syncRetryCount,
  };
}
