import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizePlan, type CalendarAction } from '../../domain/calendar/actions';
import { eventPatchFor, terminToEvent } from '../../domain/calendar/mapping';
import { planCalendarSync, type CalendarSyncInput } from '../../domain/calendar/plan';
import { indexFromEvents, type CalendarIndex } from '../../domain/calendar/sync-index';
import type { HubEvent, HubOrigin, Termin } from '../../domain/calendar/types';

function termin(overrides: Partial<Termin> = {}): Termin {
  return {
    frNr: 5001,
    rowId: 'row-1',
    kuerzel: 'ABC',
    betreff: 'Fristablauf Berufung',
    ort: 'LG Berlin',
    notiz: 'Az. 12 O 34/26',
    datum: '2026-05-04T00:00:00',
    uhrzeitVon: '10:00:00',
    datumBis: '2026-05-04T00:00:00',
    uhrzeitBis: '11:00:00',
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...overrides,
  };
}

/** The event as Google lists it after the hub inserted it. */
function listed(t: Termin, id: string, options: { fullContent?: boolean; origin?: HubOrigin } = {}): HubEvent {
  const event = terminToEvent(t, { fullContent: options.fullContent ?? false, origin: options.origin ?? 'advoware' });
  return { ...event, id, status: 'confirmed', updated: '2026-05-01T08:00:00.000Z' };
}

function plan(input: Partial<CalendarSyncInput> & Pick<CalendarSyncInput, 'termine' | 'events'>): CalendarAction[] {
  const base = { kuerzel: 'ABC', fullContent: false, mode: 'full' as const };
  return planCalendarSync({ ...base, ...input } as CalendarSyncInput).actions;
}

function kinds(actions: CalendarAction[]): string[] {
  return actions.map((a) => a.kind);
}

/** events.patch semantics: null clears, nested start/end/extendedProperties merge. */
function applyPatch(event: HubEvent, patch: HubEvent): HubEvent {
  const out: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (key === 'start' || key === 'end') {
      const merged = { ...(out[key] as object), ...(value as object) };
      out[key] = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
    } else if (key === 'extendedProperties') {
      out[key] = { private: { ...event.extendedProperties?.private, ...patch.extendedProperties?.private } };
    } else out[key] = value;
  }
  return out;
}

describe('planCalendarSync: Advoware → Google', () => {
  it('creates the event of a new Termin', () => {
    const t = termin();
    const actions = plan({ termine: [t], events: [] });
    assert.deepEqual(actions, [{ kind: 'createEvent', frNr: 5001, termin: t, event: terminToEvent(t, { fullContent: false }) }]);
  });

  it('does nothing for an unchanged pair', () => {
    const t = termin();
    assert.deepEqual(plan({ termine: [t], events: [listed(t, 'e1')] }), []);
    assert.deepEqual(plan({ termine: [t], events: [listed(t, 'e1', { fullContent: true })], fullContent: true }), []);
  });

  it('does nothing when only Google’s formatting differs', () => {
    const t = termin({ turnus: 1, turnusArt: 2, turnusBis: '2026-07-31T00:00:00' });
    const event: HubEvent = {
      ...listed(t, 'e1', { fullContent: true }),
      start: { dateTime: '2026-05-04T08:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-05-04T11:00:00+02:00' },
      recurrence: ['RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20260731T215959Z;BYDAY=MO'],
      description: 'Az. 12 O 34/26\r\n',
    };
    assert.deepEqual(plan({ termine: [t], events: [event], fullContent: true }), []);
  });

  it('updates the event of a Termin changed in Advoware', () => {
    const before = termin();
    const after = termin({ rowId: 'row-2', uhrzeitVon: '14:00:00', uhrzeitBis: '15:00:00' });
    const actions = plan({ termine: [after], events: [listed(before, 'e1')] });
    assert.deepEqual(actions, [
      { kind: 'updateEvent', eventId: 'e1', frNr: 5001, termin: after, patch: eventPatchFor(after, { fullContent: false, origin: 'advoware' }) },
    ]);
  });

  it('only re-tags when the Advoware change is invisible in Google (private mode, new subject)', () => {
    const after = termin({ rowId: 'row-2', betreff: 'Neuer Betreff' });
    const actions = plan({ termine: [after], events: [listed(termin(), 'e1')] });
    assert.deepEqual(kinds(actions), ['tagEvent']);
    assert.equal(actions[0]?.kind === 'tagEvent' && actions[0].patch.extendedProperties?.private?.advowareRowId, 'row-2');
  });

  it('deletes the event of a Termin deleted in Advoware, whatever its origin', () => {
    const actions = plan({ termine: [], events: [listed(termin(), 'e1'), listed(termin({ frNr: 5002 }), 'e2', { origin: 'google' })] });
    assert.deepEqual(actions, [
      { kind: 'deleteEvent', eventId: 'e1', frNr: 5001, reason: 'deletedInAdvoware' },
      { kind: 'deleteEvent', eventId: 'e2', frNr: 5002, reason: 'deletedInAdvoware' },
    ]);
  });

  it('keeps events of Termine outside the listed window', () => {
    const old = listed(termin({ datum: '2025-01-10T00:00:00', datumBis: null }), 'e1');
    const window = { from: '2026-01-01', to: '2026-12-31' };
    assert.deepEqual(plan({ termine: [], events: [old], window }), []);
    const inside = listed(termin(), 'e2');
    assert.deepEqual(kinds(plan({ termine: [], events: [old, inside], window })), ['deleteEvent']);
  });

  it('deletes a second event of the same Termin', () => {
    const t = termin();
    const actions = plan({ termine: [t], events: [listed(t, 'e2'), listed(t, 'e1')] });
    assert.deepEqual(actions, [{ kind: 'deleteEvent', eventId: 'e2', frNr: 5001, reason: 'duplicate' }]);
  });
});

