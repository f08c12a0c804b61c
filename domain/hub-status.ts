import type { RootCause } from '../contracts/failures';
import type { HubStatus } from '../contracts/hub-status';

const ENTITY_NAMES: Record<string, string> = { CBeteiligte: 'Beteiligte', CBankverbindungen: 'Bank account', Calendar: 'Calendar' };

/** `AdvowareServerError in advowarePutBeteiligte, HTTP 503: <message>`. */
export function describeReason(reason: RootCause | undefined): string {
  if (!reason) return '';
  const where = [reason.call && `in ${reason.call}`, reason.httpStatus !== undefined && `HTTP ${reason.httpStatus}`].filter(Boolean).join(', ');
  return `${reason.type}${where ? ` ${where}` : ''}: ${reason.message}`;
}

/** One line for the Web UI: `Anna Schmidt: failed - AdvowareServerError in advowarePutBeteiligte, HTTP 503: … - attempt 2 - …`. */
export function describeStatus(status: HubStatus): string {
  const parts = [`${status.name ?? `${ENTITY_NAMES[status.entityType] ?? status.entityType} ${status.entityId}`}: ${status.status}`];
  if (status.reason) parts.push(describeReason(status.reason));
  if (status.attempts !== undefined) parts.push(`attempt ${status.attempts}`);
  if (status.nextRetryAt) parts.push(`next retry ${status.nextRetryAt}`);
  if (status.since) parts.push(`failing since ${status.since}`);
  return parts.join(' - ');
}

/** The rows of `npm run hub:failures`: entity, name, status, reason, attempts, next retry, since. */
export function failureRows(failing: readonly (HubStatus & { workflowId: string })[]): string[][] {
  return failing.map((f) => [
    `${ENTITY_NAMES[f.entityType] ?? f.entityType} ${f.entityId}`,
    f.name ?? '',
    f.status,
    describeReason(f.reason),
    f.attempts === undefined ? '' : String(f.attempts),
    f.nextRetryAt ?? (f.status === 'failed' ? '' : 'after an edit or reset'),
    f.since ?? '',
  ]);
}

export const FAILURE_COLUMNS = ['entity', 'name', 'status', 'reason', 'attempts', 'next retry', 'since'] as const;

/** A plain-text table; long reasons are cut so a row fits a terminal line or two. */
export function formatTable(header: readonly string[], rows: readonly string[][], maxCell = 90): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => (cell.length > maxCell ? `${cell.slice(0, maxCell - 1)}…` : cell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
