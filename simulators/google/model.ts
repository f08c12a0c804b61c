import type { Calendar, CalendarEvent } from './types';

/** What the stores need from the outside world; `clock` is injectable so tests can control `updated`. */
export interface StoreEnv {
  clock: () => Date;
  /** The authenticated user: id and summary of the primary calendar, creator of every event. */
  userEmail: string;
  /** Time zone of new calendars that do not name one. */
  defaultTimeZone: string;
}

export interface StoredEvent {
  resource: CalendarEvent;
  /** Creation order within the calendar; immutable, so page cursors survive concurrent writes. */
  ordinal: number;
  /** The calendar's `changeSeq` after this event's last write; a sync token returns events above its own. */
  changeSeq: number;
  updatedMs: number;
}

export interface StoredCalendar {
  resource: Calendar;
  primary: boolean;
  /** Deleted events stay here with status `cancelled`, as in Google, so incremental sync can report them. */
  events: Map<string, StoredEvent>;
  /** Bumped by every event write in this calendar. */
  changeSeq: number;
  /** Bumped by `invalidateSyncTokens`; tokens of an older generation get 410. */
  syncGeneration: number;
  nextOrdinal: number;
  updatedMs: number;
}
