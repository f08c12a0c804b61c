import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, berlinWallClockToOffsetIso, berlinWallClockToUtc, utcToBerlinWallClock } from '../../domain/calendar/berlin';

describe('berlinWallClockToUtc', () => {
  it('uses CET in winter and CEST in summer', () => {
    assert.equal(berlinWallClockToUtc('2026-01-15', '10:00:00'), '2026-01-15T09:00:00Z');
    assert.equal(berlinWallClockToUtc('2026-07-15', '10:00:00'), '2026-07-15T08:00:00Z');
  });

  it('switches offset on 2026-03-29 (spring forward at 02:00)', () => {
    assert.equal(berlinWallClockToUtc('2026-03-28', '09:00:00'), '2026-03-28T08:00:00Z');
    assert.equal(berlinWallClockToUtc('2026-03-29', '01:59:59'), '2026-03-29T00:59:59Z');
    assert.equal(berlinWallClockToUtc('2026-03-29', '03:00:00'), '2026-03-29T01:00:00Z');
    assert.equal(berlinWallClockToUtc('2026-03-29', '09:00:00'), '2026-03-29T07:00:00Z');
  });

  it('switches offset on 2026-10-25 (fall back at 03:00)', () => {
    assert.equal(berlinWallClockToUtc('2026-10-24', '09:00:00'), '2026-10-24T07:00:00Z');
    assert.equal(berlinWallClockToUtc('2026-10-25', '01:30:00'), '2026-10-24T23:30:00Z');
    assert.equal(berlinWallClockToUtc('2026-10-25', '03:00:00'), '2026-10-25T02:00:00Z');
    assert.equal(berlinWallClockToUtc('2026-10-25', '09:00:00'), '2026-10-25T08:00:00Z');
  });

  it('moves a nonexistent time forward by the gap', () => {
    assert.equal(berlinWallClockToUtc('2026-03-29', '02:30:00'), '2026-03-29T01:30:00Z');
    assert.equal(berlinWallClockToOffsetIso('2026-03-29', '02:30:00'), '2026-03-29T03:30:00+02:00');
  });

  it('takes the earlier instant of an ambiguous time', () => {
    assert.equal(berlinWallClockToUtc('2026-10-25', '02:30:00'), '2026-10-25T00:30:00Z');
    assert.equal(berlinWallClockToOffsetIso('2026-10-25', '02:30:00'), '2026-10-25T02:30:00+02:00');
  });

  it('accepts HH:MM and rejects nonsense', () => {
    assert.equal(berlinWallClockToUtc('2026-01-15', '10:00'), '2026-01-15T09:00:00Z');
    assert.throws(() => berlinWallClockToUtc('2026-02-30', '10:00:00'), RangeError);
    assert.throws(() => berlinWallClockToUtc('2026-01-15', '25:00:00'), RangeError);
  });
});

describe('utcToBerlinWallClock', () => {
  it('reads UTC and offset forms alike', () => {
    assert.deepEqual(utcToBerlinWallClock('2026-03-29T07:00:00Z'), { date: '2026-03-29', time: '09:00:00' });
    assert.deepEqual(utcToBerlinWallClock('2026-03-29T09:00:00+02:00'), { date: '2026-03-29', time: '09:00:00' });
    assert.deepEqual(utcToBerlinWallClock('2026-03-29T03:00:00-04:00'), { date: '2026-03-29', time: '09:00:00' });
    assert.deepEqual(utcToBerlinWallClock('2026-12-31T23:30:00Z'), { date: '2027-01-01', time: '00:30:00' });
  });

  it('tells both 02:30s of 2026-10-25 apart only by instant, not by wall clock', () => {
    assert.deepEqual(utcToBerlinWallClock('2026-10-25T00:30:00Z'), { date: '2026-10-25', time: '02:30:00' });
    assert.deepEqual(utcToBerlinWallClock('2026-10-25T01:30:00Z'), { date: '2026-10-25', time: '02:30:00' });
  });

  it('takes a string without offset as Berlin wall clock, not the host zone', () => {
    assert.deepEqual(utcToBerlinWallClock('2026-07-01T10:00:00'), { date: '2026-07-01', time: '10:00:00' });
  });

  it('round-trips every hour of both DST days except the skipped one', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let hour = 0; hour < 24; hour++) {
        if (date === '2026-03-29' && hour === 2) continue;
        const time = `${String(hour).padStart(2, '0')}:15:00`;
        assert.deepEqual(utcToBerlinWallClock(berlinWallClockToUtc(date, time)), { date, time });
      }
    }
  });

  it('rejects nonsense', () => {
    assert.throws(() => utcToBerlinWallClock('yesterday'), RangeError);
  });
});

describe('addDays', () => {
  it('crosses months, years and leap days', () => {
    assert.equal(addDays('2026-01-31', 1), '2026-02-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
    assert.equal(addDays('2026-03-29', 1), '2026-03-30');
  });
});
