import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { calendar_v3 } from 'googleapis';
import {
  CALENDAR_SCOPE,
  classifyGoogleError,
  createCalendarClient,
  googleFailure,
  type GoogleErrorClassification,
} from '../../clients/google/calendar';
import { failureDetails } from '../../clients/errors';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';

const START = Date.parse('2030-01-10T08:00:00.000Z');
let clockMs = START;
/** The simulator's clock; advanced by every write below so `updated` strictly increases. */
const tick = (seconds = 1): void => {
  clockMs += seconds * 1000;
};

const sim = new GoogleCalendarSimulator({ clock: () => new Date(clockMs) });
let baseUrl = '';
let calendar: calendar_v3.Calendar;

const EVENTS_ROUTE = 'GET /calendar/v3/calendars/:calendarId/events';
const EVENT_ROUTE = '/calendar/v3/calendars/:calendarId/events/:eventId';

before(async () => {
  baseUrl = await sim.start();
  calendar = createCalendarClient({ baseUrl });
});

after(async () => {
  await sim.stop();
});

beforeEach(() => {
  sim.reset();
  clockMs = START;
});

/** Awaits a call that must fail and returns how the hub would classify the failure. */
async function failure(call: Promise<unknown>): Promise<GoogleErrorClassification> {
  try {
    await call;
  } catch (err) {
    return classifyGoogleError(err);
  }
  assert.fail('expected the call to fail');
}

async function newCalendar(summary = 'Kalender ABC', timeZone = 'Europe/Berlin'): Promise<string> {
  const { data } = await calendar.calendars.insert({ requestBody: { summary, timeZone } });
  assert.ok(data.id);
  return data.id;
}

