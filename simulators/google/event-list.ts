import { fullSyncRequired, invalidParameter } from './errors';
import { instantOf } from './event-time';
import { allowsSyncToken, type EventListQuery } from './list-query';
import type { StoredCalendar, StoredEvent } from './model';
import { seriesOverlaps } from './recurrence';
import { decodePageToken, decodeSyncToken, encodePageToken, encodeSyncToken, type SyncCursor } from './tokens';

export interface EventsPage {
  items: StoredEvent[];
  nextPageToken?: string;
  nextSyncToken?: string;
}

/**
 * events.list over one calendar. Pages are cut by an immutable sort key (creation order,
 * or `updated` then creation order), so writes between pages neither skip nor repeat events.
 * The sync token of the last page is the change sequence seen when page one was served:
 * anything written while a client pages is reported again by the next incremental sync.
 */
export function listEventsPage(calendar: StoredCalendar, query: EventListQuery): EventsPage {
  const sync = query.syncToken === undefined ? undefined : checkSyncToken(calendar, query.syncToken);
  const cursor = query.pageToken === undefined ? undefined : decodePageToken(query.pageToken);
  const snapshot = cursor?.snapshot ?? calendar.changeSeq;
  const keyOf = (e: StoredEvent): [number, number] => [query.orderBy === 'updated' ? e.updatedMs : 0, e.ordinal];
  const after = (e: StoredEvent): boolean => cursor === undefined || compareKeys(keyOf(e), cursor.key) > 0;

  const matching = [...calendar.events.values()]
    .filter((e) => (sync ? e.changeSeq > sync.seq : matchesFullQuery(e, query, calendar.resource.timeZone)))
    .filter(after)
    .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));

  const items = matching.slice(0, query.maxResults);
  const last = items[items.length - 1];
  if (matching.length > items.length && last) {
    return { items, nextPageToken: encodePageToken({ key: keyOf(last), snapshot }) };
  }
  if (!allowsSyncToken(query)) return { items };
  return {
    items,
    nextSyncToken: encodeSyncToken({ calendarId: calendar.resource.id, seq: snapshot, generation: calendar.syncGeneration }),
  };
}

function checkSyncToken(calendar: StoredCalendar, token: string): SyncCursor {
  const sync = decodeSyncToken(token);
  if (sync.calendarId !== calendar.resource.id || sync.seq > calendar.changeSeq) {
    throw invalidParameter('syncToken', 'Invalid sync token value.');
  }
  if (sync.generation !== calendar.syncGeneration) throw fullSyncRequired();
  return sync;
}

function compareKeys(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function matchesFullQuery(entry: StoredEvent, query: EventListQuery, calendarTimeZone: string): boolean {
  const event = entry.resource;
  // Google lists deleted events only when asked to, or in an "updated since" query.
  if (event.status === 'cancelled' && query.showDeleted !== true && query.updatedMin === undefined) return false;
  if (query.updatedMin !== undefined && entry.updatedMs < query.updatedMin) return false;
  if (query.iCalUID !== undefined && event.iCalUID !== query.iCalUID) return false;
  if (!query.privateProperties.every(([k, v]) => event.extendedProperties?.private?.[k] === v)) return false;
  if (!query.sharedProperties.every(([k, v]) => event.extendedProperties?.shared?.[k] === v)) return false;
  if (query.q !== undefined && !matchesText(entry, query.q)) return false;
  return matchesWindow(entry, query, calendarTimeZone);
}

/** timeMin bounds the event's end, timeMax its start (both exclusive); a series matches if any occurrence does. */
function matchesWindow(entry: StoredEvent, query: EventListQuery, calendarTimeZone: string): boolean {
  if (query.timeMin === undefined && query.timeMax === undefined) return true;
  const { start, end, recurrence } = entry.resource;
  const startMs = instantOf(start, calendarTimeZone);
  const endMs = instantOf(end, calendarTimeZone);
  const window = { min: query.timeMin, max: query.timeMax };
  if (recurrence !== undefined) return seriesOverlaps(recurrence, start, endMs - startMs, window, calendarTimeZone);
  return (window.min === undefined || endMs > window.min) && (window.max === undefined || startMs < window.max);
}

function matchesText(entry: StoredEvent, q: string): boolean {
  const needle = q.toLowerCase();
  const { summary, description, location } = entry.resource;
  return [summary, description, location].some((field) => field?.toLowerCase().includes(needle));
}
