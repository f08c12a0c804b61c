import { GoogleApiError, invalid, notFound, required } from './errors';
import { isValidTimeZone } from './event-time';
import { etagFor, newCalendarId } from './ids';
import type { StoreEnv, StoredCalendar } from './model';
import { isPlainObject, mergePatch } from './patch';
import type { Calendar, CalendarListEntry } from './types';

interface CalendarFields {
  summary: string;
  description?: string;
  location?: string;
  timeZone: string;
}

/** The calendars of the one simulated user, the primary one included. */
export class CalendarStore {
  private readonly calendars = new Map<string, StoredCalendar>();
  private seq = 0;

  constructor(private readonly env: StoreEnv) {
    const primary = this.add(env.userEmail, { summary: env.userEmail, timeZone: env.defaultTimeZone });
    primary.primary = true;
  }

  /** `primary` is an alias of the user's own calendar, as in Google. */
  resolve(calendarId: string): StoredCalendar {
    const calendar = this.calendars.get(calendarId === 'primary' ? this.env.userEmail : calendarId);
    if (!calendar) throw notFound();
    return calendar;
  }

  list(): StoredCalendar[] {
    return [...this.calendars.values()];
  }

  insert(body: unknown): StoredCalendar {
    return this.add(newCalendarId(), this.parseFields(body));
  }

  /** calendars.patch merges, calendars.update replaces. */
  modify(calendarId: string, body: unknown, mode: 'patch' | 'update'): StoredCalendar {
    const calendar = this.resolve(calendarId);
    const patch = isPlainObject(body) ? body : {};
    const { kind: _kind, etag: _etag, id: _id, ...current } = calendar.resource;
    const fields = this.parseFields(mode === 'patch' ? mergePatch(current, patch) : patch);
    calendar.resource = { ...this.resourceOf(calendar.resource.id, fields), etag: this.nextEtag() };
    return calendar;
  }

  delete(calendarId: string): void {
    const calendar = this.resolve(calendarId);
    if (calendar.primary) throw new GoogleApiError(400, 'Cannot delete primary calendar.', 'cannotDeletePrimaryCalendar');
    this.calendars.delete(calendar.resource.id);
  }

  /** Every sync token issued so far gets 410 on its next use (Google does this on its own from time to time). */
  invalidateSyncTokens(calendarId?: string): void {
    const targets = calendarId === undefined ? this.list() : [this.resolve(calendarId)];
    for (const calendar of targets) calendar.syncGeneration += 1;
  }

  listEntry(calendar: StoredCalendar): CalendarListEntry {
    const { kind: _kind, ...resource } = calendar.resource;
    return {
      kind: 'calendar#calendarListEntry',
      ...resource,
      accessRole: 'owner',
      ...(calendar.primary ? { primary: true as const } : {}),
      selected: true,
      defaultReminders: [],
    };
  }

  private add(id: string, fields: CalendarFields): StoredCalendar {
    const calendar: StoredCalendar = {
      resource: { ...this.resourceOf(id, fields), etag: this.nextEtag() },
      primary: false,
      events: new Map(),
      changeSeq: 0,
      syncGeneration: 0,
      nextOrdinal: 0,
      updatedMs: this.env.clock().getTime(),
    };
    this.calendars.set(id, calendar);
    return calendar;
  }

  private resourceOf(id: string, fields: CalendarFields): Calendar {
    return { kind: 'calendar#calendar', etag: '', id, ...fields };
  }

  private nextEtag(): string {
    this.seq += 1;
    return etagFor(this.env.clock().getTime(), this.seq);
  }

  private parseFields(body: unknown): CalendarFields {
    const b = isPlainObject(body) ? body : {};
    if (typeof b.summary !== 'string' || b.summary === '') throw required('Missing title.');
    const timeZone = b.timeZone ?? this.env.defaultTimeZone;
    if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) throw invalid('Invalid time zone definition.');
    const fields: CalendarFields = { summary: b.summary, timeZone };
    for (const key of ['description', 'location'] as const) {
      const value = b[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') throw invalid(`Invalid value for field ${key}.`);
      fields[key] = value;
    }
    return fields;
  }
}