function timed(startIso: string, endIso: string, extra: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event {
  return { summary: 'Termin', start: { dateTime: startIso }, end: { dateTime: endIso }, ...extra };
}

async function insert(calendarId: string, body: calendar_v3.Schema$Event): Promise<calendar_v3.Schema$Event> {
  tick();
  return (await calendar.events.insert({ calendarId, requestBody: body })).data;
}

/** Every page of a listing; the sync token comes from the last page. */
async function listAll(params: calendar_v3.Params$Resource$Events$List): Promise<{
  items: calendar_v3.Schema$Event[];
  pages: calendar_v3.Schema$Events[];
  nextSyncToken?: string | null;
}> {
  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken = params.pageToken;
  do {
    const { data } = await calendar.events.list({ ...params, pageToken });
    pages.push(data);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
  return { items: pages.flatMap((p) => p.items ?? []), pages, nextSyncToken: pages[pages.length - 1]?.nextSyncToken };
}

describe('Google client factory', () => {
  it('points the real googleapis client at the simulator: URLs are <rootUrl>calendar/v3/…', async () => {
    await calendar.calendarList.list();
    const [call] = sim.calls.filter();
    assert.equal(call?.path, '/calendar/v3/users/me/calendarList');
    assert.equal(call?.route, 'GET /calendar/v3/users/me/calendarList');
  });

  it('rejects a base URL with a path, which googleapis would silently drop', () => {
    assert.throws(() => createCalendarClient({ baseUrl: `${baseUrl}/google` }), /without a path/);
  });

  it('needs a sandbox URL, a service account or a token', () => {
    assert.throws(() => createCalendarClient({}), /baseUrl/);
  });

  it('builds a domain-wide-delegation JWT client from a service-account key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'google-sa-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyFile = join(dir, 'sa.json');
      writeFileSync(
        keyFile,
        JSON.stringify({
          type: 'service_account',
          client_email: 'hub@project.iam.gserviceaccount.com',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        }),
      );
      const client = createCalendarClient({ serviceAccountPath: keyFile, subject: 'abc@kanzlei.example' });
      const auth = client.context._options.auth as { email?: string; subject?: string; scopes?: string | string[] };
      assert.equal(auth.email, 'hub@project.iam.gserviceaccount.com');
      assert.equal(auth.subject, 'abc@kanzlei.example');
      assert.deepEqual(auth.scopes, [CALENDAR_SCOPE]);
      assert.equal(client.context._options.retry, false);

      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"type":"authorized_user"}');
      assert.throws(() => createCalendarClient({ serviceAccountPath: bad }), /not a service-account key file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Google simulator: auth', () => {
  it('answers 401 "Login Required" in Google\'s envelope without a bearer token', async () => {
    const res = await fetch(`${baseUrl}/calendar/v3/users/me/calendarList`);
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { code: number; errors: { reason: string; domain: string }[] } };
    assert.equal(body.error.code, 401);
    assert.deepEqual(
      body.error.errors.map((e) => [e.domain, e.reason]),
      [['global', 'required']],
    );
  });

  it('accepts only the configured token when one is set', async () => {
    const strict = new GoogleCalendarSimulator({ accessToken: 'right-token' });
    const url = await strict.start();
    try {
      const wrong = await failure(createCalendarClient({ baseUrl: url, accessToken: 'wrong' }).calendarList.list());
      assert.equal(wrong.status, 401);
      assert.equal(wrong.reason, 'authError');
      const { data } = await createCalendarClient({ baseUrl: url, accessToken: 'right-token' }).calendarList.list();
      assert.equal(data.items?.length, 1);
    } finally {
      await strict.stop();
    }
  });
});

describe('Google simulator: calendars', () => {
  it('creates, gets, lists and deletes calendars', async () => {
    const id = await newCalendar('Kalender ABC');
    assert.match(id, /@group\.calendar\.google\.com$/);
    const got = await calendar.calendars.get({ calendarId: id });
    assert.equal(got.data.summary, 'Kalender ABC');
    assert.equal(got.data.timeZone, 'Europe/Berlin');

    const list = await calendar.calendarList.list();
    const entry = list.data.items?.find((c) => c.id === id);
    assert.equal(entry?.accessRole, 'owner');
    assert.ok(list.data.items?.some((c) => c.primary === true));
    assert.deepEqual(Object.keys(sim.calendarsBySummary()).sort(), ['Kalender ABC', 'hub-calendar@bitbylaw.example']);

    await calendar.calendars.delete({ calendarId: id });
    const gone = await failure(calendar.calendars.get({ calendarId: id }));
    assert.equal(gone.status, 404);
    assert.equal(gone.reason, 'notFound');
    assert.equal(sim.calendarsBySummary()['Kalender ABC'], undefined);
  });

  it('shows duplicate titles in calendarsBySummary', async () => {
    await newCalendar('Kalender ABC');
    await newCalendar('Kalender ABC');
    assert.equal(sim.calendarsBySummary()['Kalender ABC']?.length, 2);
  });

  it('resolves "primary", refuses to delete it and requires a title', async () => {
    const primary = await calendar.calendars.get({ calendarId: 'primary' });
    assert.equal(primary.data.id, 'hub-calendar@bitbylaw.example');
    const del = await failure(calendar.calendars.delete({ calendarId: 'primary' }));
    assert.equal(del.status, 400);
    const untitled = await failure(calendar.calendars.insert({ requestBody: {} }));
    assert.deepEqual([untitled.status, untitled.reason], [400, 'required']);
  });

  it('pages the calendar list', async () => {
    for (let i = 0; i < 4; i++) await newCalendar(`Kalender ${i}`);
    const first = await calendar.calendarList.list({ maxResults: 3 });
    assert.equal(first.data.items?.length, 3);
    assert.ok(first.data.nextPageToken);
    const second = await calendar.calendarList.list({ maxResults: 3, pageToken: first.data.nextPageToken });
    assert.equal(second.data.items?.length, 2);
    assert.equal(second.data.nextPageToken, undefined);
  });

  it('reset() leaves only the empty primary calendar', async () => {
    await newCalendar();
    sim.reset();
    assert.deepEqual(
      sim.listCalendars().map((c) => c.id),
      ['hub-calendar@bitbylaw.example'],
    );
  });
});

describe('Google simulator: events', () => {
  let calendarId = '';
  beforeEach(async () => {
    calendarId = await newCalendar();
  });

  it('inserts and gets an event, rendering times in the calendar zone', async () => {
    const created = await insert(
      calendarId,
      timed('2030-03-04T08:00:00Z', '2030-03-04T09:30:00Z', {
        description: 'Notiz',
        location: 'Büro',
        extendedProperties: { private: { advowareFrNr: '4711', advowareRowId: 'AAA' } },
      }),
    );
    assert.match(created.id ?? '', /^[a-v0-9]{5,}$/);
    assert.equal(created.status, 'confirmed');
    assert.equal(created.start?.dateTime, '2030-03-04T09:00:00+01:00');
    assert.equal(created.end?.dateTime, '2030-03-04T10:30:00+01:00');
    assert.equal(created.created, new Date(clockMs).toISOString());
    assert.match(created.etag ?? '', /^"\d+"$/);

    const got = await calendar.events.get({ calendarId, eventId: created.id ?? '' });
    assert.deepEqual(got.data, created);
  });

  it('round-trips all-day events and explicit time zones', async () => {
    const allDay = await insert(calendarId, { summary: 'Urlaub', start: { date: '2030-03-04' }, end: { date: '2030-03-06' } });
    assert.deepEqual([allDay.start, allDay.end], [{ date: '2030-03-04' }, { date: '2030-03-06' }]);
    const zoned = await insert(calendarId, {
      start: { dateTime: '2030-07-01T10:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2030-07-01T11:00:00', timeZone: 'Europe/Berlin' },
    });
    assert.deepEqual(zoned.start, { dateTime: '2030-07-01T10:00:00+02:00', timeZone: 'Europe/Berlin' });
  });

  it('patches: given fields change, extended properties merge, the rest stays; etag and updated move', async () => {
    const created = await insert(
      calendarId,
      timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z', {
        description: 'Notiz',
        extendedProperties: { private: { advowareFrNr: '4711', advowareRowId: 'AAA' } },
      }),
    );
    tick();
    const { data: patched } = await calendar.events.patch({
      calendarId,
      eventId: created.id ?? '',
      requestBody: { summary: 'Neu', extendedProperties: { private: { advowareRowId: 'BBB' } } },
    });
    assert.equal(patched.summary, 'Neu');
    assert.equal(patched.description, 'Notiz');
    assert.deepEqual(patched.extendedProperties?.private, { advowareFrNr: '4711', advowareRowId: 'BBB' });
    assert.notEqual(patched.etag, created.etag);
    assert.ok(Date.parse(patched.updated ?? '') > Date.parse(created.updated ?? ''));
    assert.equal(patched.created, created.created);
    assert.equal(patched.sequence, 0, 'a title change does not raise the sequence');

    tick();
    const moved = await calendar.events.patch({
      calendarId,
      eventId: created.id ?? '',
      requestBody: { start: { dateTime: '2030-03-05T08:00:00Z' }, end: { dateTime: '2030-03-05T09:00:00Z' } },
    });
    assert.equal(moved.data.sequence, 1);
  });

  it('updates: every writable field is replaced, missing ones are cleared', async () => {
    const created = await insert(
      calendarId,
      timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z', {
        description: 'Notiz',
        extendedProperties: { private: { advowareFrNr: '4711' } },
      }),
    );
    tick();
    const { data } = await calendar.events.update({
      calendarId,
      eventId: created.id ?? '',
      requestBody: timed('2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z', { summary: 'Ersetzt' }),
    });
    assert.equal(data.summary, 'Ersetzt');
    assert.equal(data.description, undefined);
    assert.equal(data.extendedProperties, undefined);
    assert.equal(data.id, created.id);
  });

  it('deletes: the event stays readable as cancelled, a second delete is 410 deleted, unknown ids 404', async () => {
    const created = await insert(calendarId, timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z'));
    const eventId = created.id ?? '';
    tick();
    const del = await calendar.events.delete({ calendarId, eventId });
    assert.equal(del.status, 204);
    const got = await calendar.events.get({ calendarId, eventId });
    assert.equal(got.data.status, 'cancelled');

    const again = await failure(calendar.events.delete({ calendarId, eventId }));
    assert.deepEqual([again.status, again.reason, again.retryable], [410, 'deleted', false]);

    const unknown = await failure(calendar.events.get({ calendarId, eventId: 'unknown0000' }));
    assert.deepEqual([unknown.status, unknown.reason, unknown.retryable], [404, 'notFound', false]);
    const unknownCalendar = await failure(calendar.events.list({ calendarId: 'nobody@group.calendar.google.com' }));
    assert.equal(unknownCalendar.status, 404);
  });

  it('accepts client-chosen ids once (409 duplicate) and only in base32hex', async () => {
    await insert(calendarId, timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z', { id: 'advo4711' }));
    const dup = await failure(
      calendar.events.insert({ calendarId, requestBody: timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z', { id: 'advo4711' }) }),
    );
    assert.deepEqual([dup.status, dup.reason], [409, 'duplicate']);
    const bad = await failure(
      calendar.events.insert({ calendarId, requestBody: timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z', { id: 'Bad_Id!' }) }),
    );
    assert.equal(bad.status, 400);
  });

  it('honours If-Match with 412 on a stale etag', async () => {
    const created = await insert(calendarId, timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z'));
    tick();
    sim.userEditEvent(calendarId, created.id ?? '', { summary: 'vom Nutzer' });
    const stale = await failure(
      calendar.events.patch(
        { calendarId, eventId: created.id ?? '', requestBody: { summary: 'Hub' } },
        { headers: { 'If-Match': created.etag ?? '' } },
      ),
    );
    assert.deepEqual([stale.status, stale.reason], [412, 'conditionNotMet']);
  });

  it('validates bodies like Google', async () => {
    const missingEnd = await failure(calendar.events.insert({ calendarId, requestBody: { start: { dateTime: '2030-03-04T08:00:00Z' } } }));
    assert.deepEqual([missingEnd.status, missingEnd.reason], [400, 'required']);
    const backwards = await failure(calendar.events.insert({ calendarId, requestBody: timed('2030-03-04T09:00:00Z', '2030-03-04T08:00:00Z') }));
    assert.deepEqual([backwards.status, backwards.reason], [400, 'timeRangeEmpty']);
    const mixed = await failure(
      calendar.events.insert({ calendarId, requestBody: { start: { date: '2030-03-04' }, end: { dateTime: '2030-03-04T08:00:00Z' } } }),
    );
    assert.equal(mixed.status, 400);
    const noZone = await failure(
      calendar.events.insert({ calendarId, requestBody: { start: { dateTime: '2030-03-04T08:00:00' }, end: { dateTime: '2030-03-04T09:00:00' } } }),
    );
    assert.deepEqual([noZone.status, noZone.reason], [400, 'required']);
  });

  it('user edits in Google change the event like API writes', () => {
    const created = sim.userCreateEvent(calendarId, { summary: 'Nutzer', start: { date: '2030-03-04' }, end: { date: '2030-03-05' } });
    tick();
    const edited = sim.userEditEvent(calendarId, created.id, { summary: 'Geändert', location: 'Raum 2' });
    assert.notEqual(edited.etag, created.etag);
    assert.equal(sim.listEvents(calendarId).length, 1);
    sim.userDeleteEvent(calendarId, created.id);
    assert.equal(sim.listEvents(calendarId).length, 0);
    assert.equal(sim.listEvents(calendarId, { includeDeleted: true })[0]?.status, 'cancelled');
    assert.equal(sim.calls.count(), 1, 'only the calendar insert went over HTTP');
  });
});

describe('Google simulator: events.list', () => {
  let calendarId = '';
  beforeEach(async () => {
    calendarId = await newCalendar();
  });

  it('pages with maxResults/pageToken; the sync token comes only with the last page', async () => {
    for (let i = 0; i < 7; i++) await insert(calendarId, timed(`2030-03-0${i + 1}T08:00:00Z`, `2030-03-0${i + 1}T09:00:00Z`, { summary: `E${i}` }));
    const { items, pages, nextSyncToken } = await listAll({ calendarId, maxResults: 3 });
    assert.deepEqual(
      pages.map((p) => p.items?.length),
      [3, 3, 1],
    );
    assert.deepEqual(
      items.map((e) => e.summary),
      ['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6'],
    );
    assert.ok(pages.slice(0, -1).every((p) => p.nextSyncToken === undefined && p.nextPageToken));
    assert.ok(nextSyncToken);
    assert.equal(sim.calls.count(EVENTS_ROUTE), 3);
  });

  it('neither skips nor repeats events when the calendar changes between pages', async () => {
    const created = [];
    for (let i = 0; i < 4; i++) created.push(await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { summary: `E${i}` })));
    const first = await calendar.events.list({ calendarId, maxResults: 2 });
    tick();
    sim.userEditEvent(calendarId, created[0]?.id ?? '', { summary: 'E0*' }); // already served
    sim.userCreateEvent(calendarId, { summary: 'late', start: { dateTime: '2030-03-02T08:00:00Z' }, end: { dateTime: '2030-03-02T09:00:00Z' } });
    const rest = await listAll({ calendarId, maxResults: 2, pageToken: first.data.nextPageToken ?? undefined });
    assert.deepEqual(
      [...(first.data.items ?? []), ...rest.items].map((e) => e.summary),
      ['E0', 'E1', 'E2', 'E3', 'late'],
    );
    // The edit happened after page one: the next incremental sync must still report it.
    const incremental = await listAll({ calendarId, syncToken: rest.nextSyncToken ?? '' });
    assert.deepEqual(incremental.items.map((e) => e.summary).sort(), ['E0*', 'late']);
  });

  it('filters by privateExtendedProperty (repeatable, all must match)', async () => {
    await insert(
      calendarId,
      timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { extendedProperties: { private: { advowareFrNr: '1', origin: 'advoware' } } }),
    );
    await insert(
      calendarId,
      timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { extendedProperties: { private: { advowareFrNr: '2', origin: 'advoware' } } }),
    );
    await insert(
      calendarId,
      timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { extendedProperties: { private: { advowareFrNr: '3', origin: 'google' } } }),
    );
    await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z'));

    const one = await calendar.events.list({ calendarId, privateExtendedProperty: ['advowareFrNr=2'] });
    assert.deepEqual(
      one.data.items?.map((e) => e.extendedProperties?.private?.advowareFrNr),
      ['2'],
    );
    const fromAdvoware = await calendar.events.list({ calendarId, privateExtendedProperty: ['origin=advoware'] });
    assert.equal(fromAdvoware.data.items?.length, 2);
    const both = await calendar.events.list({ calendarId, privateExtendedProperty: ['origin=advoware', 'advowareFrNr=3'] });
    assert.equal(both.data.items?.length, 0);
    assert.equal(one.data.nextSyncToken, undefined, 'a filtered listing is no base for incremental sync');
    const malformed = await failure(calendar.events.list({ calendarId, privateExtendedProperty: ['noEquals'] }));
    assert.equal(malformed.status, 400);
  });

  it('hides deleted events unless showDeleted', async () => {
    const a = await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z'));
    await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z'));
    await calendar.events.delete({ calendarId, eventId: a.id ?? '' });
    assert.equal((await calendar.events.list({ calendarId })).data.items?.length, 1);
    const withDeleted = await calendar.events.list({ calendarId, showDeleted: true });
    assert.deepEqual(
      withDeleted.data.items?.map((e) => e.status),
      ['cancelled', 'confirmed'],
    );
  });

  it('filters by timeMin (against the end) and timeMax (against the start)', async () => {
    await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { summary: 'before' }));
    await insert(calendarId, timed('2030-03-01T23:00:00Z', '2030-03-02T01:00:00Z', { summary: 'overlapping start' }));
    await insert(calendarId, timed('2030-03-02T10:00:00Z', '2030-03-02T11:00:00Z', { summary: 'inside' }));
    await insert(calendarId, timed('2030-03-03T00:00:00Z', '2030-03-03T01:00:00Z', { summary: 'at timeMax' }));
    await insert(calendarId, { summary: 'all day', start: { date: '2030-03-02' }, end: { date: '2030-03-03' } });
    const { data } = await calendar.events.list({ calendarId, timeMin: '2030-03-02T00:00:00Z', timeMax: '2030-03-03T00:00:00Z' });
    assert.deepEqual(
      data.items?.map((e) => e.summary),
      ['overlapping start', 'inside', 'all day'],
    );
    assert.ok(data.nextSyncToken, 'a time window still yields a sync token, as in Google');
    const noOffset = await failure(calendar.events.list({ calendarId, timeMin: '2030-03-02T00:00:00' }));
    assert.equal(noOffset.status, 400);
    const empty = await failure(calendar.events.list({ calendarId, timeMin: '2030-03-03T00:00:00Z', timeMax: '2030-03-02T00:00:00Z' }));
    assert.equal(empty.reason, 'timeRangeEmpty');
  });
});

