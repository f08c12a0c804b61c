import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RRule } from 'rrule';
import { berlinWallClockToUtc, utcToBerlinWallClock } from '../../domain/calendar/berlin';
import {
  eventContentEquals,
  eventPatchFor,
  eventToTermin,
  eventToTerminWithLoss,
  NEUTRAL_SUMMARY,
  terminToEvent,
} from '../../domain/calendar/mapping';
import type { HubEvent, Termin } from '../../domain/calendar/types';

function termin(overrides: Partial<Termin> = {}): Termin {
  return {
    frNr: 5001,
    rowId: 'AAAAAAAAB9E=',
    kuerzel: 'ABC',
    betreff: 'Mandantengespräch Müller',
    ort: 'Kanzlei, Raum 2',
    notiz: 'Akte 12/26',
    datum: '2026-01-15T00:00:00',
    uhrzeitVon: '10:00:00',
    datumBis: '2026-01-15T00:00:00',
    uhrzeitBis: '11:30:00',
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...overrides,
  };
}

const full = { fullContent: true };
const privately = { fullContent: false };

/** Occurrence start instants as Google expands a series: wall clock in the event's zone, limited by UNTIL. */
function occurrences(event: HubEvent): string[] {
  const start = event.start?.dateTime;
  const rule = event.recurrence?.[0];
  assert.ok(start && rule, 'a timed series');
  const wall = utcToBerlinWallClock(start);
  const options = RRule.parseString(rule.slice('RRULE:'.length));
  const [y = 0, m = 1, d = 1] = wall.date.split('-').map(Number);
  const [hh = 0, mm = 0] = wall.time.split(':').map(Number);
  const floating = new RRule({ ...options, until: null, dtstart: new Date(Date.UTC(y, m - 1, d, hh, mm)) });
  const until = options.until?.getTime() ?? Number.POSITIVE_INFINITY;
  return floating
    .all((_, i) => i < 400)
    .map((date) => berlinWallClockToUtc(date.toISOString().slice(0, 10), date.toISOString().slice(11, 19)))
    .filter((instant) => Date.parse(instant) <= until);
}

describe('terminToEvent: times', () => {
  it('maps a timed appointment with the Berlin offset and zone', () => {
    const event = terminToEvent(termin(), full);
    assert.deepEqual(event.start, { dateTime: '2026-01-15T10:00:00+01:00', timeZone: 'Europe/Berlin' });
    assert.deepEqual(event.end, { dateTime: '2026-01-15T11:30:00+01:00', timeZone: 'Europe/Berlin' });
    assert.equal(event.recurrence, undefined);
    const summer = terminToEvent(termin({ datum: '2026-07-15T00:00:00', datumBis: null }), full);
    assert.equal(summer.start?.dateTime, '2026-07-15T10:00:00+02:00');
    assert.equal(summer.end?.dateTime, '2026-07-15T11:30:00+02:00');
  });

  it('gives an appointment without (or with an impossible) end one hour', () => {
    assert.equal(terminToEvent(termin({ uhrzeitBis: null }), full).end?.dateTime, '2026-01-15T11:00:00+01:00');
    assert.equal(terminToEvent(termin({ uhrzeitBis: '09:00:00' }), full).end?.dateTime, '2026-01-15T11:00:00+01:00');
  });

  it('maps a one-hour appointment across the spring change to one real hour', () => {
    const event = terminToEvent(termin({ datum: '2026-03-29T00:00:00', datumBis: null, uhrzeitVon: '01:30:00', uhrzeitBis: null }), full);
    assert.equal(event.start?.dateTime, '2026-03-29T01:30:00+01:00');
    assert.equal(event.end?.dateTime, '2026-03-29T03:30:00+02:00');
  });

  it('maps a timed multi-day appointment', () => {
    const t = termin({ datum: '2026-05-04T00:00:00', uhrzeitVon: '09:00:00', datumBis: '2026-05-06T00:00:00', uhrzeitBis: '17:00:00' });
    const event = terminToEvent(t, full);
    assert.equal(event.start?.dateTime, '2026-05-04T09:00:00+02:00');
    assert.equal(event.end?.dateTime, '2026-05-06T17:00:00+02:00');
    const back = eventToTermin(event, 'ABC');
    assert.equal(back.datumBis, '2026-05-06T00:00:00');
    assert.equal(back.uhrzeitBis, '17:00:00');
    assert.equal(back.dauertermin, false);
  });

  it('maps an all-day appointment with an exclusive end', () => {
    const single = terminToEvent(termin({ dauertermin: true, datum: '2026-05-01T00:00:00', datumBis: null }), full);
    assert.deepEqual(single.start, { date: '2026-05-01', timeZone: 'Europe/Berlin' });
    assert.deepEqual(single.end, { date: '2026-05-02', timeZone: 'Europe/Berlin' });
    const multi = terminToEvent(termin({ dauertermin: true, datum: '2026-05-01T00:00:00', datumBis: '2026-05-03T00:00:00' }), full);
    assert.equal(multi.start?.date, '2026-05-01');
    assert.equal(multi.end?.date, '2026-05-04');
    assert.equal(multi.start?.dateTime, undefined);
  });

  it('treats a Termin without start time as all-day', () => {
    const event = terminToEvent(termin({ uhrzeitVon: null, uhrzeitBis: null }), full);
    assert.equal(event.start?.date, '2026-01-15');
    assert.equal(event.end?.date, '2026-01-16');
  });
});

