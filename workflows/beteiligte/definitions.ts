import { defineSignal } from '@temporalio/workflow';

/** What asked for a sync: an EspoCRM webhook event, the sweep schedule or an operator. */
export type SyncReason = 'create' | 'update' | 'delete' | 'sweep' | 'manual';

export interface SyncRequest {
  reason: SyncReason;
}

export interface BeteiligteSyncInput {
  espoId: string;
}

/** Sent by the gateway (webhooks) and the sweep with signal-with-start: a running sync picks it up as one more run. */
export const syncRequested = defineSignal<[SyncRequest]>('syncRequested');

/** One workflow per EspoCRM party: its ID is the lock that the original kept in Redis. */
export const beteiligteSyncWorkflowId = (espoId: string): string => `beteiligte-sync/${espoId}`;

export const BETEILIGTE_SWEEP_SCHEDULE_ID = 'beteiligte-sync-sweep';

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
}

export interface BeteiligteSyncResult {
  espoId: string;
  runs: RunOutcome[];
}
