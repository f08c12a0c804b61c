import { invalid, required } from './errors';
import { checkRange, normalizeEventDateTime } from './event-time';
import { isPlainObject } from './patch';
import { parseRecurrence } from './recurrence';
import type { CalendarEvent, EventDateTime, EventReminders, EventStatus, ExtendedProperties } from './types';

/** The fields of an event a client can write; everything else is set by the server. */
export interface EventFields {
  summary?: string;
  description?: string;
  location?: string;
  colorId?: string;
  start: EventDateTime;
  end: EventDateTime;
  recurrence?: string[];
  status: EventStatus;
  transparency?: CalendarEvent['transparency'];
  visibility?: CalendarEvent['visibility'];
  extendedProperties?: ExtendedProperties;
  reminders: EventReminders;
}

const WRITABLE_KEYS = [
  'summary',
  'description',
  'location',
  'colorId',
  'start',
  'end',
  'recurrence',
  'status',
  'transparency',
  'visibility',
  'extendedProperties',
  'reminders',
] as const;

/** Google's documented limits of extended properties. */
const MAX_PROPERTY_KEY = 44;
const MAX_PROPERTY_VALUE = 1024;

/** An event's writable part as plain JSON: the base a patch is merged onto. */
export function writableFieldsOf(event: CalendarEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of WRITABLE_KEYS) if (event[key] !== undefined) fields[key] = structuredClone(event[key]);
  return fields;
}

/** Validates a whole event body (insert, update, or a patch merged onto the stored event). Unknown fields are ignored, as Google does. */
export function parseEventFields(body: unknown, calendarTimeZone: string): EventFields {
  const b = isPlainObject(body) ? body : {};
  const start = normalizeEventDateTime(b.start, 'start', calendarTimeZone);
  const end = normalizeEventDateTime(b.end, 'end', calendarTimeZone);
  checkRange(start, end, calendarTimeZone);
  const recurrence = parseRecurrence(b.recurrence);
  if (recurrence !== undefined) {
    // Recurrences are expanded in a named zone; an offset alone does not say how DST shifts.
    if (start.dateTime !== undefined && start.timeZone === undefined) throw required('Missing time zone definition for start time.');
    if (end.dateTime !== undefined && end.timeZone === undefined) throw required('Missing time zone definition for end time.');
  }
  const fields: EventFields = {
    start,
    end,
    status: oneOf(b.status, ['confirmed', 'tentative', 'cancelled'], 'status') ?? 'confirmed',
    reminders: parseReminders(b.reminders),
  };
  const put = <K extends keyof EventFields>(key: K, value: EventFields[K] | undefined): void => {
    if (value !== undefined) fields[key] = value;
  };
  put('summary', optionalString(b.summary, 'summary'));
  put('description', optionalString(b.description, 'description'));
  put('location', optionalString(b.location, 'location'));
  put('colorId', optionalString(b.colorId, 'colorId'));
  put('recurrence', recurrence);
  put('transparency', oneOf(b.transparency, ['opaque', 'transparent'], 'transparency'));
  put('visibility', oneOf(b.visibility, ['default', 'public', 'private', 'confidential'], 'visibility'));
  put('extendedProperties', parseExtendedProperties(b.extendedProperties));
  return fields;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid value for field ${field}.`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(`Invalid value for field ${field}.`);
  return value as T;
}

function parseExtendedProperties(value: unknown): ExtendedProperties | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalid('Invalid extended properties.');
  const result: ExtendedProperties = {};
  for (const scope of ['private', 'shared'] as const) {
    const props = parsePropertyMap(value[scope]);
    if (props !== undefined) result[scope] = props;
  }
  return result.private === undefined && result.shared === undefined ? undefined : result;
}

function parsePropertyMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalid('Invalid extended properties.');
  const props: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue; // a patch's null removed it already; a leftover null means "absent"
    // Google's map is string → string; a number here is a client bug worth surfacing.
    if (typeof v !== 'string') throw invalid(`Invalid value for extended property ${key}.`);
    if (key === '' || key.length > MAX_PROPERTY_KEY || v.length > MAX_PROPERTY_VALUE) {
      throw invalid(`Extended property ${key} exceeds the size limits.`);
    }
    props[key] = v;
  }
  return Object.keys(props).length === 0 ? undefined : props;
}

function parseReminders(value: unknown): EventReminders {
  if (value === undefined || value === null) return { useDefault: true };
  if (!isPlainObject(value)) throw invalid('Invalid reminders.');
  const useDefault = value.useDefault === undefined ? true : value.useDefault;
  if (typeof useDefault !== 'boolean') throw invalid('Invalid reminders.');
  if (value.overrides === undefined || value.overrides === null) return { useDefault };
  if (!Array.isArray(value.overrides)) throw invalid('Invalid reminders.');
  if (useDefault && value.overrides.length > 0) throw invalid('Cannot specify both default reminders and overrides at the same time.');
  const overrides = value.overrides.map((o: unknown) => {
    if (!isPlainObject(o) || typeof o.method !== 'string' || typeof o.minutes !== 'number') throw invalid('Invalid reminders.');
    return { method: o.method, minutes: o.minutes };
  });
  return { useDefault, overrides };
}