describe('terminToEvent: series', () => {
  it('keeps 09:00 Berlin for a daily series across 2026-03-29 and includes the last day', () => {
    const t = termin({
      datum: '2026-03-26T00:00:00',
      datumBis: null,
      uhrzeitVon: '09:00:00',
      uhrzeitBis: '09:30:00',
      turnus: 1,
      turnusArt: 1,
      turnusBis: '2026-04-02T00:00:00',
    });
    const event = terminToEvent(t, full);
    assert.deepEqual(event.recurrence, ['RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260402T215959Z']);
    assert.equal(event.start?.timeZone, 'Europe/Berlin');
    const starts = occurrences(event);
    assert.equal(starts.length, 8);
    assert.deepEqual(
      starts.map((iso) => utcToBerlinWallClock(iso).time),
      Array(8).fill('09:00:00'),
    );
    assert.equal(starts[0], '2026-03-26T08:00:00Z');
    assert.equal(starts[3], '2026-03-29T07:00:00Z');
    assert.equal(starts[7], '2026-04-02T07:00:00Z');
    const back = eventToTerminWithLoss(event, 'ABC');
    assert.deepEqual(back, { termin: { ...withoutIds(t), datumBis: '2026-03-26T00:00:00' }, lossy: false });
  });

  it('keeps the wall clock of a weekly series across 2026-10-25', () => {
    const t = termin({
      datum: '2026-10-18T00:00:00',
      datumBis: null,
      uhrzeitVon: '14:00:00',
      turnus: 1,
      turnusArt: 2,
      turnusBis: '2026-11-01T00:00:00',
    });
    const starts = occurrences(terminToEvent(t, full));
    assert.deepEqual(starts, ['2026-10-18T12:00:00Z', '2026-10-25T13:00:00Z', '2026-11-01T13:00:00Z']);
  });

  it('round-trips a weekly series with end date, and all-day monthly and yearly series', () => {
    const cases = [
      termin({ turnus: 2, turnusArt: 2, turnusBis: '2026-12-31T00:00:00' }),
      termin({ dauertermin: true, uhrzeitVon: null, uhrzeitBis: null, turnus: 1, turnusArt: 3, turnusBis: '2026-12-15T00:00:00' }),
      termin({ dauertermin: true, uhrzeitVon: null, uhrzeitBis: null, turnus: 1, turnusArt: 4, turnusBis: null }),
      termin({ turnus: 3, turnusArt: 1, turnusBis: null }),
    ];
    for (const t of cases) assert.deepEqual(eventToTermin(terminToEvent(t, full), 'ABC'), withoutIds(t));
  });
});

describe('terminToEvent: privacy and tags', () => {
  it('shows only a neutral title without full_content', () => {
    const event = terminToEvent(termin(), privately);
    assert.equal(event.summary, NEUTRAL_SUMMARY);
    assert.equal('description' in event, false);
    assert.equal('location' in event, false);
  });

  it('shows subject, location and notes with full_content', () => {
    const event = terminToEvent(termin(), full);
    assert.equal(event.summary, 'Mandantengespräch Müller');
    assert.equal(event.location, 'Kanzlei, Raum 2');
    assert.equal(event.description, 'Akte 12/26');
    const bare = terminToEvent(termin({ ort: null, notiz: null }), full);
    assert.equal('description' in bare, false);
    assert.equal('location' in bare, false);
  });

  it('tags the event with frNr, rowId, origin and content mode', () => {
    assert.deepEqual(terminToEvent(termin(), privately).extendedProperties, {
      private: { advowareFrNr: '5001', advowareRowId: 'AAAAAAAAB9E=', hubOrigin: 'advoware', hubContent: 'private' },
    });
    assert.equal(terminToEvent(termin(), { fullContent: true, origin: 'google' }).extendedProperties?.private?.hubOrigin, 'google');
  });
});

