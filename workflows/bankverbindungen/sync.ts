import { ApplicationFailure, continueAsNew, log, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  type BankverbindungenSyncInput,
  type BankverbindungenSyncResult,
  type BankverbindungenSyncSettings,
  type BankverbindungRunOutcome,
  type EspoBankverbindung,
} from '../../contracts/bankverbindungen';
import { beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import type { HubStatus } from '../../contracts/hub-status';
import { syncProgressQuery } from '../../contracts/sync-progress';
import {
  bankverbindungHash,
  bankverbindungWrite,
  invalidPatch,
  isRecorded,
  planBankverbindung,
  syncedPatch,
} from '../../domain/bankverbindungen/plan';
import { checkAccount, maskIban } from '../../domain/bankverbindungen/validate';
import { backoffFor, truncateMessage } from '../../domain/beteiligte/status';
import { CallCounter } from '../beteiligte/call-counter';
import { recordFailedAttempt } from '../failed-attempt';
import { recordRun } from '../outcome';
import { FAILURE_STAYS_OPEN, SyncRequests } from '../sync-requests';
import { bankverbindungCalls, bankverbindungenSyncSettings, type BankverbindungCalls } from './activities';

/** The result keeps the latest runs only, so a busy account's history stays small. */
const MAX_RUNS_IN_RESULT = 20;

/**
 * `bankverbindungen-sync/<espoId>` (SPEC §5.5): an EspoCRM bank account into Advoware under its party's betNr. The same
 * loop as the Beteiligte sync: requests during a run fold into one more run, a failed attempt waits on a durable
 * timer (cut short by a new request), the status machine of SPEC §5.6 is written to the account. EspoCRM is the
 * master; an EspoCRM delete is recorded, never applied (Advoware keeps the history of bank accounts).
 */
export async function bankverbindungenSyncWorkflow(input: BankverbindungenSyncInput): Promise<BankverbindungenSyncResult> {
  const { espoId } = input;
  const requests = new SyncRequests();
  const runs: BankverbindungRunOutcome[] = [];
  setHandler(syncProgressQuery, () => ({ runs: runs.slice(-MAX_RUNS_IN_RESULT), waitingFor: requests.waitingFor }));
  const settings = await bankverbindungenSyncSettings();
  let failedAttempts: number | undefined;
  while (requests.take()) {
    const startedAt = Date.now();
    if (requests.deleted) {
      log.info('Bank account deleted in EspoCRM; nothing is deleted in Advoware', { espoId });
      runs.push({ decision: 'deleted_in_espocrm', apiCalls: 0 });
      recordRun({ entityType: ENTITY_TYPE, entityId: espoId, outcome: 'deleted_in_espocrm', startedAt });
      break;
    }
    const notes: AttemptNotes = {};
    const outcome = await runAttempt(espoId, settings, failedAttempts, notes);
    runs.push(outcome);
    recordRun({ entityType: ENTITY_TYPE, entityId: espoId, name: notes.name, outcome: outcome.decision, failure: notes.failure, startedAt });
    failedAttempts = outcome.retryCount ?? 0;
    // A user's edit (its webhook) or an operator's request cuts the wait short.
    if (outcome.decision === 'failed') await requests.retryAfter(backoffFor(failedAttempts - 1, settings));
    // Open while failing (the data must be corrected, or the attempts are used up), so the failure query lists it.
    if (WAITS_FOR_REQUEST.has(outcome.decision) && !requests.waiting && patched(FAILURE_STAYS_OPEN)) await requests.nextRequest();
    if (requests.waiting && workflowInfo().continueAsNewSuggested) await continueAsNew<typeof bankverbindungenSyncWorkflow>(input);
  }
  return { espoId, runs: runs.slice(-MAX_RUNS_IN_RESULT) };
}

/** `HubEntityType` of a bank account, as the gateway tags its workflow. */
const ENTITY_TYPE = 'CBankverbindungen';

/** Outcomes that only a user's edit, the sweep's reset or an operator mends. */
const WAITS_FOR_REQUEST: ReadonlySet<string> = new Set(['invalid', 'permanently_failed']);

/** What a run learns for the operators' view besides its outcome. */
interface AttemptNotes {
  name?: string | null;
  failure?: Pick<HubStatus, 'reason' | 'attempts' | 'nextRetryAt'>;
}

async function runAttempt(
  espoId: string,
  settings: BankverbindungenSyncSettings,
  failedSoFar: number | undefined,
  notes: AttemptNotes,
): Promise<BankverbindungRunOutcome> {
  const calls = new CallCounter();
  const api = bankverbindungCalls(settings.callTimeoutMs);
  let entity: EspoBankverbindung | null = null;
  try {
    entity = await calls.call(() => api.espoGetBankverbindung(espoId));
    if (!entity) return { decision: 'missing_in_espocrm', apiCalls: calls.count };
    const account = entity;
    notes.name = account.name;
    const iban = maskIban(account.iban);

    // SPEC §5.5: validated before anything is written; waiting cannot fix a typo, a user's edit can.
    const check = checkAccount(account);
    if (!check.valid) return await recordInvalid(account, check.reason, settings, calls, notes);

    const write = bankverbindungWrite(account, check.account);
    const hash = bankverbindungHash(account, write);
    const party = await partyBetNr(account, hash, settings, api, calls);
    if (party.problem !== undefined) return await recordInvalid(account, party.problem, settings, calls, notes);
    const { betNr } = party;

    const entries = await calls.call(() => api.advowareListBankverbindungen(betNr));
    const action = planBankverbindung(espoId, entries, write);
    const entry =
      action.kind === 'create'
        ? await calls.call(() => api.advowareCreateBankverbindung(betNr, action.write))
        : action.kind === 'update'
          ? await calls.call(() => api.advowareUpdateBankverbindung(betNr, action.entry.id, action.write))
          : action.entry;
    const state = { now: new Date(), betNr, entry, hash };
    // An unchanged, recorded account costs its two reads and nothing else.
    if (!isRecorded(account, state, settings.staleMs)) await calls.call(() => api.espoUpdateBankverbindung(espoId, syncedPatch(state)));
    return { decision: action.kind, apiCalls: calls.count, iban, betNr, entryId: entry.id, partyWaits: party.waits || undefined };
  } catch (err) {
    // A permanently failed account that is synced again (auto reset or a user's edit) starts over.
    const previous = entity?.syncStatus === 'permanently_failed' ? 0 : (entity?.syncRetryCount ?? failedSoFar ?? 0);
    return recordFailure(espoId, entity, err, previous, settings, calls, notes);
  }
}

type PartyResult = { betNr: number; waits: number; problem?: undefined } | { problem: string; betNr?: undefined; waits?: undefined };

/**
 * The betNr to write under. Stored from the last sync when the hash (which covers the party link) is unchanged: a
 * party's betNr never changes once set, so no party read is needed. Otherwise the party is read; a party without a
 * betNr yet gets its sync requested and is re-read on a durable timer until it has one or the wait is over (then
 * the attempt fails and the status machine retries). Never writes under a wrong or missing party.
 */
async function partyBetNr(
  account: EspoBankverbindung,
  hash: string,
  settings: BankverbindungenSyncSettings,
  api: BankverbindungCalls,
  calls: CallCounter,
): Promise<PartyResult> {
  if (account.betnr && account.bankverbindungHash === hash) return { betNr: account.betnr, waits: 0 };
  const partyId = account.cBeteiligteId;
  if (!partyId) return { problem: 'the bank account is linked to no Beteiligte' };
  let party = await calls.call(() => api.espoGetParty(partyId));
  if (!party) return { problem: `the linked Beteiligte ${partyId} does not exist in EspoCRM` };
  if (party.betnr) return { betNr: party.betnr, waits: 0 };

  // A Temporal call, not one to EspoCRM or Advoware: not counted.
  await api.requestPartySync(partyId);
  const deadline = Date.now() + settings.partyWaitMs;
  let waits = 0;
  while (Date.now() < deadline) {
    await sleep(Math.min(settings.partyPollMs, deadline - Date.now()));
    waits++;
    party = await calls.call(() => api.espoGetParty(partyId));
    if (!party) return { problem: `the linked Beteiligte ${partyId} was deleted in EspoCRM` };
    if (party.betnr) return { betNr: party.betnr, waits };
  }
  throw ApplicationFailure.retryable(
    `the linked Beteiligte ${party.name ?? partyId} has no Advoware betNr after waiting ${Math.round(settings.partyWaitMs / 1000)} s; ` +
      `its sync (${beteiligteSyncWorkflowId(partyId)}) has not finished`,
    'BeteiligteNotSynced',
  );
}

/**
 * Data the hub must not write (SPEC §5.5): `failed` with the reason, nothing in Advoware, no slow retries. The
 * assigned user is told once: a sweep's re-check that finds the same problem writes its status again, quietly.
 */
async function recordInvalid(
  account: EspoBankverbindung,
  reason: string,
  settings: BankverbindungenSyncSettings,
  calls: CallCounter,
  notes: AttemptNotes,
): Promise<BankverbindungRunOutcome> {
  notes.failure = { reason: { type: 'InvalidBankAccount', message: reason } };
  const status = bankverbindungCalls(settings.callTimeoutMs, true);
  await calls.call(() => status.espoUpdateBankverbindung(account.id, invalidPatch(new Date(), reason, settings.autoResetMs)));
  if ((account.syncErrorMessage ?? '') !== truncateMessage(reason)) {
    const message = `Bank account ${account.name ?? account.id} was not synced to Advoware: ${reason}. Correct it in EspoCRM; the hub syncs it after the edit.`;
    await calls.call(() => status.espoNotifyBankverbindung({ userId: account.assignedUserId, relatedId: account.id, message }));
  }
  log.warn('Bank account not synced: invalid', { espoId: account.id, reason });
  return { decision: 'invalid', apiCalls: calls.count, iban: maskIban(account.iban), error: reason };
}

/** A failed attempt: the status machine of SPEC §5.6 (`failed` and backoff, or `permanently_failed` and a notification). */
async function recordFailure(
  espoId: string,
  account: EspoBankverbindung | null,
  err: unknown,
  previousFailures: number,
  settings: BankverbindungenSyncSettings,
  calls: CallCounter,
  notes: AttemptNotes,
): Promise<BankverbindungRunOutcome> {
  const status = bankverbindungCalls(settings.callTimeoutMs, true);
  const failed = await recordFailedAttempt({
    err,
    previousFailures,
    policy: settings,
    subject: `bank account ${account?.name ?? espoId}`,
    record: 'the account',
    writeStatus: (fields) => calls.call(() => status.espoUpdateBankverbindung(espoId, fields)),
    notify: (message) => calls.call(() => status.espoNotifyBankverbindung({ userId: account?.assignedUserId, relatedId: espoId, message })),
    kind: 'Bank account',
    logContext: { espoId },
  });
  notes.failure = { reason: failed.reason, attempts: failed.failedAttempts, nextRetryAt: failed.nextAttemptAt };
  return {
    decision: failed.decision,
    apiCalls: calls.count,
    iban: maskIban(account?.iban),
    error: failed.message,
    retryCount: failed.failedAttempts,
  };
}
