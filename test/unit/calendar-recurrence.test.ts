import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rruleToTurnus, turnusToRrule } from '../../domain/calendar/recurrence';
import { TURNUS_ART, type Turnus } from '../../domain/calendar/types';

describe('turnusToRrule', () => {
  it('writes nothing for a single appointment or an unknown unit', () => {
    assert.deepEqual(turnusToRrule({ turnus: 0, turnusArt: 0, turnusBis: null }, { allDay: false }), []);
    assert.deepEqual(turnusToRrule({ turnus: 2, turnusArt: 0, turnusBis: null }, { allDay: false }), []);
    assert.deepEqual(turnusToRrule({ turnus: 1, turnusArt: 9, turnusBis: null }, { allDay: false }), []);
  });

  it('ends a timed series at the end of the last Berlin day, in UTC', () => {
    const weekly: Turnus = { turnus: 2, turnusArt: TURNUS_ART.weekly, turnusBis: '2026-12-31T00:00:00' };
    assert.deepEqual(turnusToRrule(weekly, { allDay: false }), ['RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231T225959Z']);
    const summer: Turnus = { ...weekly, turnusBis: '2026-07-31T00:00:00' };
    assert.deepEqual(turnusToRrule(summer, { allDay: false }), ['RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260731T215959Z']);
  });

  it('ends an all-day series with a DATE', () => {
    const daily: Turnus = { turnus: 1, turnusArt: TURNUS_ART.daily, turnusBis: '2026-12-31T00:00:00' };
    assert.deepEqual(turnusToRrule(daily, { allDay: true }), ['RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20261231']);
  });

  it('leaves an open-ended series without UNTIL', () => {
    const monthly: Turnus = { turnus: 3, turnusArt: TURNUS_ART.monthly, turnusBis: null };
    assert.deepEqual(turnusToRrule(monthly, { allDay: false }), ['RRULE:FREQ=MONTHLY;INTERVAL=3']);
    const yearly: Turnus = { turnus: 1, turnusArt: TURNUS_ART.yearly, turnusBis: null };
    assert.deepEqual(turnusToRrule(yearly, { allDay: true }), ['RRULE:FREQ=YEARLY;INTERVAL=1']);
  });
});

describe('turnus → RRULE → turnus', () => {
  const cases: Turnus[] = [
    { turnus: 1, turnusArt: TURNUS_ART.daily, turnusBis: '2026-04-02T00:00:00' },
    { turnus: 2, turnusArt: TURNUS_ART.weekly, turnusBis: '2026-12-31T00:00:00' },
    { turnus: 1, turnusArt: TURNUS_ART.weekly, turnusBis: '2026-07-31T00:00:00' },
    { turnus: 1, turnusArt: TURNUS_ART.monthly, turnusBis: '2027-03-15T00:00:00' },
    { turnus: 1, turnusArt: TURNUS_ART.yearly, turnusBis: null },
    { turnus: 5, turnusArt: TURNUS_ART.daily, turnusBis: null },
  ];
  for (const series of cases) {
    for (const allDay of [false, true]) {
      it(`round-trips ${JSON.stringify(series)} (${allDay ? 'all-day' : 'timed'})`, () => {
        const back = rruleToTurnus(turnusToRrule(series, { allDay }), '2026-03-16');
        assert.deepEqual(back, { ...series, lossy: false });
      });
    }
  }

  it('reads no recurrence as a single appointment', () => {
    assert.deepEqual(rruleToTurnus(undefined, '2026-03-16'), { turnus: 0, turnusArt: 0, turnusBis: null, lossy: false });
    assert.deepEqual(rruleToTurnus([], '2026-03-16'), { turnus: 0, turnusArt: 0, turnusBis: null, lossy: false });
  });
});

