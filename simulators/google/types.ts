/** Resource shapes of Google Calendar API v3 as the simulator sends them (the subset the hub uses). */

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';

/** Either `date` (all-day) or `dateTime` (RFC 3339 with offset), optionally with an IANA `timeZone`. */
export interface EventDateTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface ExtendedProperties {
  private?: Record<string, string>;
  shared?: Record<string, string>;
}

export interface EventPerson {
  email: string;
  displayName?: string;
  self?: boolean;
}

export interface EventReminders {
  useDefault: boolean;
  overrides?: { method: string; minutes: number }[];
}

export interface CalendarEvent {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: EventStatus;
  htmlLink: string;
  created: string;
  updated: string;
  summary?: string;
  description?: string;
  location?: string;
  colorId?: string;
  creator: EventPerson;
  organizer: EventPerson;
  start: EventDateTime;
  end: EventDateTime;
  recurrence?: string[];
  transparency?: 'opaque' | 'transparent';
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  iCalUID: string;
  sequence: number;
  extendedProperties?: ExtendedProperties;
  reminders: EventReminders;
  eventType: 'default';
}

/** What Google guarantees for a deleted event: only the id (plus envelope fields). */
export interface DeletedEventStub {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: 'cancelled';
  updated: string;
}

export interface Calendar {
  kind: 'calendar#calendar';
  etag: string;
  id: string;
  summary: string;
  description?: string;
  location?: string;
  timeZone: string;
}

export interface CalendarListEntry {
  kind: 'calendar#calendarListEntry';
  etag: string;
  id: string;
  summary: string;
  description?: string;
  location?: string;
  timeZone: string;
  accessRole: 'owner';
  primary?: true;
  selected: true;
  defaultReminders: [];
}

/** How deleted events appear in lists: full data (what Google usually sends) or only what it guarantees. */
export type DeletedEventShape = 'full' | 'idOnly';

type WritableEventKey =
  | 'summary'
  | 'description'
  | 'location'
  | 'colorId'
  | 'start'
  | 'end'
  | 'recurrence'
  | 'status'
  | 'transparency'
  | 'visibility'
  | 'extendedProperties'
  | 'reminders';

/** The body of an insert or update: the writable fields, optionally with a client-chosen id. */
export type EventInput = Partial<Pick<CalendarEvent, WritableEventKey>> & { id?: string };

/** A patch: given fields replace (objects merge), `null` removes. */
export type EventPatch = { [K in WritableEventKey]?: CalendarEvent[K] | null };

export interface CalendarInput {
  summary: string;
  description?: string;
  location?: string;
  timeZone?: string;
}