describe('eventToTermin', () => {
  it('reads dateTime in any zone as Berlin wall clock', () => {
    const event: HubEvent = {
      summary: 'Call',
      start: { dateTime: '2026-03-29T07:00:00Z' },
      end: { dateTime: '2026-03-29T03:30:00-04:00', timeZone: 'America/New_York' },
    };
    const t = eventToTermin(event, 'XYZ');
    assert.deepEqual(t, {
      kuerzel: 'XYZ',
      betreff: 'Call',
      ort: null,
      notiz: null,
      datum: '2026-03-29T00:00:00',
      uhrzeitVon: '09:00:00',
      datumBis: '2026-03-29T00:00:00',
      uhrzeitBis: '09:30:00',
      dauertermin: false,
      turnus: 0,
      turnusArt: 0,
      turnusBis: null,
    });
  });

  it('turns the exclusive all-day end into the last day', () => {
    const t = eventToTermin({ start: { date: '2026-05-01' }, end: { date: '2026-05-04' } }, 'ABC');
    assert.equal(t.dauertermin, true);
    assert.equal(t.datum, '2026-05-01T00:00:00');
    assert.equal(t.datumBis, '2026-05-03T00:00:00');
    assert.equal(t.uhrzeitVon, null);
    const single = eventToTermin({ start: { date: '2026-05-01' }, end: { date: '2026-05-02' } }, 'ABC');
    assert.equal(single.datumBis, '2026-05-01T00:00:00');
  });

  it('normalises empty texts and flags lossy recurrence', () => {
    const converted = eventToTerminWithLoss(
      {
        summary: '',
        description: 'a\r\nb',
        start: { date: '2026-03-17' },
        end: { date: '2026-03-18' },
        recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TU'],
      },
      'ABC',
    );
    assert.equal(converted.termin.betreff, null);
    assert.equal(converted.termin.notiz, 'a\nb');
    assert.equal(converted.lossy, true);
    assert.equal(converted.termin.turnusArt, 2);
  });

  it('refuses an event without start', () => {
    assert.throws(() => eventToTermin({ summary: 'x' }, 'ABC'), RangeError);
  });
});

describe('eventContentEquals', () => {
  const mapped = terminToEvent(termin({ turnus: 1, turnusArt: 2, turnusBis: '2026-06-30T00:00:00' }), full);

  it('ignores how Google writes the same content', () => {
    const asGoogle: HubEvent = {
      ...mapped,
      id: 'evt1',
      status: 'confirmed',
      updated: '2026-01-10T08:00:00.000Z',
      start: { dateTime: '2026-01-15T09:00:00Z' },
      end: { dateTime: '2026-01-15T05:30:00-05:00', timeZone: 'America/New_York' },
      recurrence: ['RRULE:UNTIL=20260630T215959Z;BYDAY=TH;FREQ=WEEKLY'],
      description: 'Akte 12/26\r\n',
    };
    assert.equal(eventContentEquals(asGoogle, mapped, full), true);
  });

  it('sees moved times, changed texts and added rules', () => {
    assert.equal(eventContentEquals({ ...mapped, start: { dateTime: '2026-01-15T10:15:00+01:00' } }, mapped, full), false);
    assert.equal(eventContentEquals({ ...mapped, summary: 'Anderer Betreff' }, mapped, full), false);
    assert.equal(eventContentEquals({ ...mapped, recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TH,FR'] }, mapped, full), false);
    assert.equal(eventContentEquals({ ...mapped, recurrence: undefined }, mapped, full), false);
  });

  it('compares only times and series in private mode', () => {
    const privateMapped = terminToEvent(termin(), privately);
    assert.equal(eventContentEquals({ ...privateMapped, summary: 'Zahnarzt', location: 'x' }, privateMapped, privately), true);
    assert.equal(eventContentEquals({ ...privateMapped, end: { dateTime: '2026-01-15T12:00:00+01:00' } }, privateMapped, privately), false);
  });

  it('never equals an unreadable event', () => {
    assert.equal(eventContentEquals({ id: 'x' }, { id: 'x' }, full), false);
  });
});

describe('eventPatchFor', () => {
  it('names the other time form as null so Google switches between timed and all-day', () => {
    const allDay = eventPatchFor(termin({ dauertermin: true }), { fullContent: true, origin: 'advoware' });
    assert.deepEqual(allDay.start, { date: '2026-01-15', dateTime: null, timeZone: 'Europe/Berlin' });
    const timed = eventPatchFor(termin(), { fullContent: true, origin: 'advoware' });
    assert.deepEqual(timed.start, { date: null, dateTime: '2026-01-15T10:00:00+01:00', timeZone: 'Europe/Berlin' });
    assert.deepEqual(timed.recurrence, []);
  });

  it('owns texts by origin and mode', () => {
    const fullPatch = eventPatchFor(termin({ notiz: null }), { fullContent: true, origin: 'google' });
    assert.equal(fullPatch.summary, 'Mandantengespräch Müller');
    assert.equal(fullPatch.description, null);
    const scrub = eventPatchFor(termin(), { fullContent: false, origin: 'advoware' });
    assert.deepEqual([scrub.summary, scrub.description, scrub.location], [NEUTRAL_SUMMARY, null, null]);
    const keepUsers = eventPatchFor(termin(), { fullContent: false, origin: 'google' });
    assert.equal('summary' in keepUsers, false);
    assert.equal(keepUsers.extendedProperties?.private?.hubOrigin, 'google');
  });
});

function withoutIds(t: Termin): Omit<Termin, 'frNr' | 'rowId'> {
  const { frNr: _frNr, rowId: _rowId, ...rest } = t;
  return { ...rest, datumBis: rest.datumBis ?? rest.datum };
}
