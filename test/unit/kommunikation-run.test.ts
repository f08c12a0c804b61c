/**
 * The pieces around the Kommunikation planner that the workflow's executor uses: the hash after the run's writes
 * without a re-read, the pending EspoCRM hash of a run stopped half-way, and the report of skipped values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kommunikation } from '../../contracts/advoware';
import type { AdvowareKommunikationAction } from '../../domain/kommunikation/actions';
import { entriesAfterWrites } from '../../domain/kommunikation/after-writes';
import { decideKommunikation } from '../../domain/kommunikation/decision';
import { espoKommunikationHash, isPendingEspoHash, kommunikationHash, pendingEspoHash } from '../../domain/kommunikation/hash';
import { formatMarker, formatSlot } from '../../domain/kommunikation/marker';
import { describeSkipped } from '../../domain/kommunikation/report';

const office: Kommunikation = { id: 1, rowId: 'ROW-1', kommKz: 0, tlf: '+49 30 1234567', bemerkung: formatMarker('+49 30 1234567', 1), online: true };
const emptySlot: Kommunikation = { id: 2, rowId: 'ROW-2', kommKz: 0, tlf: '', bemerkung: formatSlot(3), online: false };

describe('entriesAfterWrites: the entries after the run’s writes, from the GET and the answers', () => {
  const refill: AdvowareKommunikationAction = {
    kind: 'reuseSlot',
    case: 'Var1',
    kommKz: 3,
    entryId: 2,
    body: { tlf: '0170 1234567', bemerkung: formatMarker('0170 1234567', 3), online: false },
    value: '0170 1234567',
    note: '',
  };
  const post: AdvowareKommunikationAction = {
    kind: 'createEntry',
    case: 'Var1',
    kommKz: 4,
    body: { tlf: 'a@b.de', bemerkung: formatMarker('a@b.de', 4), online: true, kommKz: 4 },
    value: 'a@b.de',
    note: '',
  };

  it('gives a refilled slot its new rowId and value and adds a POSTed entry, so the hash equals a re-read’s', () => {
    const after = entriesAfterWrites(
      [office, emptySlot],
      [refill, post],
      [
        { entryId: 2, rowId: 'ROW-2b' },
        { entryId: 7, rowId: 'ROW-7' },
      ],
    );
    assert.ok(after);
    const reread: Kommunikation[] = [
      office,
      { ...emptySlot, rowId: 'ROW-2b', tlf: '0170 1234567', bemerkung: refill.body.bemerkung },
      { id: 7, rowId: 'ROW-7', kommKz: 4, tlf: 'a@b.de', bemerkung: post.body.bemerkung, online: true },
    ];
    assert.deepEqual(after, reread);
    assert.equal(kommunikationHash(after), kommunikationHash(reread));
    assert.notEqual(kommunikationHash(after), kommunikationHash([office, emptySlot]));
  });

  it('is null when an answer carries no rowId: only a re-read knows the hash then', () => {
    assert.equal(entriesAfterWrites([office, emptySlot], [refill], [{ entryId: 2, rowId: null }]), null);
  });

  it('refuses answers that do not pair with the writes', () => {
    assert.throws(() => entriesAfterWrites([office], [refill, post], [{ entryId: 2, rowId: 'x' }]), /2 Kommunikation writes but 1 answers/);
  });
});

describe('pending EspoCRM hash: a run that wrote EspoCRM and stopped before Advoware', () => {
  const espo = { phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }] };

  it('is recognisable and never equal to a real hash', () => {
    const hash = espoKommunikationHash(espo);
    assert.equal(isPendingEspoHash(pendingEspoHash(hash)), true);
    assert.equal(isPendingEspoHash(hash), false);
    assert.equal(isPendingEspoHash(null), false);
    assert.notEqual(pendingEspoHash(hash), hash);
  });

  it('makes EspoCRM’s side unknown for the next run, so nothing is taken as deleted in EspoCRM', () => {
    const stored = { kommunikationHash: kommunikationHash([office]), kommunikationEspoHash: pendingEspoHash(espoKommunikationHash(espo)) };
    const decision = decideKommunikation(espo, [office], stored);
    assert.equal(decision.espoChanged, null);
    assert.equal(decision.espoWins, false);
    assert.equal(decision.initialSync, false);
  });
});

describe('describeSkipped: the line for syncErrorMessage', () => {
  it('names each skipped value masked, its side and why; Advoware-only types are not news', () => {
    const text = describeSkipped([
      { side: 'espocrm', reason: 'invalidPhone', value: '*bc' },
      { side: 'advoware', reason: 'duplicate', value: '******4567', entryId: 9 },
      { side: 'advoware', reason: 'notSyncable', value: '*******ple' },
    ]);
    assert.equal(
      text,
      '2 phone numbers or e-mail addresses were not synced: *bc in EspoCRM: not a phone number; ******4567 in Advoware (entry 9): entered twice',
    );
  });

  it('is null when every value was synced, or only values EspoCRM has no field for were left', () => {
    assert.equal(describeSkipped([]), null);
    assert.equal(describeSkipped([{ side: 'advoware', reason: 'notSyncable', value: '***' }]), null);
  });
});
