import type { SyncReason } from './beteiligte';
import { workflowRef } from './workflow-ref';

/** One webhook item on its way to its Beteiligte's workflow. */
export interface IngestItem {
  espoId: string;
  reason: SyncReason;
}

export interface BeteiligteIngestInput {
  /** De-duplicated and sorted by the gateway, so an identical group always has the same workflow ID. */
  items: IngestItem[];
}

export interface BeteiligteIngestResult {
  /** Beteiligte whose workflow was started or signalled. */
  requested: number;
}

/**
 * The durable hand-over of a group of webhook items (SPEC §2, §5.1): one start records the whole group, so the
 * gateway can answer 2xx after one Temporal call instead of one signal-with-start per item.
 */
export type BeteiligteIngestWorkflow = (input: BeteiligteIngestInput) => Promise<BeteiligteIngestResult>;
export const beteiligteIngestRef = workflowRef<BeteiligteIngestWorkflow>('beteiligteIngestWorkflow');

/** Followed by the SHA-256 of the group's items (clients/temporal/ingest-workflow-id.ts). */
export const BETEILIGTE_INGEST_WORKFLOW_ID_PREFIX = 'beteiligte-ingest/';
