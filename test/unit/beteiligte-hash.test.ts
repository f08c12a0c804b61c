import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Beteiligte } from '../../contracts/advoware';
import { fnv1a64, stammdatenHash } from '../../domain/beteiligte/hash';
import { advowareChanges, advowareToEspo, espoToAdvoware, stammdatenChanges } from '../../domain/beteiligte/mapping';
import type { EspoBeteiligte } from '../../contracts/espocrm';

const person: EspoBeteiligte = {
  id: 'p1',
  name: 'Erika Mustermann',
  firstName: 'Erika',
  lastName: 'Mustermann',
  firmenname: null,
  salutationName: 'Ms.',
  dateOfBirth: '1980-02-03',
  betnr: 4711,
  advowareRowId: 'AAAAAAAAB9E=',
  syncStatus: 'clean',
  advowareLastSync: '2025-01-01 10:00:00',
  modifiedAt: '2025-01-01 10:00:00',
};

const company: EspoBeteiligte = { id: 'c1', name: 'Nord GmbH', firmenname: 'Nord GmbH', rechtsform: 'GmbH', syncStatus: 'clean' };

function advo(fields: Partial<Beteiligte>): Beteiligte {
  return { betNr: 4711, rowId: 'AAAAAAAAC0Q=', name: null, ...fields };
}

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64-bit test vectors', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
  });

  it('hashes the UTF-8 bytes, like a byte-wise reference implementation', () => {
    const reference = (s: string): string => {
      let h = 0xcbf29ce484222325n;
      for (const b of Buffer.from(s, 'utf8')) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    for (const s of ['Müller', 'Straße', '€', '😀 emoji', 'Ελληνικά']) assert.equal(fnv1a64(s), reference(s), s);
  });
});

describe('stammdatenHash', () => {
  it('is 16 hex digits and deterministic', () => {
    assert.match(stammdatenHash(person), /^[0-9a-f]{16}$/);
    assert.equal(stammdatenHash(person), stammdatenHash({ ...person }));
  });

  it('does not change with sync metadata, modifiedAt or communication data', () => {
    const touched: EspoBeteiligte = {
      ...person,
      syncStatus: 'dirty',
      advowareRowId: 'other',
      advowareLastSync: '2025-06-01 00:00:00',
      modifiedAt: '2025-06-01 00:00:00',
      stammdatenHash: 'abc',
      syncRetryCount: 3,
      syncErrorMessage: 'boom',
      kommunikationHash: 'k',
      assignedUserId: 'u1',
      emailAddressData: [{ emailAddress: 'erika@example.de', primary: true }],
      phoneNumberData: [{ phoneNumber: '+49 30 1', type: 'Office', primary: true }],
    };
    assert.equal(stammdatenHash(touched), stammdatenHash(person));
  });

  it('does not change with formatting the mapping normalises away', () => {
    const reformatted: EspoBeteiligte = { ...person, firstName: ' Erika ', firmenname: '', salutationName: 'Frau', name: 'Anything' };
    assert.equal(stammdatenHash(reformatted), stammdatenHash(person));
    assert.equal(stammdatenHash({ ...company, firstName: 'Hidden' }), stammdatenHash(company));
  });

  it('changes with every field that reaches Advoware', () => {
    const base = stammdatenHash(person);
    const edits: Partial<EspoBeteiligte>[] = [
      { firstName: 'Erik' },
      { lastName: 'Musterfrau' },
      { salutationName: 'Mr.' },
      { salutationName: 'Dr.' },
      { dateOfBirth: '1980-02-04' },
      { dateOfBirth: null },
      { firmenname: 'Mustermann GmbH' },
    ];
    for (const edit of edits) assert.notEqual(stammdatenHash({ ...person, ...edit }), base, JSON.stringify(edit));
    assert.notEqual(stammdatenHash({ ...company, rechtsform: 'AG' }), stammdatenHash(company));
    assert.notEqual(stammdatenHash({ ...company, firmenname: 'Süd GmbH' }), stammdatenHash(company));
  });

  it('accepts a partial entity', () => {
    assert.equal(
      stammdatenHash({ firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.', dateOfBirth: '1980-02-03' }),
      stammdatenHash(person),
    );
  });
});

/** EspoCRM shows a company's firmenname, else the person's name parts. */
function derivedName(e: EspoBeteiligte): string {
  return e.firmenname || [e.firstName, e.lastName].filter(Boolean).join(' ');
}

describe('round trip Advoware → EspoCRM → hash', () => {
  const beteiligteList: [string, EspoBeteiligte, Beteiligte][] = [
    [
      'person edited in Advoware',
      person,
      advo({ name: 'Mustermann', vorname: 'Erika Maria', anrede: 'Frau', titel: 'Dr.', geburtsdatum: '1980-02-04T00:00:00' }),
    ],
    [
      'person with a German salutation',
      { ...person, salutationName: 'Frau' },
      advo({ name: 'Mustermann', vorname: 'Erika', anrede: 'Herr', geburtsdatum: '1980-02-03T00:00:00' }),
    ],
    ['company renamed', company, advo({ name: 'Nord Immobilien GmbH', anrede: 'Firma', rechtsform: 'GmbH & Co. KG' })],
    ['company turned person', company, advo({ name: 'Nord', vorname: 'Hans', anrede: 'Herr' })],
    ['person turned company', person, advo({ name: 'Mustermann AG', rechtsform: 'AG' })],
  ];

  for (const [label, entity, beteiligte] of beteiligteList) {
    it(`${label}: the written entity hashes the same in the next run, and pushing it back changes nothing`, () => {
      for (const patch of [advowareToEspo(beteiligte, entity), advowareToEspo(beteiligte)]) {
        // What the workflow stores as stammdatenHash after the write …
        const written: EspoBeteiligte = { ...entity, ...patch, modifiedAt: '2025-06-01 12:00:01' };
        const stored = stammdatenHash(written);
        // … and what the next run computes from the entity EspoCRM returns (name derived by the CRM).
        const reloaded: EspoBeteiligte = { ...written, name: derivedName(written), modifiedAt: '2025-06-01 12:00:02' };
        assert.equal(stammdatenHash(reloaded), stored);
        assert.deepEqual(stammdatenChanges(reloaded, advowareToEspo(beteiligte, reloaded)), [], 'nothing left to take over');
        assert.deepEqual(advowareToEspo(beteiligte, reloaded), {});
        assert.deepEqual(advowareChanges(beteiligte, espoToAdvoware(reloaded)), [], 'EspoCRM now says what Advoware says');
      }
    });
  }

  it('a value Advoware cleared stays in EspoCRM (nulls are rejected), and the hash stays stable', () => {
    const beteiligte = advo({ name: 'Mustermann', vorname: 'Erika', anrede: 'Frau', geburtsdatum: null });
    const patch = advowareToEspo(beteiligte, person);
    assert.ok(!('dateOfBirth' in patch));
    const written: EspoBeteiligte = { ...person, ...patch };
    assert.equal(stammdatenHash(written), stammdatenHash(person));
    assert.deepEqual(advowareChanges(beteiligte, espoToAdvoware(written)), ['geburtsdatum'], 'the next push restores it');
  });
});