describe('planCalendarSync: Google → Advoware', () => {
  it('creates a Termin for an event new in Google', () => {
    const event: HubEvent = {
      id: 'g1',
      status: 'confirmed',
      summary: 'Besprechung',
      start: { dateTime: '2026-06-01T09:00:00+02:00' },
      end: { dateTime: '2026-06-01T10:00:00+02:00' },
    };
    const actions = plan({ termine: [], events: [event], kuerzel: 'XYZ' });
    assert.equal(actions.length, 1);
    const action = actions[0];
    assert.ok(action?.kind === 'createTermin');
    assert.equal(action.eventId, 'g1');
    assert.equal(action.origin, 'google');
    assert.equal(action.lossy, false);
    assert.equal(action.termin.kuerzel, 'XYZ');
    assert.equal(action.termin.betreff, 'Besprechung');
    assert.equal(action.termin.uhrzeitVon, '09:00:00');
  });

  it('flags a Google rule Advoware cannot hold', () => {
    const event: HubEvent = {
      id: 'g1',
      start: { date: '2026-06-01' },
      end: { date: '2026-06-02' },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH'],
    };
    const [action] = plan({ termine: [], events: [event] });
    assert.ok(action?.kind === 'createTermin');
    assert.equal(action.lossy, true);
  });

  it('writes a time moved in Google to Advoware, keeping Advoware’s texts in private mode', () => {
    const t = termin();
    const moved: HubEvent = { ...listed(t, 'e1'), start: { dateTime: '2026-05-05T12:00:00+02:00' }, end: { dateTime: '2026-05-05T13:00:00+02:00' } };
    const [action, ...rest] = plan({ termine: [t], events: [moved] });
    assert.equal(rest.length, 0);
    assert.ok(action?.kind === 'updateTermin');
    assert.equal(action.frNr, 5001);
    assert.equal(action.eventId, 'e1');
    assert.equal(action.termin.datum, '2026-05-05T00:00:00');
    assert.equal(action.termin.uhrzeitVon, '12:00:00');
    assert.equal(action.termin.betreff, 'Fristablauf Berufung');
    assert.equal(action.termin.notiz, 'Az. 12 O 34/26');
  });

  it('writes texts changed in Google with full_content', () => {
    const t = termin();
    const edited: HubEvent = { ...listed(t, 'e1', { fullContent: true }), summary: 'Frist verlängert', location: '' };
    const [action] = plan({ termine: [t], events: [edited], fullContent: true });
    assert.ok(action?.kind === 'updateTermin');
    assert.equal(action.termin.betreff, 'Frist verlängert');
    assert.equal(action.termin.ort, null);
  });

  it('lets Advoware win when both sides changed', () => {
    const after = termin({ rowId: 'row-2', uhrzeitVon: '08:00:00', uhrzeitBis: '09:00:00' });
    const moved: HubEvent = {
      ...listed(termin(), 'e1'),
      start: { dateTime: '2026-05-05T12:00:00+02:00' },
      end: { dateTime: '2026-05-05T13:00:00+02:00' },
    };
    const actions = plan({ termine: [after], events: [moved] });
    assert.deepEqual(kinds(actions), ['updateEvent']);
    assert.equal(actions[0]?.kind === 'updateEvent' && actions[0].patch.start?.dateTime, '2026-05-04T08:00:00+02:00');
  });

  it('rewrites events after a full_content switch instead of reading the neutral title back', () => {
    const t = termin();
    const actions = plan({ termine: [t], events: [listed(t, 'e1', { fullContent: false })], fullContent: true });
    assert.deepEqual(kinds(actions), ['updateEvent']);
    const scrub = plan({ termine: [t], events: [listed(t, 'e1', { fullContent: true })], fullContent: false });
    assert.deepEqual(kinds(scrub), ['updateEvent']);
  });

  it('re-tags an event whose tags are incomplete', () => {
    const t = termin();
    const legacy: HubEvent = { ...listed(t, 'e1'), extendedProperties: { private: { advowareFrNr: '5001', advowareRowId: 'row-1' } } };
    assert.deepEqual(kinds(plan({ termine: [t], events: [legacy] })), ['tagEvent']);
  });

  it('skips occurrence exceptions and special event types', () => {
    const t = termin();
    const exception: HubEvent = { ...listed(t, 'e1_20260511'), recurringEventId: 'e1' };
    const away: HubEvent = {
      id: 'ooo',
      eventType: 'outOfOffice',
      start: { dateTime: '2026-05-04T08:00:00Z' },
      end: { dateTime: '2026-05-04T18:00:00Z' },
    };
    const result = planCalendarSync({ kuerzel: 'ABC', termine: [t], events: [listed(t, 'e1'), exception, away], fullContent: false, mode: 'full' });
    assert.deepEqual(result.actions, []);
    assert.deepEqual(result.skipped, [
      { eventId: 'e1_20260511', reason: 'occurrenceException' },
      { eventId: 'ooo', reason: 'specialEventType' },
    ]);
  });
});

