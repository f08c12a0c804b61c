import { defineSignal } from '@temporalio/workflow';
import type { EspoBeteiligte } from './espocrm';
import { workflowRef } from './workflow-ref';

/** What asked for a sync: an EspoCRM webhook event, the sweep schedule or an operator. */
export type SyncReason = 'create' | 'update' | 'delete' | 'sweep' | 'manual';

export interface SyncRequest {
  reason: SyncReason;
}

export interface BeteiligteSyncInput {
  espoId: string;
}

/** The outcome of one run, as the workflow result lists it and the `HubOutcome` search attribute shows it. */
export type RunDecision =
  | 'create'
  | 'initial_sync'
  | 'espocrm_newer'
  | 'advoware_newer'
  | 'conflict'
  | 'no_change'
  | 'deleted_in_advoware'
  | 'deleted_in_espocrm'
  | 'missing_in_espocrm'
  | 'failed'
  | 'permanently_failed';

export interface RunOutcome {
  decision: RunDecision;
  /** Advoware or EspoCRM field names whose values the run wrote. */
  fieldsChanged: string[];
  /** Calls to EspoCRM and Advoware, each counted once however often Temporal retried it. */
  apiCalls: number;
  betNr?: number;
  error?: string;
  /**
   * EspoCRM's answer to the run's last write showed content the run had not synced (a user edited while the run
   * was writing): the workflow runs again at once instead of trusting the `clean` it just wrote.
   */
  editedDuringRun?: boolean;
  /** The run's Kommunikation step (SPEC §5.3); absent when the run did not get that far. */
  kommunikation?: KommunikationOutcome;
  /** The run's Adressen step (SPEC §5.4); absent when the run did not get that far. */
  adressen?: AdressenOutcome;
}

/** What the Adressen step decided and wrote, and what it could not write. */
export interface AdressenOutcome {
  reason: string;
  /** One line per Advoware write or match: the EspoCRM address (`<espoId>:billing`), the action, the fields written. */
  actions: { address: string; action: 'create' | 'update' | 'matchedUnmarked'; fields: string[]; reihenfolgeIndex?: number }[];
  /** Changes Advoware cannot take (a read-only field, a deletion), each with the value there and the one in EspoCRM. */
  unsyncable: AdresseDifference[];
  /** Of those, the ones notified by this run (the others were notified by an earlier one). */
  notified: number;
}

/** One change to an address that Advoware cannot apply (SPEC §3.2: read-only after creation, DELETE 403). */
export interface AdresseDifference {
  address: string;
  /** The Advoware field, or `address` for the whole address (deleted in EspoCRM). */
  field: string;
  /** Advoware's value (what stays). */
  advoware: string;
  /** EspoCRM's value (what could not be written); empty for a deletion. */
  espocrm: string;
}

/** What the Kommunikation step decided and wrote; values masked to their last four characters. */
export interface KommunikationOutcome {
  reason: string;
  espoWins: boolean;
  /** One line per write: the case (Var1 … Var6, initialMatch, match), the action, kommKz and Advoware entry. */
  actions: { case: string; action: string; kommKz?: number; entryId?: number; value: string }[];
  /** Values left alone (unusable, entered twice, no EspoCRM field for them); the others were synced. */
  skipped: { side: string; reason: string; value: string; entryId?: number }[];
}

export interface BeteiligteSyncResult {
  espoId: string;
  runs: RunOutcome[];
}

export interface SweepResult {
  pages: number;
  signalled: number;
}

/** One workflow per EspoCRM Beteiligte: its ID is the lock that the original kept in Redis. */
export const beteiligteSyncWorkflowId = (espoId: string): string => `beteiligte-sync/${espoId}`;

export type BeteiligteSyncWorkflow = (input: BeteiligteSyncInput) => Promise<BeteiligteSyncResult>;
export type BeteiligteSweepWorkflow = () => Promise<SweepResult>;
export const beteiligteSyncRef = workflowRef<BeteiligteSyncWorkflow>('beteiligteSyncWorkflow');
export const beteiligteSweepRef = workflowRef<BeteiligteSweepWorkflow>('beteiligteSweepWorkflow');

/** Sent by the gateway (webhooks) and the sweep with signal-with-start: a running sync picks it up as one more run. */
export const syncRequested = defineSignal<[SyncRequest]>('syncRequested');

export const BETEILIGTE_SWEEP_SCHEDULE_ID = 'beteiligte-sync-sweep';
/** The sweep's workflow ID: with the schedule's SKIP policy, never two sweeps at once. */
export const BETEILIGTE_SWEEP_WORKFLOW_ID = 'beteiligte-sync-sweep-run';

/** The worker's configuration for the sync, recorded in each run's history (see the settings activity). */
export interface BeteiligteSyncSettings {
  backoffMs: number[];
  maxAttempts: number;
  autoResetMs: number;
  staleMs: number;
  callTimeoutMs: number;
}

export interface LoadedBeteiligte {
  entity: EspoBeteiligte;
  /** Content hash of the entity's sync-relevant values now, compared with its stored `stammdatenHash`. */
  currentHash: string;
}

/** What an EspoCRM write answered, as far as the sync needs it. */
export interface StoredBeteiligte {
  /** Stammdaten hash of the entity as stored after the write: another value than the run wrote means a user edited meanwhile. */
  currentHash: string;
  /** The same for its e-mail and phone data (absent in histories recorded before the Kommunikation sync). */
  kommunikationEspoHash?: string;
  /** The same for its addresses (absent in histories recorded before the Adressen sync). */
  adressenEspoHash?: string;
}

export interface NotificationRequest {
  /** The Beteiligte's assigned user; the configured admin when absent. */
  userId?: string | null;
  message: string;
  relatedId: string;
}

export interface SweepPage {
  ids: string[];
  /** Absent on the last page. */
  nextAfterId?: string;
}
