import type { RootCause } from './failures';

/**
 * The one Web UI query (and `npm run hub:failures`) for what is failing now. An entity's sync workflow stays open
 * while its entity is failing (waiting for the retry, the reset or a user's edit) and sets `HubOutcome` after every
 * run, so a recovered entity, an earlier run and a terminated or reset run never match.
 */
export const FAILING_NOW_QUERY = "ExecutionStatus = 'Running' AND HubOutcome IN ('failed', 'permanently_failed', 'invalid')";

/** The `HubOutcome` values of {@link FAILING_NOW_QUERY}: `invalid` is a bank account whose data must be corrected. */
export const FAILING_OUTCOMES: readonly string[] = ['failed', 'permanently_failed', 'invalid'];

/** The memo key of {@link HubStatus}. */
export const HUB_STATUS_MEMO = 'hubStatus';

/**
 * What an entity's sync workflow last recorded, as a memo: listed with the workflow (no worker needed to read it),
 * encrypted like every payload. Set on failure, replaced when the entity recovers.
 */
export interface HubStatus {
  /** `Beteiligte`, `Bankverbindung`, `Calendar`. */
  entityType: string;
  entityId: string;
  /** The party's name, the bank account's label, the employee's kuerzel. */
  name?: string;
  status: string;
  reason?: RootCause;
  /** Failed attempts in a row. */
  attempts?: number;
  /** ISO time of the next automatic attempt; absent when only a reset or an edit brings one. */
  nextRetryAt?: string;
  /** ISO time of the first failure of this streak. */
  since?: string;
}
