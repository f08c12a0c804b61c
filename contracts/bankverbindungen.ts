import type { BeteiligteSyncSettings, SweepResult } from './beteiligte';
import type { SyncStatus } from './espocrm';
import { workflowRef } from './workflow-ref';

/**
 * EspoCRM `CBankverbindungen` as the hub reads and writes it (SPEC §4, §5.5): the account's values, the link to its
 * party, and the same sync status fields as a Beteiligte. Every attribute but `id` may be missing or null.
 */
export interface EspoBankverbindung {
  id: string;
  name?: string | null;
  iban?: string | null;
  bic?: string | null;
  bank?: string | null;
  kontoinhaber?: string | null;
  /** The party (`CBeteiligte`) the account belongs to. */
  cBeteiligteId?: string | null;
  assignedUserId?: string | null;
  syncStatus?: SyncStatus | null;
  syncErrorMessage?: string | null;
  syncRetryCount?: number | null;
  syncNextRetry?: string | null;
  syncAutoResetAt?: string | null;
  advowareLastSync?: string | null;
  /** The party's Advoware betNr the account was last synced under. */
  betnr?: number | null;
  /** Advoware's id of the entry (matching still goes by the marker, SPEC §3.2). */
  advowareId?: number | null;
  advowareRowId?: string | null;
  /** Content hash of the synced values and the party link at the last sync (see domain/bankverbindungen/plan.ts). */
  bankverbindungHash?: string | null;
  modifiedAt?: string | null;
}

/** Advoware `…/Beteiligte/{betNr}/Bankverbindungen` entry (SPEC §3.2). */
export interface AdvowareBankverbindung {
  id: number;
  rowId: string;
  iban: string | null;
  bic: string | null;
  bank: string | null;
  kontoinhaber: string | null;
  /** Carries the hub's marker `EspoCRM-ID: {id}`, the only stable matching key. */
  bemerkung: string | null;
}

/** Body of POST and PUT: all five writable fields, always with the marker. */
export type BankverbindungWrite = Omit<AdvowareBankverbindung, 'id' | 'rowId'>;

/** The party as the bank account sync needs it: where to write (betNr) and whom to tell. */
export interface PartyLink {
  id: string;
  betnr: number | null;
  name: string | null;
}

export interface BankverbindungenSyncInput {
  espoId: string;
}

/** The outcome of one run, as the result lists it and the `HubOutcome` search attribute shows it. */
export type BankverbindungDecision =
  'create' | 'update' | 'no_change' | 'invalid' | 'deleted_in_espocrm' | 'missing_in_espocrm' | 'failed' | 'permanently_failed';

export interface BankverbindungRunOutcome {
  decision: BankverbindungDecision;
  /** Calls to EspoCRM and Advoware, each counted once however often Temporal retried it. */
  apiCalls: number;
  /** Masked to its last four characters. */
  iban?: string;
  betNr?: number;
  /** Advoware's id of the entry. */
  entryId?: number;
  /** Why the run failed or what was invalid. */
  error?: string;
  /** How many times the run re-read the party while it waited for its betNr. */
  partyWaits?: number;
  /** A failed run: failed attempts in a row, as written to `syncRetryCount`. */
  retryCount?: number;
}

export interface BankverbindungenSyncResult {
  espoId: string;
  runs: BankverbindungRunOutcome[];
}

/** Configuration recorded in each run's history: the Beteiligte's status machine timing, and the party wait. */
export interface BankverbindungenSyncSettings extends BeteiligteSyncSettings {
  /** How long a run waits for its party's first sync (its betNr), and how often it looks. */
  partyWaitMs: number;
  partyPollMs: number;
}

/** One workflow per EspoCRM bank account; the ID is the lock, signal-with-start the queue (like the Beteiligte). */
export const bankverbindungenSyncWorkflowId = (espoId: string): string => `bankverbindungen-sync/${espoId}`;

export type BankverbindungenSyncWorkflow = (input: BankverbindungenSyncInput) => Promise<BankverbindungenSyncResult>;
export type BankverbindungenSweepWorkflow = () => Promise<SweepResult>;
export const bankverbindungenSyncRef = workflowRef<BankverbindungenSyncWorkflow>('bankverbindungenSyncWorkflow');
export const bankverbindungenSweepRef = workflowRef<BankverbindungenSweepWorkflow>('bankverbindungenSweepWorkflow');

export const BANKVERBINDUNGEN_SWEEP_SCHEDULE_ID = 'bankverbindungen-sync-sweep';
/** With the schedule's SKIP policy, never two sweeps at once. */
export const BANKVERBINDUNGEN_SWEEP_WORKFLOW_ID = 'bankverbindungen-sync-sweep-run';
