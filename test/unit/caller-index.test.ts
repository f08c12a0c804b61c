import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerLookup, beteiligteEntries, type CallerBeteiligte } from '../../domain/caller-index/entries';

function beteiligte(id: string, numbers: string[], extra: Partial<CallerBeteiligte> = {}): CallerBeteiligte {
  return {
    id,
    name: `Name ${id}`,
    betnr: 1000,
    assignedUserId: 'user-1',
    phoneNumberData: numbers.map((phoneNumber, i) => ({ phoneNumber, type: 'Office', primary: i === 0 })),
    ...extra,
  };
}

describe('caller index entries (SPEC §8)', () => {
  it('one E.164 entry per number, with the party the screen pop shows', () => {
    const { entries, unusable } = beteiligteEntries(beteiligte('b1', ['030 1234567', '+49 171 2345678']));
    assert.equal(unusable, 0);
    const party = { espoId: 'b1', betNr: 1000, name: 'Name b1', assignedUserId: 'user-1', source: 'beteiligte' };
    assert.deepEqual(entries, [
      { number: '+49301234567', party },
      { number: '+491712345678', party },
    ]);
  });

  it('030 1234567, +49 30 1234567 and +49301234567 are one key, indexed once', () => {
    const { entries } = beteiligteEntries(beteiligte('b1', ['030 1234567', '+49 30 1234567', '+49301234567']));
    assert.deepEqual(
      entries.map((e) => e.number),
      ['+49301234567'],
    );
    for (const raw of ['030 1234567', '+49 30 1234567', '+49301234567', '0049 30 1234567']) {
      assert.deepEqual(
        answerLookup(entries, raw).matches.map((p) => p.espoId),
        ['b1'],
        raw,
      );
    }
  });

  it('skips numbers that cannot be phone numbers and counts them', () => {
    const { entries, unusable } = beteiligteEntries(beteiligte('b1', ['12', 'keine Nummer', '   ', '030 1234567']));
    assert.deepEqual(
      entries.map((e) => e.number),
      ['+49301234567'],
    );
    assert.equal(unusable, 3);
    assert.deepEqual(beteiligteEntries(beteiligte('b2', [], { phoneNumberData: null })), { entries: [], unusable: 0 });
  });

  it('a party without betnr, assigned user or name field still gets an entry; the name comes from its parts', () => {
    const [entry] = beteiligteEntries(
      beteiligte('b1', ['030 1234567'], { name: null, firstName: 'Erika', lastName: 'Muster', betnr: null, assignedUserId: null }),
    ).entries;
    assert.deepEqual(entry?.party, { espoId: 'b1', betNr: null, name: 'Erika Muster', assignedUserId: null, source: 'beteiligte' });
    const [company] = beteiligteEntries(beteiligte('b2', ['030 1234567'], { name: '', firmenname: 'Muster GmbH' })).entries;
    assert.equal(company?.party.name, 'Muster GmbH');
  });

  it('a number on two parties answers both, in id order; unknown and unusable numbers answer none', () => {
    const entries = [
      ...beteiligteEntries(beteiligte('b2', ['+49 30 1234567'])).entries,
      ...beteiligteEntries(beteiligte('b1', ['030 1234567', '0171 2345678'])).entries,
    ];
    assert.deepEqual(
      answerLookup(entries, '+49301234567').matches.map((p) => p.espoId),
      ['b1', 'b2'],
    );
    assert.deepEqual(
      answerLookup(entries, '0171 2345678').matches.map((p) => p.espoId),
      ['b1'],
    );
    assert.deepEqual(answerLookup(entries, '+49 89 7654321'), { matches: [] });
    assert.deepEqual(answerLookup(entries, 'anonymous'), { matches: [] });
    assert.deepEqual(answerLookup(entries, null), { matches: [] });
  });
});