describe('planCalendarSync: deletions in Google', () => {
  it('re-creates an Advoware-origin event cancelled in Google', () => {
    const t = termin();
    const cancelled: HubEvent = { ...listed(t, 'e1'), status: 'cancelled' };
    const actions = plan({ termine: [t], events: [cancelled] });
    assert.deepEqual(actions, [
      { kind: 'recreateEvent', previousEventId: 'e1', frNr: 5001, termin: t, event: terminToEvent(t, { fullContent: false }) },
    ]);
  });

  it('re-creates an Advoware-origin event missing from a full list the index knows', () => {
    const t = termin();
    const index = indexFromEvents([listed(t, 'e1')]);
    assert.deepEqual(kinds(plan({ termine: [t], events: [], index })), ['recreateEvent']);
    // Without an index a missing event is indistinguishable from one never created.
    assert.deepEqual(kinds(plan({ termine: [t], events: [] })), ['createEvent']);
  });

  it('deletes the Termin of a Google-origin event deleted in Google (incremental: only the id comes back)', () => {
    const t = termin();
    const index = indexFromEvents([listed(t, 'g1', { origin: 'google' })]);
    const actions = plan({ termine: [t], events: [{ id: 'g1', status: 'cancelled' }], mode: 'incremental', index });
    assert.deepEqual(actions, [{ kind: 'deleteTermin', frNr: 5001, eventId: 'g1' }]);
  });

  it('re-creates a Google-origin event whose Termin changed in Advoware since (Advoware wins)', () => {
    const index = indexFromEvents([listed(termin(), 'g1', { origin: 'google' })]);
    const changed = termin({ rowId: 'row-2' });
    const actions = plan({ termine: [changed], events: [{ id: 'g1', status: 'cancelled' }], mode: 'incremental', index });
    assert.deepEqual(kinds(actions), ['recreateEvent']);
  });

  it('ignores a cancelled occurrence and an event deleted on both sides', () => {
    const t = termin();
    const index = indexFromEvents([listed(t, 'e1')]);
    const occurrence: HubEvent = { id: 'e1_20260511', status: 'cancelled', recurringEventId: 'e1' };
    assert.deepEqual(plan({ termine: [t], events: [occurrence], mode: 'incremental', index }), []);
    assert.deepEqual(plan({ termine: [], events: [{ id: 'e1', status: 'cancelled' }], mode: 'incremental', index }), []);
  });
});