describe('Google simulator: incremental sync', () => {
  let calendarId = '';
  beforeEach(async () => {
    calendarId = await newCalendar();
  });

  it('returns only events changed since the token, deleted ones as cancelled', async () => {
    const keep = await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z', { summary: 'unverändert' }));
    const edit = await insert(calendarId, timed('2030-03-02T08:00:00Z', '2030-03-02T09:00:00Z', { summary: 'alt' }));
    const remove = await insert(calendarId, timed('2030-03-03T08:00:00Z', '2030-03-03T09:00:00Z', { summary: 'weg' }));
    const full = await listAll({ calendarId });
    assert.equal(full.items.length, 3);
    const token = full.nextSyncToken ?? '';
    assert.ok(token);

    const quiet = await calendar.events.list({ calendarId, syncToken: token });
    assert.deepEqual(quiet.data.items, []);
    assert.equal(quiet.data.nextSyncToken, token, 'no change, same token');

    tick();
    sim.userEditEvent(calendarId, edit.id ?? '', { summary: 'neu' });
    await calendar.events.delete({ calendarId, eventId: remove.id ?? '' });
    const added = sim.userCreateEvent(calendarId, { summary: 'vom Nutzer', start: { date: '2030-03-09' }, end: { date: '2030-03-10' } });

    const changes = await listAll({ calendarId, syncToken: token });
    const byId = new Map(changes.items.map((e) => [e.id, e]));
    assert.equal(changes.items.length, 3);
    assert.equal(byId.has(keep.id), false);
    assert.equal(byId.get(edit.id)?.summary, 'neu');
    assert.equal(byId.get(remove.id)?.status, 'cancelled');
    assert.equal(byId.get(added.id)?.summary, 'vom Nutzer');
    assert.notEqual(changes.nextSyncToken, token);

    const after = await calendar.events.list({ calendarId, syncToken: changes.nextSyncToken ?? '' });
    assert.deepEqual(after.data.items, []);
  });

  it('pages an incremental sync too', async () => {
    const token = (await listAll({ calendarId })).nextSyncToken ?? '';
    for (let i = 0; i < 5; i++) sim.userCreateEvent(calendarId, { summary: `N${i}`, start: { date: '2030-03-04' }, end: { date: '2030-03-05' } });
    const changes = await listAll({ calendarId, syncToken: token, maxResults: 2 });
    assert.equal(changes.pages.length, 3);
    assert.deepEqual(
      changes.items.map((e) => e.summary),
      ['N0', 'N1', 'N2', 'N3', 'N4'],
    );
  });

  it('answers 410 fullSyncRequired once tokens are invalidated; a full sync recovers', async () => {
    await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z'));
    const token = (await listAll({ calendarId })).nextSyncToken ?? '';
    sim.invalidateSyncTokens();
    const gone = await failure(calendar.events.list({ calendarId, syncToken: token }));
    assert.deepEqual([gone.status, gone.reason, gone.fullSyncRequired, gone.retryable], [410, 'fullSyncRequired', true, false]);

    const fresh = await listAll({ calendarId });
    assert.equal(fresh.items.length, 1);
    const ok = await calendar.events.list({ calendarId, syncToken: fresh.nextSyncToken ?? '' });
    assert.deepEqual(ok.data.items, []);
  });

  it('sends the exact Google 410 body', async () => {
    const token = (await listAll({ calendarId })).nextSyncToken ?? '';
    sim.invalidateSyncTokens(calendarId);
    const res = await fetch(`${baseUrl}/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?syncToken=${token}`, {
      headers: { Authorization: 'Bearer t' },
    });
    assert.equal(res.status, 410);
    assert.deepEqual(await res.json(), {
      error: {
        code: 410,
        message: 'Sync token is no longer valid, a full sync is required.',
        errors: [{ domain: 'global', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }],
      },
    });
  });

  it('rejects a sync token combined with timeMin/timeMax, filters or showDeleted=false', async () => {
    const token = (await listAll({ calendarId })).nextSyncToken ?? '';
    for (const extra of [
      { timeMin: '2030-01-01T00:00:00Z' },
      { timeMax: '2030-01-01T00:00:00Z' },
      { privateExtendedProperty: ['a=b'] },
      { showDeleted: false },
    ]) {
      const err = await failure(calendar.events.list({ calendarId, syncToken: token, ...extra }));
      assert.deepEqual([err.status, err.reason], [400, 'syncTokenWithRequestRestrictions'], JSON.stringify(extra));
    }
    const other = await newCalendar('Kalender XYZ');
    const foreign = await failure(calendar.events.list({ calendarId: other, syncToken: token }));
    assert.equal(foreign.status, 400);
  });

  it('can send deleted events with only their id (deletedEvents: "idOnly")', async () => {
    const strict = new GoogleCalendarSimulator({ deletedEvents: 'idOnly' });
    const url = await strict.start();
    try {
      const client = createCalendarClient({ baseUrl: url });
      const created = strict.userCreateEvent('primary', { summary: 'x', start: { date: '2030-03-04' }, end: { date: '2030-03-05' } });
      const token = (await client.events.list({ calendarId: 'primary' })).data.nextSyncToken ?? '';
      strict.userDeleteEvent('primary', created.id);
      const { data } = await client.events.list({ calendarId: 'primary', syncToken: token });
      assert.deepEqual(Object.keys(data.items?.[0] ?? {}).sort(), ['etag', 'id', 'kind', 'status', 'updated']);
      assert.equal(data.items?.[0]?.status, 'cancelled');
    } finally {
      await strict.stop();
    }
  });
});