describe('rruleToTurnus on rules written by Google or users', () => {
  // 2026-03-17 is a Tuesday.
  const tuesday = '2026-03-17';

  it("accepts the BY parts Google's UI adds that only restate the start", () => {
    const weekly = rruleToTurnus(['RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=TU;UNTIL=20261231T225959Z'], tuesday);
    assert.deepEqual(weekly, { turnus: 1, turnusArt: 2, turnusBis: '2026-12-31T00:00:00', lossy: false });
    assert.equal(rruleToTurnus(['RRULE:FREQ=MONTHLY;BYMONTHDAY=17'], tuesday).lossy, false);
    assert.equal(rruleToTurnus(['RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=17'], tuesday).lossy, false);
    assert.equal(rruleToTurnus(['RRULE:INTERVAL=2;FREQ=DAILY'], tuesday).turnus, 2);
  });

  it('flags several weekdays, nth weekdays and other BY parts as lossy', () => {
    assert.deepEqual(rruleToTurnus(['RRULE:FREQ=WEEKLY;BYDAY=MO,WE'], tuesday), {
      turnus: 1,
      turnusArt: 2,
      turnusBis: null,
      lossy: true,
    });
    assert.equal(rruleToTurnus(['RRULE:FREQ=WEEKLY;BYDAY=WE'], tuesday).lossy, true);
    assert.equal(rruleToTurnus(['RRULE:FREQ=MONTHLY;BYDAY=3TU'], tuesday).lossy, true);
    assert.equal(rruleToTurnus(['RRULE:FREQ=MONTHLY;BYMONTHDAY=-1'], tuesday).lossy, true);
    assert.equal(rruleToTurnus(['RRULE:FREQ=DAILY;BYHOUR=9'], tuesday).lossy, true);
  });

  it('expands COUNT into the date of the last occurrence', () => {
    const result = rruleToTurnus(['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3'], '2026-03-02');
    assert.deepEqual(result, { turnus: 2, turnusArt: 2, turnusBis: '2026-03-30T00:00:00', lossy: true });
    assert.equal(rruleToTurnus(['RRULE:FREQ=MONTHLY;COUNT=12'], '2026-01-15').turnusBis, '2026-12-15T00:00:00');
    // RFC 5545 skips months without a 31st, as Google does.
    assert.equal(rruleToTurnus(['RRULE:FREQ=MONTHLY;COUNT=12'], '2026-01-31').turnusBis, '2027-08-31T00:00:00');
  });

  it('keeps the rule but flags EXDATE and RDATE lines', () => {
    const result = rruleToTurnus(['RRULE:FREQ=DAILY', 'EXDATE;TZID=Europe/Berlin:20260318T090000'], tuesday);
    assert.deepEqual(result, { turnus: 1, turnusArt: 1, turnusBis: null, lossy: true });
  });

  it('reads UNTIL as a DATE, in UTC or floating', () => {
    assert.equal(rruleToTurnus(['RRULE:FREQ=DAILY;UNTIL=20261231'], tuesday).turnusBis, '2026-12-31T00:00:00');
    assert.equal(rruleToTurnus(['RRULE:FREQ=DAILY;UNTIL=20261231T225959Z'], tuesday).turnusBis, '2026-12-31T00:00:00');
    assert.equal(rruleToTurnus(['RRULE:FREQ=DAILY;UNTIL=20261231T230000Z'], tuesday).turnusBis, '2027-01-01T00:00:00');
    assert.equal(rruleToTurnus(['RRULE:FREQ=DAILY;UNTIL=20261231T090000'], tuesday).turnusBis, '2026-12-31T00:00:00');
  });

  it('ignores X- extensions and maps sub-daily rules to daily', () => {
    assert.equal(rruleToTurnus(['RRULE:FREQ=WEEKLY;X-EVOLUTION-ENDDATE=20261231T090000Z'], tuesday).lossy, false);
    assert.deepEqual(rruleToTurnus(['RRULE:FREQ=HOURLY;INTERVAL=4'], tuesday), {
      turnus: 4,
      turnusArt: 1,
      turnusBis: null,
      lossy: true,
    });
  });

  it('falls back to a single appointment for an unreadable rule', () => {
    assert.deepEqual(rruleToTurnus(['RRULE:FREQ=SOMETIMES'], tuesday), { turnus: 0, turnusArt: 0, turnusBis: null, lossy: true });
  });
});