describe('planCalendarSync: incremental mode', () => {
  const t1 = termin();
  const t2 = termin({ frNr: 5002, rowId: 'row-b' });
  const index: CalendarIndex = indexFromEvents([listed(t1, 'e1'), listed(t2, 'e2')]);

  it('plans nothing for an unchanged calendar (one Advoware list + one empty Google list)', () => {
    assert.deepEqual(plan({ termine: [t1, t2], events: [], mode: 'incremental', index }), []);
  });

  it('plans nothing for the hub’s own writes coming back as changes', () => {
    assert.deepEqual(plan({ termine: [t1, t2], events: [listed(t1, 'e1')], mode: 'incremental', index }), []);
  });

  it('finds Advoware changes, additions and deletions through the index', () => {
    const changed = termin({ rowId: 'row-1b', uhrzeitVon: '16:00:00', uhrzeitBis: '17:00:00' });
    const added = termin({ frNr: 5003, rowId: 'row-c' });
    const actions = plan({ termine: [changed, added], events: [], mode: 'incremental', index });
    assert.deepEqual(
      actions.map((a) => [a.kind, 'eventId' in a ? a.eventId : undefined, a.kind === 'deleteEvent' ? a.reason : undefined]),
      [
        ['updateEvent', 'e1', undefined],
        ['deleteEvent', 'e2', 'deletedInAdvoware'],
        ['createEvent', undefined, undefined],
      ],
    );
  });

  it('rewrites indexed events after a full_content switch', () => {
    const actions = plan({ termine: [t1, t2], events: [], mode: 'incremental', index, fullContent: true });
    assert.deepEqual(kinds(actions), ['updateEvent', 'updateEvent']);
  });

  it('respects the window for indexed events too', () => {
    const window = { from: '2026-06-01', to: '2026-12-31' };
    assert.deepEqual(plan({ termine: [], events: [], mode: 'incremental', index, window }), []);
  });
});

describe('planCalendarSync: convergence', () => {
  it('comes to rest after executing its own actions', () => {
    const t = termin();
    const created = listed(t, 'e1');
    // Google moves it; the hub writes Advoware and then patches the event with the saved Termin.
    const moved: HubEvent = { ...created, start: { dateTime: '2026-05-05T12:00:00+02:00' }, end: { dateTime: '2026-05-05T13:00:00+02:00' } };
    const [update] = plan({ termine: [t], events: [moved] });
    assert.ok(update?.kind === 'updateTermin');
    const saved: Termin = { ...update.termin, frNr: t.frNr, rowId: 'row-2' };
    const patched = applyPatch(moved, eventPatchFor(saved, { fullContent: false, origin: update.origin }));
    assert.deepEqual(plan({ termine: [saved], events: [patched] }), []);
  });

  it('normalises a lossy Google rule once and then rests', () => {
    const event: HubEvent = {
      id: 'g1',
      summary: 'Jour fixe',
      start: { dateTime: '2026-06-01T09:00:00+02:00' },
      end: { dateTime: '2026-06-01T09:30:00+02:00' },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6'],
    };
    const [create] = plan({ termine: [], events: [event] });
    assert.ok(create?.kind === 'createTermin' && create.lossy);
    const saved: Termin = { ...create.termin, frNr: 6001, rowId: 'row-x' };
    const tagged = applyPatch(event, eventPatchFor(saved, { fullContent: false, origin: 'google' }));
    // Six Mondays and Thursdays from Monday 2026-06-01 end on Thursday 2026-06-18.
    assert.equal(tagged.summary, 'Jour fixe');
    assert.deepEqual(tagged.recurrence, ['RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20260618T215959Z']);
    assert.deepEqual(plan({ termine: [saved], events: [tagged] }), []);
  });

  it('switches an event between all-day and timed by patch', () => {
    const t = termin();
    const allDay = termin({ rowId: 'row-2', dauertermin: true, uhrzeitVon: null, uhrzeitBis: null });
    const [update] = plan({ termine: [allDay], events: [listed(t, 'e1')] });
    assert.ok(update?.kind === 'updateEvent');
    const patched = applyPatch(listed(t, 'e1'), update.patch);
    assert.deepEqual(patched.start, { date: '2026-05-04', timeZone: 'Europe/Berlin' });
    assert.deepEqual(plan({ termine: [allDay], events: [patched] }), []);
  });
});

describe('summarizePlan', () => {
  it('counts actions by kind', () => {
    const t = termin();
    const result = planCalendarSync({
      kuerzel: 'ABC',
      termine: [t, termin({ frNr: 5002 })],
      events: [listed(termin({ frNr: 5003 }), 'e3'), { id: 'g1', start: { date: '2026-06-01' }, end: { date: '2026-06-02' } }],
      fullContent: false,
      mode: 'full',
    });
    const summary = summarizePlan(result);
    assert.equal(summary.createEvent, 2);
    assert.equal(summary.deleteEvent, 1);
    assert.equal(summary.createTermin, 1);
    assert.equal(summary.updateTermin, 0);
    assert.equal(summary.total, 4);
    assert.equal(summary.lossy, 0);
  });
});
