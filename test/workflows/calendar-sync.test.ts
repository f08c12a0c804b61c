import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { readTags, type EventTags } from '../../domain/calendar/tags';
import { NEUTRAL_SUMMARY } from '../../domain/calendar/to-event';
import type { HubEvent } from '../../domain/calendar/types';
import { AdvowareSimulator, type Termin as SimTermin, type TerminFields } from '../../simulators/advoware/simulator';
import type { Simulator } from '../../simulators/core/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator, type CalendarEvent, type EventDateTime, type EventInput } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE } from '../../simulators/sandbox-credentials';
import {
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  calendarSyncAllRef,
  calendarSyncRef,
  calendarSyncWorkflowId,
  type CalendarSyncAllResult,
  type CalendarSyncAllWorkflow,
  type CalendarSyncResult,
  type CalendarSyncWorkflow,
  type EmployeeOutcome,
} from '../../contracts/calendar';
import { testRedis } from '../support/services';
import { createCalendarTestWorker } from '../support/calendar-worker';
import type { TestWorker } from '../support/worker';

const MITARBEITER = [
  { kuerzel: 'ABC', name: 'Becker', vorname: 'Anna', email: null, aktiv: true },
  { kuerzel: 'DEF', name: 'Fischer', vorname: 'Daniel', email: null, aktiv: true },
  { kuerzel: 'OLD', name: 'Alt', vorname: 'Otto', email: null, aktiv: false },
];

const BERLIN = 'Europe/Berlin';
/** Pause after a rate-limit answer; production waits 10 s, which would dominate this file's run time. */
const RATE_LIMIT_PAUSE_MS = 300;

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

// --- Dates. The sync window is Berlin's today −30 … +365 days, so every date here is derived from today; the
// --- season or clock change a test needs is searched ahead, so the expected offsets are known constants.

const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: BERLIN }).format(new Date());

function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Advoware's form of a `YYYY-MM-DD` date. */
const aw = (date: string): string => `${date}T00:00:00`;
/** `YYYYMMDD`, as in an RRULE's UNTIL. */
const compact = (date: string): string => date.replaceAll('-', '');

const monthDay = (date: string): string => date.slice(5);
/** Standard time (+01:00) with a margin around the clock changes of late March and late October. */
const inWinter = (date: string): boolean => monthDay(date) >= '11-01' || monthDay(date) <= '03-20';
/** Summer time (+02:00), with the same margin. */
const inSummer = (date: string): boolean => monthDay(date) >= '04-05' && monthDay(date) <= '10-20';

/** The first day, at least 3 days ahead, from which `span` more days all lie in `season`. */
function seasonStart(season: (date: string) => boolean, span: number): string {
  for (let offset = 3; offset < 300; offset++) {
    const date = plusDays(TODAY, offset);
    if (season(date) && season(plusDays(date, span))) return date;
  }
  throw new Error('no such season ahead');
}

function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0)); // day 0 of the next month: the month's last day
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

/** Berlin's clock change in `month` (3: to +02:00, 10: to +01:00) nearest ahead, or at most 20 days past (the window reaches back 30). */
function clockChange(month: 3 | 10): string {
  const year = Number(TODAY.slice(0, 4));
  const found = [lastSunday(year, month), lastSunday(year + 1, month)].find((d) => d >= plusDays(TODAY, -20));
  assert.ok(found, 'a clock change within the window');
  return found;
}

/** A Berlin dateTime as Google returns it for an event written with `timeZone: Europe/Berlin`. */
const timed = (date: string, time: string, offset: '+01:00' | '+02:00'): EventDateTime => ({
  dateTime: `${date}T${time}${offset}`,
  timeZone: BERLIN,
});
const allDay = (date: string): EventDateTime => ({ date, timeZone: BERLIN });

/** What an event shows, in the fields this file checks. */
interface Shown {
  start: EventDateTime;
  end: EventDateTime;
  recurrence?: string[];
  summary?: string;
  description?: string;
  location?: string;
}

function shown(event: CalendarEvent): Shown {
  const { start, end, recurrence, summary, description, location } = event;
  return {
    start,
    end,
    ...(recurrence !== undefined && { recurrence }),
    ...(summary !== undefined && { summary }),
    ...(description !== undefined && { description }),
    ...(location !== undefined && { location }),
  };
}

/** A Termin without its identity, to compare what it holds. */
function fieldsOf(termin: SimTermin): TerminFields {
  const { frNr: _frNr, rowId: _rowId, ...fields } = termin;
  return fields;
}

/** A Termin of ABC as Advoware stores it, from the fields a test cares about. */
function terminFields(fields: Partial<TerminFields> & Pick<TerminFields, 'datum'>): TerminFields {
  return {
    kuerzel: 'ABC',
    betreff: null,
    ort: null,
    notiz: null,
    uhrzeitVon: null,
    datumBis: null,
    uhrzeitBis: null,
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...fields,
  };
}

/** Calls that change something (the Advoware token request aside), as `METHOD path` for readable failures. */
function writes(simulator: Simulator): string[] {
  return simulator.calls
    .filter()
    .filter((c) => c.method !== 'GET' && !c.route.includes('Token'))
    .map((c) => `${c.method} ${c.path} → ${c.status}`);
}

