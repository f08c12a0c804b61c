import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditCalendar, type AuditInput } from '../../domain/calendar/audit';
import { syncWindow } from '../../domain/calendar/span';
import { TAG_KEYS } from '../../domain/calendar/tags';
import { NEUTRAL_SUMMARY, terminToEvent } from '../../domain/calendar/to-event';
import type { HubEvent, Termin } from '../../domain/calendar/types';

const WINDOW = { from: '2026-01-01', to: '2026-12-31' };

function termin(frNr: number, patch: Partial<Termin> = {}): Termin {
  return {
    frNr,
    rowId: `row-${frNr}`,
    kuerzel: 'ABC',
    betreff: `Besprechung ${frNr}`,
    ort: 'Kanzlei',
    notiz: null,
    datum: '2026-05-04T00:00:00',
    uhrzeitVon: '09:00:00',
    datumBis: '2026-05-04T00:00:00',
    uhrzeitBis: '10:00:00',
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...patch,
  };
}

/** The event the hub would have written for `t`, as Google lists it. */
function eventOf(t: Termin, fullContent = false, id = `ev${t.frNr}`): HubEvent {
  return { ...terminToEvent(t, { fullContent }), id, status: 'confirmed' };
}

function audit(input: Partial<AuditInput> & Pick<AuditInput, 'termine' | 'events'>) {
  return auditCalendar({ kuerzel: 'ABC', fullContent: false, window: WINDOW, ...input });
}

