import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideStammdaten, needsStaleRefresh, type DecisionInput } from '../../domain/beteiligte/decision';
import { stammdatenHash } from '../../domain/beteiligte/hash';
import type { EspoBeteiligte } from '../../contracts/espocrm';

const synced: EspoBeteiligte = {
  id: 'p1',
  firstName: 'Erika',
  lastName: 'Mustermann',
  salutationName: 'Ms.',
  betnr: 4711,
  advowareRowId: 'row-1',
  syncStatus: 'clean',
};
synced.stammdatenHash = stammdatenHash(synced);

function decide(entity: EspoBeteiligte, advowareRowId?: string): ReturnType<typeof decideStammdaten> {
  const input: DecisionInput = { entity, currentHash: stammdatenHash(entity), advowareRowId };
  return decideStammdaten(input);
}

describe('decideStammdaten', () => {
  it('create: no betnr yet', () => {
    const d = decide({ id: 'n', firstName: 'Neu', lastName: 'Person', syncStatus: 'pending_sync' });
    assert.equal(d.kind, 'create');
    assert.equal(d.direction, 'to_advoware');
    assert.equal(d.espoChanged, true);
    assert.equal(d.advoChanged, false);
  });

  it('initial_sync: linked but no stammdatenHash stored, whatever the rowIds say', () => {
    const linked = { ...synced, stammdatenHash: null };
    assert.equal(decide(linked, 'row-1').kind, 'initial_sync');
    const d = decide({ ...linked, advowareRowId: null }, 'row-9');
    assert.equal(d.kind, 'initial_sync');
    assert.equal(d.direction, 'to_advoware');
    assert.equal(d.advoChanged, true);
  });

  it('no_change: same hash, same rowId', () => {
    const d = decide(synced, 'row-1');
    assert.equal(d.kind, 'no_change');
    assert.equal(d.direction, 'none');
    assert.deepEqual([d.espoChanged, d.advoChanged], [false, false]);
  });

  it('no_change despite a newer modifiedAt or fresh sync metadata: the verdict is the content', () => {
    const d = decide({ ...synced, modifiedAt: '2030-01-01 00:00:00', advowareLastSync: '2020-01-01 00:00:00', syncStatus: 'dirty' }, 'row-1');
    assert.equal(d.kind, 'no_change');
  });

  it('espocrm_newer: the content hash changed, the rowId did not', () => {
    const d = decide({ ...synced, lastName: 'Musterfrau' }, 'row-1');
    assert.equal(d.kind, 'espocrm_newer');
    assert.equal(d.direction, 'to_advoware');
    assert.deepEqual([d.espoChanged, d.advoChanged], [true, false]);
  });

  it('advoware_newer: the rowId changed, the content hash did not', () => {
    const d = decide(synced, 'row-2');
    assert.equal(d.kind, 'advoware_newer');
    assert.equal(d.direction, 'to_espocrm');
    assert.deepEqual([d.espoChanged, d.advoChanged], [false, true]);
  });

  it('conflict: both changed, and EspoCRM wins', () => {
    const d = decide({ ...synced, lastName: 'Musterfrau' }, 'row-2');
    assert.equal(d.kind, 'conflict');
    assert.equal(d.direction, 'to_advoware');
    assert.deepEqual([d.espoChanged, d.advoChanged], [true, true]);
    assert.match(d.reason, /EspoCRM wins/);
  });

  it('an unfetched rowId never counts as an Advoware change', () => {
    assert.equal(decide(synced).kind, 'no_change');
    assert.equal(decide({ ...synced, lastName: 'X' }).kind, 'espocrm_newer');
  });

  it('a stored rowId missing while Advoware has one counts as an Advoware change', () => {
    assert.equal(decide({ ...synced, advowareRowId: null }, 'row-1').kind, 'advoware_newer');
  });

  it('every decision explains itself', () => {
    for (const d of [decide(synced, 'row-1'), decide(synced, 'row-2'), decide({ ...synced, betnr: null })]) assert.ok(d.reason.length > 10);
  });
});

describe('needsStaleRefresh', () => {
  const now = new Date('2025-03-10T12:00:00Z');
  const day = 86_400_000;

  it('is true when never synced or the timestamp is unreadable', () => {
    assert.equal(needsStaleRefresh({}, now, day), true);
    assert.equal(needsStaleRefresh({ advowareLastSync: null }, now, day), true);
    assert.equal(needsStaleRefresh({ advowareLastSync: 'gestern' }, now, day), true);
  });

  it('is true from staleMs on, false before', () => {
    assert.equal(needsStaleRefresh({ advowareLastSync: '2025-03-09 12:00:01' }, now, day), false);
    assert.equal(needsStaleRefresh({ advowareLastSync: '2025-03-09 12:00:00' }, now, day), true);
    assert.equal(needsStaleRefresh({ advowareLastSync: '2024-11-04 09:30:00' }, now, day), true);
    assert.equal(needsStaleRefresh({ advowareLastSync: '2025-03-10 11:59:58' }, now, 2_000), true, 'seconds in tests');
  });
});
