import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminToEvent } from '../../domain/calendar/mapping';
import { EMPTY_INDEX, indexAfterList, indexFromEvents, indexWithEvent, indexWithoutEvent } from '../../domain/calendar/sync-index';
import { frNrFilter, readTags } from '../../domain/calendar/tags';
import type { HubEvent, Termin } from '../../domain/calendar/types';

function termin(overrides: Partial<Termin> = {}): Termin {
  return {
    frNr: 5001,
    rowId: 'row-1',
    kuerzel: 'ABC',
    betreff: null,
    ort: null,
    notiz: null,
    datum: '2026-05-04T00:00:00',
    uhrzeitVon: '10:00:00',
    datumBis: null,
    uhrzeitBis: '11:00:00',
    dauertermin: false,
    turnus: 0,
    turnusArt: 0,
    turnusBis: null,
    ...overrides,
  };
}

function listed(t: Termin, id: string): HubEvent {
  return { ...terminToEvent(t, { fullContent: false }), id, status: 'confirmed' };
}

describe('readTags', () => {
  it('reads complete tags', () => {
    assert.deepEqual(readTags(listed(termin(), 'e1')), {
      frNr: 5001,
      rowId: 'row-1',
      origin: 'advoware',
      content: 'private',
      complete: true,
    });
  });

  it('treats an unknown origin as Advoware’s and marks the tags incomplete', () => {
    const tags = readTags({ extendedProperties: { private: { advowareFrNr: '7' } } });
    assert.deepEqual(tags, { frNr: 7, rowId: null, origin: 'advoware', content: null, complete: false });
  });

  it('ignores events without a numeric frNr', () => {
    assert.equal(readTags({}), undefined);
    assert.equal(readTags({ extendedProperties: { private: { advowareFrNr: 'abc' } } }), undefined);
  });

  it('builds the events.list filter', () => {
    assert.equal(frNrFilter(5001), 'advowareFrNr=5001');
  });
});

describe('sync index', () => {
  const series = termin({ frNr: 5002, rowId: 'row-b', turnus: 1, turnusArt: 2, turnusBis: null });

  it('projects a full list, keeping the lowest id of duplicates and the day span', () => {
    const index = indexFromEvents([
      listed(termin(), 'e9'),
      listed(termin(), 'e1'),
      listed(series, 'e2'),
      { ...listed(termin({ frNr: 5003 }), 'e3'), status: 'cancelled' },
      { ...listed(termin({ frNr: 5004 }), 'e4_x'), recurringEventId: 'e4' },
      { id: 'g1', start: { date: '2026-06-01' }, end: { date: '2026-06-02' } },
    ]);
    assert.deepEqual(index, {
      '5001': { eventId: 'e1', rowId: 'row-1', origin: 'advoware', content: 'private', first: '2026-05-04', last: '2026-05-04' },
      '5002': { eventId: 'e2', rowId: 'row-b', origin: 'advoware', content: 'private', first: '2026-05-04', last: null },
    });
  });

  it('records written events and forgets cancelled or deleted ones', () => {
    let index = indexWithEvent(EMPTY_INDEX, listed(termin(), 'e1'));
    index = indexWithEvent(index, listed(termin({ rowId: 'row-2' }), 'e7'));
    assert.deepEqual(Object.keys(index), ['5001']);
    assert.equal(index['5001']?.eventId, 'e7');
    assert.equal(index['5001']?.rowId, 'row-2');
    assert.deepEqual(indexWithEvent(index, { id: 'e7', status: 'cancelled' }), {});
    assert.deepEqual(indexWithoutEvent(index, 'e7'), {});
    assert.equal(indexWithoutEvent(index, 'other'), index);
  });

  it('rebuilds after a full list and folds an incremental one', () => {
    const before = indexFromEvents([listed(termin(), 'e1'), listed(series, 'e2')]);
    const changes: HubEvent[] = [{ id: 'e1', status: 'cancelled' }, listed(termin({ frNr: 5005 }), 'e5')];
    assert.deepEqual(Object.keys(indexAfterList(before, changes, 'incremental')).sort(), ['5002', '5005']);
    assert.deepEqual(Object.keys(indexAfterList(before, changes, 'full')), ['5005']);
  });
});