describe('Google simulator: recurring events', () => {
  let calendarId = '';
  beforeEach(async () => {
    calendarId = await newCalendar();
  });

  const weekly = (rule: string): calendar_v3.Schema$Event => ({
    summary: 'Jour fixe',
    start: { dateTime: '2030-03-04T09:00:00', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2030-03-04T10:00:00', timeZone: 'Europe/Berlin' },
    recurrence: [rule],
  });

  it('round-trips RRULEs and lists a series as one master event', async () => {
    const rule = 'RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20300601T000000Z';
    const created = await insert(calendarId, weekly(rule));
    assert.deepEqual(created.recurrence, [rule]);
    const got = await calendar.events.get({ calendarId, eventId: created.id ?? '' });
    assert.deepEqual(got.data.recurrence, [rule]);
    const { data } = await calendar.events.list({ calendarId, singleEvents: false });
    assert.equal(data.items?.length, 1);
    assert.deepEqual(data.items?.[0]?.recurrence, [rule]);
  });

  it('matches a series to a time window by its occurrences', async () => {
    await insert(calendarId, weekly('RRULE:FREQ=WEEKLY;UNTIL=20300601T000000Z'));
    await insert(calendarId, weekly('RRULE:FREQ=DAILY;COUNT=3'));
    const inMay = await calendar.events.list({ calendarId, timeMin: '2030-05-01T00:00:00Z', timeMax: '2030-05-31T00:00:00Z' });
    assert.deepEqual(
      inMay.data.items?.map((e) => e.recurrence?.[0]),
      ['RRULE:FREQ=WEEKLY;UNTIL=20300601T000000Z'],
    );
    const inJuly = await calendar.events.list({ calendarId, timeMin: '2030-07-01T00:00:00Z', timeMax: '2030-07-31T00:00:00Z' });
    assert.deepEqual(inJuly.data.items, []);
    // 2030-03-05 is a Tuesday: no weekly occurrence, but the daily series' second one (09:00 Berlin = 08:00Z).
    const tuesday = await calendar.events.list({ calendarId, timeMin: '2030-03-05T07:30:00Z', timeMax: '2030-03-05T08:30:00Z' });
    assert.deepEqual(
      tuesday.data.items?.map((e) => e.recurrence?.[0]),
      ['RRULE:FREQ=DAILY;COUNT=3'],
    );
  });

  it('requires a named time zone for a series and rejects malformed rules', async () => {
    const noZone = await failure(
      calendar.events.insert({
        calendarId,
        requestBody: { ...timed('2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z'), recurrence: ['RRULE:FREQ=WEEKLY'] },
      }),
    );
    assert.deepEqual([noZone.status, noZone.reason], [400, 'required']);
    for (const bad of ['FREQ=WEEKLY', 'RRULE:FREQ=SOMETIMES', 'RRULE:FREQ=DAILY;COUNT=x']) {
      const err = await failure(calendar.events.insert({ calendarId, requestBody: weekly(bad) }));
      assert.equal(err.status, 400, bad);
    }
    const expanded = await failure(calendar.events.list({ calendarId, singleEvents: true }));
    assert.equal(expanded.status, 400, 'instances are not simulated; the hub syncs masters');
  });
});

describe('Google simulator: faults and rate limits', () => {
  it('injects 403 rateLimitExceeded; the client does not retry on its own', async () => {
    sim.injectRateLimit({ kind: '403', times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await failure(calendar.calendarList.list());
      assert.deepEqual([err.status, err.reason, err.rateLimited, err.retryable], [403, 'rateLimitExceeded', true, true]);
    }
    await calendar.calendarList.list();
    const log = sim.calls.filter();
    assert.deepEqual(
      log.map((c) => [c.status, c.faulted]),
      [
        [403, true],
        [403, true],
        [200, false],
      ],
    );
  });

  it('injects 429 on GETs, which gaxios would retry by default: exactly one call reaches the server', async () => {
    const calendarId = await newCalendar();
    sim.injectRateLimit({ kind: '429', times: 1, method: 'GET' });
    const err = await failure(calendar.events.list({ calendarId }));
    assert.deepEqual([err.status, err.rateLimited], [429, true]);
    assert.equal(sim.calls.count(/^GET /), 1);

    const failed = googleFailure(await failed429(calendarId), { method: 'GET', path: '/calendars/x/events' });
    assert.equal(failed.type, 'GoogleRateLimited');
    assert.equal(failed.nonRetryable, false);
  });

  it("answers generic faults in Google's envelope (5xx retryable, no automatic retry)", async () => {
    sim.faults.add({ status: 503, times: 1, path: '/calendarList' });
    const err = await failure(calendar.calendarList.list());
    assert.deepEqual([err.status, err.reason, err.retryable, err.rateLimited], [503, 'backendError', true, false]);
    assert.equal(sim.calls.count(), 1);
  });

  it('offers rate limits over the admin API', async () => {
    const res = await fetch(`${baseUrl}/__admin/rate-limit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: '429', times: 1 }),
    });
    assert.equal(res.status, 201);
    const err = await failure(calendar.calendarList.list());
    assert.equal(err.status, 429);
  });

  it('classifies a timeout and a refused connection as retryable without a status', async () => {
    sim.faults.add({ latencyMs: 300, times: 1 });
    const impatient = createCalendarClient({ baseUrl, timeoutMs: 50 });
    let thrown: unknown;
    await impatient.calendarList.list().catch((e: unknown) => (thrown = e));
    const timeout = classifyGoogleError(thrown);
    assert.deepEqual([timeout.status, timeout.retryable], [undefined, true]);
    assert.equal(failureDetails(googleFailure(thrown, { method: 'GET', path: '/users/me/calendarList' }))?.kind, 'Timeout');

    const closed = new GoogleCalendarSimulator();
    const url = await closed.start();
    await closed.stop();
    const refused = await failure(createCalendarClient({ baseUrl: url }).calendarList.list());
    assert.deepEqual([refused.status, refused.retryable], [undefined, true]);
  });

  it("maps classifications onto the hub's failure kinds", async () => {
    const notFound = googleFailure(await caught(calendar.calendars.get({ calendarId: 'nobody' })), { method: 'GET', path: '/calendars/nobody' });
    assert.equal(notFound.type, 'GoogleNotFound');
    assert.equal(notFound.nonRetryable, true);
  });
});

describe('Google simulator: call log', () => {
  it('counts calls per route and records when they arrived', async () => {
    const before = Date.now();
    const calendarId = await newCalendar();
    const created = await insert(calendarId, timed('2030-03-01T08:00:00Z', '2030-03-01T09:00:00Z'));
    await calendar.events.get({ calendarId, eventId: created.id ?? '' });
    await calendar.events.list({ calendarId });
    await calendar.events.list({ calendarId });
    await calendar.events.delete({ calendarId, eventId: created.id ?? '' });
    const afterAll = Date.now();

    assert.equal(sim.calls.count(EVENTS_ROUTE), 2);
    assert.equal(sim.calls.count(`GET ${EVENT_ROUTE}`), 1);
    assert.equal(sim.calls.count(`DELETE ${EVENT_ROUTE}`), 1);
    assert.deepEqual(sim.calls.byRoute(), {
      'POST /calendar/v3/calendars': 1,
      'POST /calendar/v3/calendars/:calendarId/events': 1,
      [`GET ${EVENT_ROUTE}`]: 1,
      [EVENTS_ROUTE]: 2,
      [`DELETE ${EVENT_ROUTE}`]: 1,
    });
    const times = sim.calls.filter().map((c) => c.at);
    assert.ok(times.every((t) => t >= before && t <= afterAll));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });
});

async function caught(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to fail');
}

async function failed429(calendarId: string): Promise<unknown> {
  sim.injectRateLimit({ kind: '429', times: 1 });
  return caught(calendar.events.list({ calendarId }));
}