describe('calendar audit (pure)', () => {
  it('finds no differences when every Termin has its event', () => {
    const termine = [termin(5001), termin(5002, { dauertermin: true, uhrzeitVon: null, uhrzeitBis: null })];
    const result = audit({ termine, events: termine.map((t) => eventOf(t)) });
    assert.equal(result.inSync, true);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.skipped, []);
  });

  it('reports a Termin without event in Google', () => {
    const [first, second] = [termin(5001), termin(5003)];
    const result = audit({ termine: [first, second], events: [eventOf(first)] });
    assert.equal(result.inSync, false);
    assert.equal(result.differences.length, 1);
    const [d] = result.differences;
    assert.equal(d?.kind, 'createEvent');
    assert.equal(d?.frNr, 5003);
    assert.equal(d?.eventId, null);
    assert.match(d?.description ?? '', /Termin 5003 .*has no event in Google/);
  });

  it('reports an event that exists only in Google, and one whose Termin is gone from Advoware', () => {
    const kept = termin(5001);
    const own: HubEvent = {
      id: 'private1',
      status: 'confirmed',
      summary: 'Zahnarzt',
      start: { dateTime: '2026-05-05T08:00:00+02:00' },
      end: { dateTime: '2026-05-05T09:00:00+02:00' },
    };
    const orphan = eventOf(termin(5009));
    const result = audit({ termine: [kept], events: [eventOf(kept), own, orphan] });
    const byKind = new Map(result.differences.map((d) => [d.kind, d]));
    assert.equal(result.differences.length, 2);
    assert.match(byKind.get('createTermin')?.description ?? '', /event private1 .*exists only in Google/);
    assert.equal(byKind.get('deleteEvent')?.eventId, 'ev5009');
    assert.match(byKind.get('deleteEvent')?.description ?? '', /Termin 5009, which Advoware no longer has/);
  });

  it('reports changed times: moved in Advoware, and edited in Google', () => {
    const before = termin(5003);
    const movedInAdvoware = { ...before, uhrzeitVon: '14:00:00', uhrzeitBis: '15:00:00', rowId: 'row-5003-b' };
    const advowareSide = audit({ termine: [movedInAdvoware], events: [eventOf(before)] });
    assert.deepEqual(
      advowareSide.differences.map((d) => [d.kind, d.frNr, d.eventId, d.what]),
      [['updateEvent', 5003, 'ev5003', 'times']],
    );
    assert.match(advowareSide.differences[0]?.description ?? '', /event ev5003 shows other times than Termin 5003/);

    const editedInGoogle = { ...eventOf(before), start: { dateTime: '2026-05-04T11:00:00+02:00' }, end: { dateTime: '2026-05-04T12:00:00+02:00' } };
    const googleSide = audit({ termine: [before], events: [editedInGoogle] });
    assert.equal(googleSide.differences[0]?.kind, 'updateTermin');
    assert.equal(googleSide.differences[0]?.what, 'times edited in Google');
  });

  it('compares texts only with full content', () => {
    const t = termin(5004);
    const retitled = { ...eventOf(t, true), summary: 'Anderer Titel' };
    assert.equal(audit({ termine: [t], events: [{ ...eventOf(t), summary: 'Anderer Titel' }] }).inSync, true, 'private: only times count');
    const full = audit({ termine: [t], events: [retitled], fullContent: true });
    assert.deepEqual(
      full.differences.map((d) => [d.kind, d.what]),
      [['updateTermin', 'subject edited in Google']],
    );
  });

  it('reports events written under the other full_content setting', () => {
    const t = termin(5005);
    const privateEvent = eventOf(t, false);
    assert.equal(privateEvent.summary, NEUTRAL_SUMMARY);
    const result = audit({ termine: [t], events: [privateEvent], fullContent: true });
    assert.equal(result.differences.length, 1);
    assert.equal(result.differences[0]?.kind, 'updateEvent');
    assert.equal(result.differences[0]?.what, 'written in private mode', 'the switch is named, not the texts it explains');
    assert.match(result.differences[0]?.description ?? '', /event ev5005 of Termin 5005 was written with the neutral title while full_content is on/);
    const back = audit({ termine: [t], events: [eventOf(t, true)], fullContent: false });
    assert.deepEqual(
      back.differences.map((d) => [d.kind, d.what]),
      [['updateEvent', 'written in full-content mode']],
    );
  });

  it('reports an Advoware event deleted in Google and stale tags', () => {
    const deleted = { ...eventOf(termin(5006)), status: 'cancelled' };
    const t7 = termin(5007);
    const staleTags = eventOf({ ...t7, rowId: 'older' });
    const result = audit({ termine: [termin(5006), t7], events: [deleted, staleTags] });
    assert.deepEqual(
      result.differences.map((d) => [d.kind, d.frNr, d.eventId]),
      [
        ['recreateEvent', 5006, 'ev5006'],
        ['tagEvent', 5007, 'ev5007'],
      ],
    );
  });

  it('lists skipped events as notes, not as differences', () => {
    const t = termin(5008);
    const outOfOffice: HubEvent = { ...eventOf(t, false, 'ooo'), eventType: 'outOfOffice', extendedProperties: {} };
    const exception: HubEvent = { ...eventOf(t, false, 'ev5008_20260504'), recurringEventId: 'ev5008' };
    const result = audit({ termine: [t], events: [eventOf(t), outOfOffice, exception] });
    assert.equal(result.inSync, true);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.skipped.map((s) => [s.eventId, s.reason]).sort(), [
      ['ev5008_20260504', 'occurrenceException'],
      ['ooo', 'specialEventType'],
    ]);
  });

  it('ignores tagged events outside the window (the sync leaves them alone)', () => {
    const old = eventOf(termin(4000, { datum: '2025-01-10T00:00:00', datumBis: '2025-01-10T00:00:00' }));
    assert.ok(old.extendedProperties?.private?.[TAG_KEYS.frNr]);
    assert.equal(audit({ termine: [], events: [old] }).inSync, true);
  });

  it('a missing calendar is one difference when Advoware has Termine, otherwise in sync', () => {
    const missing = audit({ termine: [termin(5001), termin(5002)], events: null });
    assert.deepEqual(
      missing.differences.map((d) => [d.kind, d.what]),
      [['calendarMissing', 'calendar missing']],
    );
    assert.match(missing.differences[0]?.description ?? '', /2 Termine/);
    assert.equal(audit({ termine: [], events: null }).inSync, true);
  });

  it('computes the sync window around today', () => {
    assert.deepEqual(syncWindow('2026-03-01', 30, 365), { from: '2026-01-30', to: '2027-03-01' });
  });
});
