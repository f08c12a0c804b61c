import { fnv1a64 } from '../beteiligte/hash';
import { isStale } from '../beteiligte/timing';
import { truncateMessage } from '../beteiligte/status';
import { espoDateTimeAfter, toEspoDateTime } from '../espocrm-datetime';
import type { AdvowareBankverbindung, BankverbindungWrite, EspoBankverbindung } from '../../contracts/bankverbindungen';
import type { ValidAccount } from './validate';

/**
 * The bank account sync's decisions (SPEC §5.5), pure: the workflow performs what these return. EspoCRM is the
 * master; Advoware entries are matched only by the marker in `bemerkung` (SPEC §3.2), never by position or IBAN.
 */

/** The marker written at creation; the only stable key (the same convention as the Adressen, SPEC §3.2). */
export const bankverbindungMarker = (espoId: string): string => `EspoCRM-ID: ${espoId}`;

/** What Advoware is to hold for the account: every writable field, the marker always. */
export function bankverbindungWrite(entity: EspoBankverbindung, account: ValidAccount): BankverbindungWrite {
  return {
    iban: account.iban,
    bic: account.bic,
    bank: blankToNull(entity.bank),
    kontoinhaber: blankToNull(entity.kontoinhaber),
    bemerkung: bankverbindungMarker(entity.id),
  };
}

/**
 * Content hash of what the run writes plus the party link, stored as `bankverbindungHash`: an account whose hash and
 * `betnr` are stored needs no party read, because a party's betNr never changes once set.
 */
export function bankverbindungHash(entity: EspoBankverbindung, write: BankverbindungWrite): string {
  return fnv1a64(JSON.stringify([entity.cBeteiligteId ?? null, write.iban, write.bic, write.bank, write.kontoinhaber]));
}

export type BankverbindungAction =
  | { kind: 'create'; write: BankverbindungWrite }
  | { kind: 'update'; entry: AdvowareBankverbindung; write: BankverbindungWrite }
  | { kind: 'no_change'; entry: AdvowareBankverbindung };

/** Create when no entry carries the marker, update when the marked entry differs in any field, else nothing. */
export function planBankverbindung(espoId: string, entries: readonly AdvowareBankverbindung[], write: BankverbindungWrite): BankverbindungAction {
  const marker = bankverbindungMarker(espoId);
  const entry = entries.find((e) => (e.bemerkung ?? '').trim() === marker);
  if (!entry) return { kind: 'create', write };
  const same = (Object.keys(write) as (keyof BankverbindungWrite)[]).every((key) => blankToNull(entry[key]) === write[key]);
  return same ? { kind: 'no_change', entry } : { kind: 'update', entry, write };
}

export interface SyncedState {
  now: Date;
  betNr: number;
  entry: Pick<AdvowareBankverbindung, 'id' | 'rowId'>;
  hash: string;
}

/** The EspoCRM fields a successful run records: `clean`, the sync point, Advoware's ids, retry bookkeeping cleared. */
export function syncedPatch(state: SyncedState): Partial<EspoBankverbindung> {
  return {
    syncStatus: 'clean',
    advowareLastSync: toEspoDateTime(state.now),
    betnr: state.betNr,
    advowareId: state.entry.id,
    advowareRowId: state.entry.rowId,
    bankverbindungHash: state.hash,
    syncRetryCount: 0,
    syncErrorMessage: '',
  };
}

/**
 * Whether the stored state already says what `syncedPatch` would write (then the run writes nothing to EspoCRM). A
 * sync point older than `staleMs` is refreshed, or the sweep's 24-hour check would pick the account up again and again.
 */
export function isRecorded(entity: EspoBankverbindung, state: SyncedState, staleMs: number): boolean {
  return (
    entity.syncStatus === 'clean' &&
    !isStale(entity.advowareLastSync, state.now, staleMs) &&
    entity.betnr === state.betNr &&
    entity.advowareId === state.entry.id &&
    entity.advowareRowId === state.entry.rowId &&
    entity.bankverbindungHash === state.hash &&
    !entity.syncErrorMessage
  );
}

/**
 * Invalid data (SPEC §5.5): `failed` with the reason, and no slow retries, because waiting cannot fix a typo. The next
 * retry is put off by `retryAfterMs` (the auto-reset period), so the sweep looks again once a day at most; a user's
 * edit brings it back at once through its webhook.
 */
export function invalidPatch(now: Date, reason: string, retryAfterMs: number): Partial<EspoBankverbindung> {
  return { syncStatus: 'failed', syncErrorMessage: truncateMessage(reason), syncRetryCount: 0, syncNextRetry: espoDateTimeAfter(now, retryAfterMs) };
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
