import { createHash } from 'node:crypto';
import { BETEILIGTE_INGEST_WORKFLOW_ID_PREFIX, type IngestItem } from '../../contracts/ingest';

/** Each (Beteiligte, reason) once, in a fixed order: the same group of items always reads the same. */
export function normaliseIngestItems(items: readonly IngestItem[]): IngestItem[] {
  const unique = new Map<string, IngestItem>();
  for (const { espoId, reason } of items) unique.set(`${reason}\u0000${espoId}`, { espoId, reason });
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/**
 * `beteiligte-ingest/<sha256>` of the normalised items: EspoCRM delivering the same group again while its
 * hand-over still runs joins that hand-over (USE_EXISTING) instead of fanning it out twice.
 */
export function beteiligteIngestWorkflowId(items: readonly IngestItem[]): string {
  const canonical = JSON.stringify(normaliseIngestItems(items).map(({ espoId, reason }) => [reason, espoId]));
  return `${BETEILIGTE_INGEST_WORKFLOW_ID_PREFIX}${createHash('sha256').update(canonical).digest('hex')}`;
}
