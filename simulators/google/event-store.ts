import { conditionNotMet, duplicateId, invalid, notFound, resourceDeleted } from './errors';
import { parseEventFields, writableFieldsOf, type EventFields } from './event-input';
import { EVENT_ID_PATTERN, etagFor, newEventId } from './ids';
import type { StoreEnv, StoredCalendar, StoredEvent } from './model';
import { isPlainObject, mergePatch } from './patch';
import type { CalendarEvent } from './types';

/**
 * Event writes of one calendar. Every write bumps the calendar's change sequence (what
 * sync tokens count), `updated` and the etag; deletes keep the event as `cancelled`.
 */

/** Also answers deleted events (status `cancelled`), as Google's events.get does. */
export function getEvent(calendar: StoredCalendar, eventId: string): CalendarEvent {
  return stored(calendar, eventId).resource;
}

export function insertEvent(calendar: StoredCalendar, body: unknown, env: StoreEnv): CalendarEvent {
  const fields = parseEventFields(body, calendar.resource.timeZone);
  const requestedId = isPlainObject(body) ? body.id : undefined;
  if (requestedId !== undefined && (typeof requestedId !== 'string' || !EVENT_ID_PATTERN.test(requestedId))) {
    throw invalid('Invalid resource id value.');
  }
  const id = requestedId ?? newEventId();
  // Ids of deleted events stay taken, as in Google.
  if (calendar.events.has(id)) throw duplicateId();
  const entry: StoredEvent = {
    resource: buildResource(calendar, id, fields, env, undefined),
    ordinal: calendar.nextOrdinal++,
    changeSeq: 0,
    updatedMs: 0,
  };
  calendar.events.set(id, entry);
  touch(calendar, entry, env);
  return entry.resource;
}

/** A patch merges onto the stored event; a deleted event stays deleted unless the patch sets a status. */
export function patchEvent(calendar: StoredCalendar, eventId: string, body: unknown, env: StoreEnv, ifMatch?: string): CalendarEvent {
  const entry = stored(calendar, eventId);
  checkIfMatch(entry, ifMatch);
  const merged = mergePatch(writableFieldsOf(entry.resource), isPlainObject(body) ? body : {});
  return rewrite(calendar, entry, parseEventFields(merged, calendar.resource.timeZone), env);
}

/** An update replaces every writable field; like Google, it revives a deleted event (status defaults to confirmed). */
export function updateEvent(calendar: StoredCalendar, eventId: string, body: unknown, env: StoreEnv, ifMatch?: string): CalendarEvent {
  const entry = stored(calendar, eventId);
  checkIfMatch(entry, ifMatch);
  return rewrite(calendar, entry, parseEventFields(body, calendar.resource.timeZone), env);
}

export function deleteEvent(calendar: StoredCalendar, eventId: string, env: StoreEnv, ifMatch?: string): void {
  const entry = stored(calendar, eventId);
  if (entry.resource.status === 'cancelled') throw resourceDeleted();
  checkIfMatch(entry, ifMatch);
  entry.resource = { ...entry.resource, status: 'cancelled' };
  touch(calendar, entry, env);
}

function stored(calendar: StoredCalendar, eventId: string): StoredEvent {
  const entry = calendar.events.get(eventId);
  if (!entry) throw notFound();
  return entry;
}

function checkIfMatch(entry: StoredEvent, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== entry.resource.etag) throw conditionNotMet();
}

function rewrite(calendar: StoredCalendar, entry: StoredEvent, fields: EventFields, env: StoreEnv): CalendarEvent {
  entry.resource = buildResource(calendar, entry.resource.id, fields, env, entry.resource);
  touch(calendar, entry, env);
  return entry.resource;
}

function touch(calendar: StoredCalendar, entry: StoredEvent, env: StoreEnv): void {
  const now = env.clock().getTime();
  calendar.changeSeq += 1;
  calendar.updatedMs = now;
  entry.changeSeq = calendar.changeSeq;
  entry.updatedMs = now;
  entry.resource.updated = new Date(now).toISOString();
  entry.resource.etag = etagFor(now, calendar.changeSeq);
}

/** Google raises `sequence` when the schedule changes, so that invitees' copies know they are stale. */
function scheduleChanged(previous: CalendarEvent, fields: EventFields): boolean {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return !same(previous.start, fields.start) || !same(previous.end, fields.end) || !same(previous.recurrence, fields.recurrence);
}

function buildResource(calendar: StoredCalendar, id: string, fields: EventFields, env: StoreEnv, previous: CalendarEvent | undefined): CalendarEvent {
  const created = previous?.created ?? env.clock().toISOString();
  const sequence = previous === undefined ? 0 : previous.sequence + (scheduleChanged(previous, fields) ? 1 : 0);
  const eid = Buffer.from(`${id} ${calendar.resource.id}`).toString('base64url');
  return {
    kind: 'calendar#event',
    etag: previous?.etag ?? '""', // replaced by touch()
    id,
    status: fields.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${eid}`,
    created,
    updated: previous?.updated ?? created,
    ...optional('summary', fields.summary),
    ...optional('description', fields.description),
    ...optional('location', fields.location),
    ...optional('colorId', fields.colorId),
    creator: { email: env.userEmail, self: true },
    organizer: { email: calendar.resource.id, displayName: calendar.resource.summary, self: true },
    start: fields.start,
    end: fields.end,
    ...optional('recurrence', fields.recurrence),
    ...optional('transparency', fields.transparency),
    ...optional('visibility', fields.visibility),
    iCalUID: `${id}@google.com`,
    sequence,
    ...optional('extendedProperties', fields.extendedProperties),
    reminders: fields.reminders,
    eventType: 'default',
  };
}

/** Google omits absent fields rather than sending null. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