describe('calendar sync workflows (Advoware Termine ⇄ Google Calendar) on the real Temporal server', () => {
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], mitarbeiter: MITARBEITER, termine: [] },
  });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  let redis: Redis;
  let hub: TestWorker;
  const prefix = `T${randomUUID().slice(0, 6)}-`;

  before(async () => {
    const [advowareUrl, espocrmUrl, googleUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start()]);
    redis = testRedis();
    // A short pause after a rate-limit answer, so the rate-limit tests do not wait 10 s.
    hub = await createCalendarTestWorker({ advowareUrl, googleUrl, espocrmUrl, redis, prefix, rateLimitPauseMs: RATE_LIMIT_PAUSE_MS });
  });
  after(async () => {
    await hub.close();
    await Promise.all([advoware.stop(), espocrm.stop(), google.stop()]);
    redis.disconnect();
  });
  beforeEach(async () => {
    advoware.reset();
    advoware.setMitarbeiter(MITARBEITER);
    google.reset();
    const state = new CalendarStateStore(redis);
    await Promise.all(MITARBEITER.map((m) => state.clear(m.kuerzel)));
    // A failing employee's workflow stays open; one left by a failed test would take the next test's requests.
    await Promise.all(
      MITARBEITER.map((m) =>
        hub.client.workflow
          .getHandle(calendarSyncWorkflowId(m.kuerzel))
          .terminate('next test')
          .catch(() => undefined),
      ),
    );
  });

  const calendarOf = (kuerzel: string) => {
    const found = google.listCalendars().filter((c) => c.summary === `${prefix}${kuerzel}`);
    assert.equal(found.length, 1, `one calendar for ${kuerzel}`);
    return found[0]!.id;
  };
  const liveEvents = (kuerzel: string): HubEvent[] => google.listEvents(calendarOf(kuerzel));

  async function syncEmployee(kuerzel: string, fullContent?: boolean): Promise<CalendarSyncResult> {
    return hub.run(() =>
      hub.client.workflow.execute<CalendarSyncWorkflow>(calendarSyncRef.workflowType, {
        taskQueue: hub.taskQueue,
        workflowId: calendarSyncWorkflowId(kuerzel),
        args: [{ kuerzel, ...(fullContent !== undefined && { fullContent }) }],
      }),
    );
  }

  async function syncAll(): Promise<CalendarSyncAllResult> {
    return hub.run(() =>
      hub.client.workflow.execute<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
        taskQueue: hub.taskQueue,
        workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`,
        args: [{}],
      }),
    );
  }

  /** The one live event tagged with `frNr` in the employee's calendar. */
  function eventOf(frNr: number, kuerzel = 'ABC'): CalendarEvent {
    const found = google.listEvents(calendarOf(kuerzel)).filter((e) => readTags(e)?.frNr === frNr);
    assert.equal(found.length, 1, `one live event for Termin ${frNr}, found ${found.length}`);
    return found[0]!;
  }

  function terminOf(frNr: number): SimTermin {
    const found = advoware.listTermine().find((t) => t.frNr === frNr);
    assert.ok(found, `Termin ${frNr} exists in Advoware`);
    return found;
  }

  function assertTags(event: CalendarEvent, termin: SimTermin, expected: Pick<EventTags, 'origin' | 'content'>): void {
    assert.deepEqual(readTags(event), { frNr: termin.frNr, rowId: termin.rowId, complete: true, ...expected });
  }

  /** The event shows `expected` and is tagged with the Termin's current rowId. */
  function assertEventShows(
    termin: SimTermin,
    expected: Shown,
    tags: Pick<EventTags, 'origin' | 'content'> = { origin: 'advoware', content: 'private' },
  ): CalendarEvent {
    const event = eventOf(termin.frNr, termin.kuerzel);
    assert.deepEqual(shown(event), expected, `event of Termin ${termin.frNr}`);
    assertTags(event, termin, tags);
    return event;
  }

  /** A person creates an event in the employee's hub calendar. */
  const userCreates = (input: EventInput, kuerzel = 'ABC'): CalendarEvent => google.userCreateEvent(calendarOf(kuerzel), input);

  /** The Termin created from a Google event (found through the event's tag). */
  function terminFromEvent(eventId: string, kuerzel = 'ABC'): SimTermin {
    const tags = readTags(google.getEvent(calendarOf(kuerzel), eventId));
    assert.ok(tags, `event ${eventId} is tagged`);
    assert.equal(tags.origin, 'google');
    return terminOf(tags.frNr);
  }

  /**
   * A run right after a successful run: incremental, nothing planned, no write at either side, and both sides
   * exactly as before.
   */
  async function assertQuietRun(kuerzel = 'ABC', fullContent?: boolean): Promise<void> {
    const termineBefore = advoware.listTermine();
    const eventsBefore = google.listEvents(calendarOf(kuerzel), { includeDeleted: true });
    advoware.calls.reset();
    google.calls.reset();
    const result = await syncEmployee(kuerzel, fullContent);
    assert.equal(result.mode, 'incremental');
    assert.equal(result.actions.total, 0, `nothing to do, planned: ${JSON.stringify(result.actions)}`);
    assert.deepEqual(writes(advoware), []);
    assert.deepEqual(writes(google), []);
    assert.deepEqual(advoware.listTermine(), termineBefore);
    assert.deepEqual(google.listEvents(calendarOf(kuerzel), { includeDeleted: true }), eventsBefore);
  }

  it('creates the calendar and one tagged event per Termin; the next run costs 2 calls and writes nothing', async () => {
    const timed = advoware.addTermin({
      kuerzel: 'ABC',
      betreff: 'Mandant',
      datum: day(3),
      uhrzeitVon: '10:00:00',
      datumBis: day(3),
      uhrzeitBis: '11:00:00',
    });
    const allDay = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Frist', datum: day(4), dauertermin: true });
    advoware.addTermin({ kuerzel: 'DEF', betreff: 'Not ABC', datum: day(4), dauertermin: true });

    const first = await syncEmployee('ABC');
    assert.equal(first.mode, 'full');
    assert.equal(first.calendarCreated, true);
    assert.equal(first.actions.createEvent, 2);
    const events = liveEvents('ABC');
    assert.deepEqual(events.map((e) => readTags(e)?.frNr).sort(), [timed.frNr, allDay.frNr].sort());
    assert.ok(
      events.every((e) => e.summary === 'Advoware-Termin'),
      'neutral titles without full_content',
    );

    advoware.calls.reset();
    google.calls.reset();
    const second = await syncEmployee('ABC');
    assert.equal(second.mode, 'incremental');
    assert.equal(second.actions.total, 0);
    assert.equal(second.googleCalls + second.advowareCalls, 2);
    const seen = [...advoware.calls.filter(), ...google.calls.filter()].filter((c) => !c.route.includes('Token'));
    assert.equal(seen.length, 2, `API calls seen: ${seen.map((c) => c.route).join(', ')}`);
  });

  it('calendar-sync-all syncs every active employee and skips the inactive one', async () => {
    advoware.addTermin({ kuerzel: 'ABC', datum: day(2), dauertermin: true });
    advoware.addTermin({ kuerzel: 'DEF', datum: day(2), dauertermin: true });
    advoware.addTermin({ kuerzel: 'OLD', datum: day(2), dauertermin: true });
    const result: CalendarSyncAllResult = await hub.run(() =>
      hub.client.workflow.execute<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
        taskQueue: hub.taskQueue,
        workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`,
        args: [{}],
      }),
    );
    assert.equal(result.synced, 2);
    assert.equal(result.failed, 0);
    assert.equal(liveEvents('ABC').length, 1);
    assert.equal(liveEvents('DEF').length, 1);
    assert.equal(google.listCalendars().filter((c) => c.summary === `${prefix}OLD`).length, 0);
  });

  describe('direction rules', () => {
    const W = seasonStart(inWinter, 10);

    it('new, changed and deleted in Advoware → created, updated and deleted in Google', async () => {
      const moved = advoware.addTermin({
        kuerzel: 'ABC',
        betreff: 'Mandant',
        datum: aw(W),
        uhrzeitVon: '10:00:00',
        datumBis: aw(W),
        uhrzeitBis: '11:00:00',
      });
      const dropped = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Frist', datum: aw(plusDays(W, 1)), dauertermin: true });
      const created = await syncEmployee('ABC');
      assert.equal(created.actions.createEvent, 2);
      assert.equal(created.actions.total, 2);
      assertEventShows(moved, { start: timed(W, '10:00:00', '+01:00'), end: timed(W, '11:00:00', '+01:00'), summary: NEUTRAL_SUMMARY });
      const droppedEvent = assertEventShows(dropped, { start: allDay(plusDays(W, 1)), end: allDay(plusDays(W, 2)), summary: NEUTRAL_SUMMARY });
      await assertQuietRun();

      const movedNow = advoware.editTermin(moved.frNr, {
        datum: aw(plusDays(W, 2)),
        datumBis: aw(plusDays(W, 2)),
        uhrzeitVon: '15:00:00',
        uhrzeitBis: '16:30:00',
      });
      advoware.deleteTermin(dropped.frNr);
      const added = advoware.addTermin({
        kuerzel: 'ABC',
        datum: aw(plusDays(W, 3)),
        uhrzeitVon: '08:00:00',
        datumBis: aw(plusDays(W, 3)),
        uhrzeitBis: '08:30:00',
      });
      const termineBefore = advoware.listTermine();
      advoware.calls.reset();
      const changed = await syncEmployee('ABC');
      assert.equal(changed.mode, 'incremental');
      assert.deepEqual([changed.actions.createEvent, changed.actions.updateEvent, changed.actions.deleteEvent, changed.actions.total], [1, 1, 1, 3]);

      const p2 = plusDays(W, 2);
      assertEventShows(movedNow, { start: timed(p2, '15:00:00', '+01:00'), end: timed(p2, '16:30:00', '+01:00'), summary: NEUTRAL_SUMMARY });
      assert.equal(google.getEvent(calendarOf('ABC'), droppedEvent.id).status, 'cancelled');
      const p3 = plusDays(W, 3);
      assertEventShows(added, { start: timed(p3, '08:00:00', '+01:00'), end: timed(p3, '08:30:00', '+01:00'), summary: NEUTRAL_SUMMARY });
      assert.equal(liveEvents('ABC').length, 2);
      assert.deepEqual(writes(advoware), [], 'Advoware is only read');
      assert.deepEqual(advoware.listTermine(), termineBefore);
      await assertQuietRun();
    });

    it('new in Google → a Termin is created in Advoware and the event tagged with its frNr and rowId', async () => {
      await syncEmployee('ABC'); // creates the (empty) calendar
      const event = userCreates({
        summary: 'Besprechung Meier',
        location: 'Büro',
        start: { dateTime: `${W}T13:00:00+01:00`, timeZone: BERLIN },
        end: { dateTime: `${W}T14:15:00+01:00`, timeZone: BERLIN },
      });
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.createTermin, 1);
      assert.equal(result.actions.total, 1);

      const termine = advoware.listTermine();
      assert.equal(termine.length, 1);
      const termin = termine[0]!;
      assert.deepEqual(
        fieldsOf(termin),
        terminFields({ betreff: 'Besprechung Meier', ort: 'Büro', datum: aw(W), uhrzeitVon: '13:00:00', datumBis: aw(W), uhrzeitBis: '14:15:00' }),
      );
      const tagged = google.getEvent(calendarOf('ABC'), event.id);
      assertTags(tagged, termin, { origin: 'google', content: 'private' });
      // The person's own title stays: Google never learned it from Advoware.
      assert.deepEqual(shown(tagged), {
        start: timed(W, '13:00:00', '+01:00'),
        end: timed(W, '14:15:00', '+01:00'),
        summary: 'Besprechung Meier',
        location: 'Büro',
      });
      assert.equal(liveEvents('ABC').length, 1, 'no second event for the new Termin');
      await assertQuietRun();
    });

    it('changed in Google, unchanged in Advoware → written to Advoware (texts only with full_content)', async () => {
      const termin = advoware.addTermin({
        kuerzel: 'ABC',
        betreff: 'Mandant Meier',
        ort: 'Saal 1',
        datum: aw(W),
        uhrzeitVon: '10:00:00',
        datumBis: aw(W),
        uhrzeitBis: '11:00:00',
      });
      await syncEmployee('ABC');
      const event = eventOf(termin.frNr);
      google.userEditEvent(calendarOf('ABC'), event.id, {
        summary: 'my own note',
        start: { dateTime: `${plusDays(W, 1)}T12:00:00+01:00`, timeZone: BERLIN },
        end: { dateTime: `${plusDays(W, 1)}T13:30:00+01:00`, timeZone: BERLIN },
      });
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.updateTermin, 1);
      assert.equal(result.actions.total, 1);
      const written = terminOf(termin.frNr);
      assert.notEqual(written.rowId, termin.rowId);
      // Private mode: the times come from Google, the texts stay Advoware's and Google shows the neutral title again.
      assert.deepEqual(
        fieldsOf(written),
        terminFields({
          betreff: 'Mandant Meier',
          ort: 'Saal 1',
          datum: aw(plusDays(W, 1)),
          uhrzeitVon: '12:00:00',
          datumBis: aw(plusDays(W, 1)),
          uhrzeitBis: '13:30:00',
        }),
      );
      assertEventShows(written, {
        start: timed(plusDays(W, 1), '12:00:00', '+01:00'),
        end: timed(plusDays(W, 1), '13:30:00', '+01:00'),
        summary: NEUTRAL_SUMMARY,
      });
      await assertQuietRun();

      // With full_content the texts are Advoware's in Google too, so a text edit there is written back.
      await syncEmployee('ABC', true);
      google.userEditEvent(calendarOf('ABC'), event.id, { summary: 'Mandant Meier (verlegt)', location: 'Saal 5' });
      const texts = await syncEmployee('ABC', true);
      assert.equal(texts.actions.updateTermin, 1);
      const rewritten = terminOf(termin.frNr);
      assert.deepEqual(fieldsOf(rewritten), { ...fieldsOf(written), betreff: 'Mandant Meier (verlegt)', ort: 'Saal 5' });
      assertEventShows(
        rewritten,
        {
          start: timed(plusDays(W, 1), '12:00:00', '+01:00'),
          end: timed(plusDays(W, 1), '13:30:00', '+01:00'),
          summary: 'Mandant Meier (verlegt)',
          location: 'Saal 5',
        },
        { origin: 'advoware', content: 'full' },
      );
      await assertQuietRun('ABC', true);
    });

    it('changed on both sides → Advoware wins: both end with Advoware’s values and Advoware is not written', async () => {
      const termin = advoware.addTermin({ kuerzel: 'ABC', datum: aw(W), uhrzeitVon: '10:00:00', datumBis: aw(W), uhrzeitBis: '11:00:00' });
      await syncEmployee('ABC');
      const event = eventOf(termin.frNr);
      const edited = advoware.editTermin(termin.frNr, { uhrzeitVon: '14:00:00', uhrzeitBis: '15:00:00' });
      google.userEditEvent(calendarOf('ABC'), event.id, {
        start: { dateTime: `${W}T16:00:00+01:00`, timeZone: BERLIN },
        end: { dateTime: `${W}T17:00:00+01:00`, timeZone: BERLIN },
      });
      advoware.calls.reset();
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.updateEvent, 1);
      assert.equal(result.actions.total, 1);
      assert.deepEqual(writes(advoware), []);
      assert.deepEqual(terminOf(termin.frNr), edited);
      assertEventShows(edited, { start: timed(W, '14:00:00', '+01:00'), end: timed(W, '15:00:00', '+01:00'), summary: NEUTRAL_SUMMARY });
      await assertQuietRun();
    });

    it('an Advoware-origin event deleted in Google is re-created; the Termin stays', async () => {
      const termin = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Frist Berufung', datum: aw(W), dauertermin: true });
      await syncEmployee('ABC');
      const deleted = eventOf(termin.frNr);
      google.userDeleteEvent(calendarOf('ABC'), deleted.id);
      advoware.calls.reset();
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.recreateEvent, 1);
      assert.equal(result.actions.total, 1);
      assert.deepEqual(writes(advoware), []);
      assert.deepEqual(advoware.listTermine(), [termin]);
      const recreated = assertEventShows(termin, { start: allDay(W), end: allDay(plusDays(W, 1)), summary: NEUTRAL_SUMMARY });
      assert.notEqual(recreated.id, deleted.id);
      assert.equal(google.getEvent(calendarOf('ABC'), deleted.id).status, 'cancelled');
      await assertQuietRun();
    });

    it('a Google-origin event deleted in Google → its Termin is deleted in Advoware (unless Advoware changed it since)', async () => {
      await syncEmployee('ABC');
      const slot = (offset: number, hour: string) => ({
        start: { dateTime: `${plusDays(W, offset)}T${hour}:00:00+01:00`, timeZone: BERLIN },
        end: { dateTime: `${plusDays(W, offset)}T${hour}:30:00+01:00`, timeZone: BERLIN },
      });
      const doomed = userCreates({ summary: 'Telefonat', ...slot(0, '09') });
      const kept = userCreates({ summary: 'Rückruf', ...slot(1, '11') });
      await syncEmployee('ABC');
      const doomedTermin = terminFromEvent(doomed.id);
      const keptTermin = terminFromEvent(kept.id);
      await assertQuietRun();

      google.userDeleteEvent(calendarOf('ABC'), doomed.id);
      google.userDeleteEvent(calendarOf('ABC'), kept.id);
      const changedInAdvoware = advoware.editTermin(keptTermin.frNr, { uhrzeitVon: '12:00:00', uhrzeitBis: '12:45:00' });
      google.calls.reset();
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.deleteTermin, 1);
      assert.equal(result.actions.recreateEvent, 1);
      assert.equal(result.actions.total, 2);
      assert.deepEqual(advoware.listTermine(), [changedInAdvoware], `Termin ${doomedTermin.frNr} is deleted, the changed one stays`);
      // The re-created event keeps its origin, so deleting it again later still means deleting the Termin.
      const d1 = plusDays(W, 1);
      assertEventShows(
        changedInAdvoware,
        { start: timed(d1, '12:00:00', '+01:00'), end: timed(d1, '12:45:00', '+01:00'), summary: NEUTRAL_SUMMARY },
        { origin: 'google', content: 'private' },
      );
      assert.equal(liveEvents('ABC').length, 1);
      assert.equal(google.getEvent(calendarOf('ABC'), doomed.id).status, 'cancelled');
      await assertQuietRun();

      // Deleted in Google again, now with the Termin unchanged since: the Termin goes too.
      google.userDeleteEvent(calendarOf('ABC'), eventOf(changedInAdvoware.frNr).id);
      const again = await syncEmployee('ABC');
      assert.equal(again.actions.deleteTermin, 1);
      assert.equal(again.actions.total, 1);
      assert.deepEqual(advoware.listTermine(), []);
      assert.equal(liveEvents('ABC').length, 0);
      await assertQuietRun();
    });
  });

  describe('mapping', () => {
    it('timed (Berlin offsets), all-day (end exclusive), multi-day and series Termine become the right events', async () => {
      const w = seasonStart(inWinter, 40);
      const s = seasonStart(inSummer, 5);
      const d = (offset: number) => plusDays(w, offset);
      const winter = advoware.addTermin({
        kuerzel: 'ABC',
        betreff: 'Winter',
        datum: aw(w),
        uhrzeitVon: '10:00:00',
        datumBis: aw(w),
        uhrzeitBis: '11:30:00',
      });
      const summer = advoware.addTermin({
        kuerzel: 'ABC',
        betreff: 'Sommer',
        datum: aw(s),
        uhrzeitVon: '10:00:00',
        datumBis: aw(s),
        uhrzeitBis: '11:30:00',
      });
      const oneDay = advoware.addTermin({ kuerzel: 'ABC', datum: aw(d(1)), dauertermin: true });
      const multiTimed = advoware.addTermin({ kuerzel: 'ABC', datum: aw(d(2)), uhrzeitVon: '09:00:00', datumBis: aw(d(4)), uhrzeitBis: '17:00:00' });
      const multiAllDay = advoware.addTermin({ kuerzel: 'ABC', datum: aw(d(5)), datumBis: aw(d(7)), dauertermin: true });
      const weekly = advoware.addTermin({
        kuerzel: 'ABC',
        datum: aw(d(7)),
        uhrzeitVon: '09:00:00',
        datumBis: aw(d(7)),
        uhrzeitBis: '10:00:00',
        turnus: 1,
        turnusArt: 2,
        turnusBis: aw(d(35)),
      });
      const everyOtherDay = advoware.addTermin({ kuerzel: 'ABC', datum: aw(d(8)), dauertermin: true, turnus: 2, turnusArt: 1, turnusBis: aw(d(20)) });

      const result = await syncEmployee('ABC');
      assert.equal(result.actions.createEvent, 7);
      const neutral = { summary: NEUTRAL_SUMMARY };
      assertEventShows(winter, { start: timed(w, '10:00:00', '+01:00'), end: timed(w, '11:30:00', '+01:00'), ...neutral });
      assertEventShows(summer, { start: timed(s, '10:00:00', '+02:00'), end: timed(s, '11:30:00', '+02:00'), ...neutral });
      assertEventShows(oneDay, { start: allDay(d(1)), end: allDay(d(2)), ...neutral });
      assertEventShows(multiTimed, { start: timed(d(2), '09:00:00', '+01:00'), end: timed(d(4), '17:00:00', '+01:00'), ...neutral });
      assertEventShows(multiAllDay, { start: allDay(d(5)), end: allDay(d(8)), ...neutral });
      // UNTIL covers the whole last day in Berlin: 23:59:59+01:00 written in UTC.
      assertEventShows(weekly, {
        start: timed(d(7), '09:00:00', '+01:00'),
        end: timed(d(7), '10:00:00', '+01:00'),
        recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=${compact(d(35))}T225959Z`],
        ...neutral,
      });
      assertEventShows(everyOtherDay, {
        start: allDay(d(8)),
        end: allDay(d(9)),
        recurrence: [`RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=${compact(d(20))}`],
        ...neutral,
      });
      assert.deepEqual(writes(advoware), []);
      // What the hub wrote reads back as the same Termine: the next run sees no difference.
      await assertQuietRun();

      // And back: a series edited in Google becomes turnus fields in Advoware.
      google.userEditEvent(calendarOf('ABC'), eventOf(weekly.frNr).id, {
        recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=${compact(d(28))}T225959Z`],
      });
      const edited = await syncEmployee('ABC');
      assert.equal(edited.actions.updateTermin, 1);
      const rewritten = terminOf(weekly.frNr);
      assert.deepEqual(fieldsOf(rewritten), { ...fieldsOf(weekly), datumBis: aw(d(7)), turnus: 2, turnusBis: aw(d(28)) });
      assertEventShows(rewritten, {
        start: timed(d(7), '09:00:00', '+01:00'),
        end: timed(d(7), '10:00:00', '+01:00'),
        recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=${compact(d(28))}T225959Z`],
        ...neutral,
      });
      await assertQuietRun();
    });

    it('events created in Google (UTC times, RRULEs, multi-day all-day) become Termine with Berlin wall clock and turnus fields', async () => {
      const w = seasonStart(inWinter, 60);
      const d = (offset: number) => plusDays(w, offset);
      await syncEmployee('ABC');
      const utcTimed = userCreates({
        summary: 'Serie',
        // Google wants a zone for a series (to expand it); the times themselves are written in UTC.
        start: { dateTime: `${d(1)}T13:00:00Z`, timeZone: BERLIN },
        end: { dateTime: `${d(1)}T14:00:00Z`, timeZone: BERLIN },
        recurrence: [`RRULE:FREQ=WEEKLY;UNTIL=${compact(d(29))}T225959Z;INTERVAL=2`],
      });
      const monthly = userCreates({
        summary: 'Monatlich',
        start: { date: d(2) },
        end: { date: d(3) },
        recurrence: [`RRULE:FREQ=MONTHLY;UNTIL=${compact(d(59))}`],
      });
      const span = userCreates({ summary: 'Urlaub', start: { date: d(10) }, end: { date: d(13) } });

      const result = await syncEmployee('ABC');
      assert.equal(result.actions.createTermin, 3);
      assert.equal(result.actions.lossy, 0);

      const series = terminFromEvent(utcTimed.id);
      assert.deepEqual(
        fieldsOf(series),
        terminFields({
          betreff: 'Serie',
          datum: aw(d(1)),
          uhrzeitVon: '14:00:00',
          datumBis: aw(d(1)),
          uhrzeitBis: '15:00:00',
          turnus: 2,
          turnusArt: 2,
          turnusBis: aw(d(29)),
        }),
      );
      const monthlyTermin = terminFromEvent(monthly.id);
      assert.deepEqual(
        fieldsOf(monthlyTermin),
        terminFields({ betreff: 'Monatlich', datum: aw(d(2)), datumBis: aw(d(2)), dauertermin: true, turnus: 1, turnusArt: 3, turnusBis: aw(d(59)) }),
      );
      const spanTermin = terminFromEvent(span.id);
      assert.deepEqual(fieldsOf(spanTermin), terminFields({ betreff: 'Urlaub', datum: aw(d(10)), datumBis: aw(d(12)), dauertermin: true }));

      // The events now carry the hub's form of the same times: Berlin zone, normalised RRULEs.
      const googleTags = { origin: 'google', content: 'private' } as const;
      assertEventShows(
        series,
        {
          start: timed(d(1), '14:00:00', '+01:00'),
          end: timed(d(1), '15:00:00', '+01:00'),
          recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=${compact(d(29))}T225959Z`],
          summary: 'Serie',
        },
        googleTags,
      );
      assertEventShows(
        monthlyTermin,
        { start: allDay(d(2)), end: allDay(d(3)), recurrence: [`RRULE:FREQ=MONTHLY;INTERVAL=1;UNTIL=${compact(d(59))}`], summary: 'Monatlich' },
        googleTags,
      );
      assertEventShows(spanTermin, { start: allDay(d(10)), end: allDay(d(13)), summary: 'Urlaub' }, googleTags);
      await assertQuietRun();
    });

    it('DST: 09:00 Berlin stays 09:00 across both clock changes, both ways; weekly series keep Europe/Berlin', async () => {
      const spring = clockChange(3);
      const autumn = clockChange(10);
      const at9 = (date: string) =>
        advoware.addTermin({ kuerzel: 'ABC', datum: aw(date), uhrzeitVon: '09:00:00', datumBis: aw(date), uhrzeitBis: '10:00:00' });
      const weeklyAcross = (change: string) =>
        advoware.addTermin({
          kuerzel: 'ABC',
          datum: aw(plusDays(change, -3)),
          uhrzeitVon: '09:00:00',
          datumBis: aw(plusDays(change, -3)),
          uhrzeitBis: '10:00:00',
          turnus: 1,
          turnusArt: 2,
          turnusBis: aw(plusDays(change, 11)),
        });
      const beforeSpring = at9(plusDays(spring, -2));
      const afterSpring = at9(plusDays(spring, 2));
      const beforeAutumn = at9(plusDays(autumn, -2));
      const afterAutumn = at9(plusDays(autumn, 2));
      const springSeries = weeklyAcross(spring);
      const autumnSeries = weeklyAcross(autumn);
      await syncEmployee('ABC');

      const nine = (date: string, offset: '+01:00' | '+02:00'): Shown => ({
        start: timed(date, '09:00:00', offset),
        end: timed(date, '10:00:00', offset),
        summary: NEUTRAL_SUMMARY,
      });
      assertEventShows(beforeSpring, nine(plusDays(spring, -2), '+01:00'));
      assertEventShows(afterSpring, nine(plusDays(spring, 2), '+02:00'));
      assertEventShows(beforeAutumn, nine(plusDays(autumn, -2), '+02:00'));
      assertEventShows(afterAutumn, nine(plusDays(autumn, 2), '+01:00'));
      // The series start in one offset and end (UNTIL, 23:59:59 Berlin of the last day) in the other.
      assertEventShows(springSeries, {
        ...nine(plusDays(spring, -3), '+01:00'),
        recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=${compact(plusDays(spring, 11))}T215959Z`],
      });
      assertEventShows(autumnSeries, {
        ...nine(plusDays(autumn, -3), '+02:00'),
        recurrence: [`RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=${compact(plusDays(autumn, 11))}T225959Z`],
      });

      // Google → Advoware: instants in UTC on either side of a change are 09:00 Berlin wall clock.
      const fromGoogle = [
        { date: plusDays(spring, 1), utcHour: '07' },
        { date: plusDays(spring, -1), utcHour: '08' },
        { date: plusDays(autumn, 1), utcHour: '08' },
        { date: plusDays(autumn, -1), utcHour: '07' },
      ].map(({ date, utcHour }) => ({
        date,
        event: userCreates({ start: { dateTime: `${date}T${utcHour}:00:00Z` }, end: { dateTime: `${date}T${utcHour}:30:00Z` } }),
      }));
      const result = await syncEmployee('ABC');
      assert.equal(result.actions.createTermin, 4);
      for (const { date, event } of fromGoogle) {
        assert.deepEqual(
          fieldsOf(terminFromEvent(event.id)),
          terminFields({ datum: aw(date), uhrzeitVon: '09:00:00', datumBis: aw(date), uhrzeitBis: '09:30:00' }),
        );
      }
      await assertQuietRun();
    });
  });

  it('full_content: neutral by default, texts on request, scrubbed again when switched back; Advoware is never written', async () => {
    const W = seasonStart(inWinter, 2);
    const termin = advoware.addTermin({
      kuerzel: 'ABC',
      betreff: 'Mandant Müller',
      ort: 'Saal 3',
      notiz: 'Akte 12/26\nRichter Schmidt',
      datum: aw(W),
      uhrzeitVon: '10:00:00',
      datumBis: aw(W),
      uhrzeitBis: '11:00:00',
    });
    const times = { start: timed(W, '10:00:00', '+01:00'), end: timed(W, '11:00:00', '+01:00') };
    const content = (fullContent: boolean) => ({ origin: 'advoware', content: fullContent ? 'full' : 'private' }) as const;

    await syncEmployee('ABC');
    assertEventShows(termin, { ...times, summary: NEUTRAL_SUMMARY }, content(false));

    advoware.calls.reset();
    const full = await syncEmployee('ABC', true);
    assert.equal(full.actions.updateEvent, 1);
    assert.equal(full.actions.total, 1);
    assertEventShows(termin, { ...times, summary: 'Mandant Müller', location: 'Saal 3', description: 'Akte 12/26\nRichter Schmidt' }, content(true));
    assert.deepEqual(writes(advoware), []);
    assert.deepEqual(advoware.listTermine(), [termin]);
    await assertQuietRun('ABC', true);

    advoware.calls.reset();
    const scrubbed = await syncEmployee('ABC', false);
    assert.equal(scrubbed.actions.updateEvent, 1);
    assert.equal(scrubbed.actions.total, 1);
    assertEventShows(termin, { ...times, summary: NEUTRAL_SUMMARY }, content(false));
    assert.deepEqual(writes(advoware), []);
    assert.deepEqual(advoware.listTermine(), [termin]);
    await assertQuietRun();
  });

  it('410 Gone: a full resync that applies the changes of both sides; the next run is incremental and writes nothing', async () => {
    const W = seasonStart(inWinter, 5);
    const fromAdvoware = advoware.addTermin({ kuerzel: 'ABC', datum: aw(W), uhrzeitVon: '10:00:00', datumBis: aw(W), uhrzeitBis: '11:00:00' });
    const editedInGoogle = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Termin', datum: aw(plusDays(W, 1)), dauertermin: true });
    await syncEmployee('ABC');

    const changedInAdvoware = advoware.editTermin(fromAdvoware.frNr, { uhrzeitVon: '11:00:00', uhrzeitBis: '12:00:00' });
    google.userEditEvent(calendarOf('ABC'), eventOf(editedInGoogle.frNr).id, { start: { date: plusDays(W, 2) }, end: { date: plusDays(W, 4) } });
    const newInGoogle = userCreates({ summary: 'Neu', start: { date: plusDays(W, 5) }, end: { date: plusDays(W, 6) } });
    google.invalidateSyncTokens();

    const result = await syncEmployee('ABC');
    assert.equal(result.syncTokenExpired, true);
    assert.equal(result.mode, 'full');
    assert.deepEqual([result.actions.updateEvent, result.actions.updateTermin, result.actions.createTermin, result.actions.total], [1, 1, 1, 3]);
    assert.ok(
      google.calls.filter().some((c) => c.status === 410),
      'the expired token was answered with 410',
    );

    assertEventShows(changedInAdvoware, { start: timed(W, '11:00:00', '+01:00'), end: timed(W, '12:00:00', '+01:00'), summary: NEUTRAL_SUMMARY });
    const rewritten = terminOf(editedInGoogle.frNr);
    assert.deepEqual(fieldsOf(rewritten), { ...fieldsOf(editedInGoogle), datum: aw(plusDays(W, 2)), datumBis: aw(plusDays(W, 3)) });
    assertEventShows(rewritten, { start: allDay(plusDays(W, 2)), end: allDay(plusDays(W, 4)), summary: NEUTRAL_SUMMARY });
    const created = terminFromEvent(newInGoogle.id);
    assert.deepEqual(fieldsOf(created), terminFields({ betreff: 'Neu', datum: aw(plusDays(W, 5)), datumBis: aw(plusDays(W, 5)), dauertermin: true }));
    assert.equal(advoware.listTermine().length, 3);
    assert.equal(liveEvents('ABC').length, 3);
    await assertQuietRun();
  });

  describe('failures of one employee', () => {
    const W = seasonStart(inWinter, 5);

    /** Regex source for the events paths of one calendar (the id's `@` travels percent-encoded). */
    const eventsPathOf = (kuerzel: string) => `/calendars/${calendarOf(kuerzel).split('@')[0]}[^/]*/events`;
    const outcomeOf = (result: CalendarSyncAllResult, kuerzel: string): EmployeeOutcome => {
      const found = result.employees.find((o) => o.kuerzel === kuerzel);
      assert.ok(found, `an outcome for ${kuerzel}`);
      return found;
    };
    /** The (all-day) Termine of `kuerzel` each have exactly one live event, and there are no others. */
    const assertAllShown = (kuerzel: string): void => {
      const termine = advoware.listTermine(kuerzel);
      for (const termin of termine) {
        const date = termin.datum.slice(0, 10);
        assertEventShows(termin, { start: allDay(date), end: allDay(plusDays(date, 1)), summary: NEUTRAL_SUMMARY });
      }
      assert.equal(liveEvents(kuerzel).length, termine.length);
    };
    const addAllDay = (kuerzel: string, offset: number) => advoware.addTermin({ kuerzel, datum: aw(plusDays(W, offset)), dauertermin: true });

    it('a Google 5xx burst on one employee’s calendar is ridden out by activity retries: both employees end synced', async () => {
      addAllDay('ABC', 0);
      addAllDay('DEF', 0);
      assert.equal((await syncAll()).synced, 2);
      for (let i = 1; i <= 4; i++) addAllDay('ABC', i);
      addAllDay('DEF', 1);
      google.faults.add({ path: eventsPathOf('ABC'), method: 'POST', status: 503, times: 4 });
      google.calls.reset();
      const termineBefore = advoware.listTermine();

      const result = await syncAll();
      assert.deepEqual(result.employees.map((o) => [o.kuerzel, o.status]).sort(), [
        ['ABC', 'synced'],
        ['DEF', 'synced'],
      ]);
      const failedCalls = google.calls.filter().filter((c) => c.status === 503);
      assert.equal(failedCalls.length, 4, 'the injected 503s were answered');
      assert.ok(failedCalls.every((c) => c.faulted && c.path.includes(calendarOf('ABC').split('@')[0]!)));
      assertAllShown('ABC');
      assertAllShown('DEF');
      assert.equal(liveEvents('ABC').length, 5);
      assert.deepEqual(advoware.listTermine(), termineBefore);
    });

    it('a permanent Google failure fails only that employee, with its root cause; the other is synced, and both are once the fault clears', async () => {
      addAllDay('ABC', 0);
      addAllDay('DEF', 0);
      assert.equal((await syncAll()).synced, 2);
      addAllDay('ABC', 1);
      addAllDay('DEF', 1);
      // Non-retryable (400), so the employee fails at once instead of after six retries of a 5xx (≈ 1 min).
      google.faults.add({ path: eventsPathOf('ABC'), method: 'GET', status: 400 });
      const termineBefore = advoware.listTermine();

      const failing = await syncAll();
      assert.deepEqual([failing.outcome, failing.synced, failing.failed], ['partial_failure', 1, 1]);
      const failed = outcomeOf(failing, 'ABC');
      assert.ok(failed.status === 'failed', `ABC: ${failed.status}`);
      assert.deepEqual([failed.reason.type, failed.reason.call, failed.reason.httpStatus], ['GoogleBadRequest', 'googleListEvents', 400]);
      assert.equal(outcomeOf(failing, 'DEF').status, 'synced');
      assertAllShown('DEF');
      assert.equal(liveEvents('ABC').length, 1, 'ABC keeps what it had');
      assert.ok(google.calls.filter().some((c) => c.status === 400 && c.faulted));
      assert.deepEqual(advoware.listTermine(), termineBefore);

      google.faults.clear();
      // ABC's workflow stayed open, failing: this calendar-sync-all wakes it and hears of its run by signal.
      const healed = await syncAll();
      assert.deepEqual([healed.outcome, healed.synced, healed.failed], ['all_synced', 2, 0]);
      assertAllShown('ABC');
      assertAllShown('DEF');
      assert.equal(liveEvents('ABC').length, 2);
      assert.deepEqual(advoware.listTermine(), termineBefore);
    });

    it('rate limits (429, 403 rateLimitExceeded) are backed off and retried; the run completes', async () => {
      addAllDay('ABC', 0);
      await syncEmployee('ABC');
      addAllDay('ABC', 1);
      addAllDay('ABC', 2);
      google.injectRateLimit({ kind: '429', method: 'GET', times: 1 });
      google.injectRateLimit({ kind: '403', method: 'POST', times: 2 });
      google.calls.reset();
      const termineBefore = advoware.listTermine();

      const result = await syncEmployee('ABC');
      assert.equal(result.actions.createEvent, 2);
      assert.equal(result.actions.total, 2);
      const limited = google.calls.filter().filter((c) => c.faulted);
      assert.deepEqual(limited.map((c) => `${c.method} ${c.status}`).sort(), ['GET 429', 'POST 403', 'POST 403']);
      assertAllShown('ABC');
      assert.equal(liveEvents('ABC').length, 3);
      assert.deepEqual(advoware.listTermine(), termineBefore);
      await assertQuietRun();
    });
  });
});
