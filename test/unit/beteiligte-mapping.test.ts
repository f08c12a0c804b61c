import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Beteiligte } from '../../contracts/advoware';
import {
  ADVOWARE_WRITABLE_FIELDS,
  advowareChanges,
  advowareToEspo,
  espoToAdvoware,
  isCompany,
  mergeForPut,
  stammdatenChanges,
} from '../../domain/beteiligte/mapping';
import { salutationFromAdvoware, salutationToAdvoware } from '../../domain/beteiligte/salutation';
import type { EspoBeteiligte } from '../../contracts/espocrm';

const person: EspoBeteiligte = {
  id: 'p1',
  name: 'Erika Mustermann',
  firstName: 'Erika',
  lastName: 'Mustermann',
  firmenname: null,
  salutationName: 'Ms.',
  dateOfBirth: '1980-02-03',
  rechtsform: null,
};

const company: EspoBeteiligte = {
  id: 'c1',
  name: 'Hausverwaltung Nord GmbH',
  firstName: null,
  lastName: null,
  firmenname: 'Hausverwaltung Nord GmbH',
  rechtsform: 'GmbH',
};

function advo(fields: Partial<Beteiligte>): Beteiligte {
  return { betNr: 4711, rowId: 'AAAAAAAAB9E=', name: null, ...fields };
}

describe('espoToAdvoware', () => {
  it('maps a person: lastName → name, firstName → vorname, salutation → anrede, date gets a time', () => {
    assert.deepEqual(espoToAdvoware(person), {
      name: 'Mustermann',
      vorname: 'Erika',
      anrede: 'Frau',
      geburtsdatum: '1980-02-03T00:00:00',
      rechtsform: null,
    });
  });

  it('maps a company: firmenname → name, no person fields, and leaves anrede/titel to Advoware', () => {
    const fields = espoToAdvoware(company);
    assert.deepEqual(fields, { name: 'Hausverwaltung Nord GmbH', vorname: null, geburtsdatum: null, rechtsform: 'GmbH' });
    assert.ok(!('anrede' in fields) && !('titel' in fields));
  });

  it("ignores a company's hidden person names", () => {
    const fields = espoToAdvoware({ ...company, firstName: 'Alt', lastName: 'Person', salutationName: 'Mr.', dateOfBirth: '1970-01-01' });
    assert.equal(fields.name, 'Hausverwaltung Nord GmbH');
    assert.equal(fields.vorname, null);
    assert.equal(fields.geburtsdatum, null);
  });

  it('trims text and treats empty strings as null', () => {
    const fields = espoToAdvoware({ firstName: '  Erika ', lastName: ' Mustermann ', firmenname: '   ', salutationName: '', dateOfBirth: '' });
    assert.equal(fields.name, 'Mustermann');
    assert.equal(fields.vorname, 'Erika');
    assert.equal(fields.geburtsdatum, null);
    assert.ok(!('anrede' in fields), 'no salutation: Advoware keeps its anrede');
  });

  it('falls back to the display name only for a record without name parts', () => {
    assert.equal(espoToAdvoware({ name: 'Nur Name' }).name, 'Nur Name');
    assert.equal(espoToAdvoware({ name: 'Erika', firstName: 'Erika' }).name, null);
  });

  it('leaves out a malformed birth date instead of clearing Advoware’s', () => {
    assert.ok(!('geburtsdatum' in espoToAdvoware({ ...person, dateOfBirth: '03.02.1980' })));
  });

  it('is a person unless firmenname is set', () => {
    assert.equal(isCompany(person), false);
    assert.equal(isCompany(company), true);
    assert.equal(isCompany({ firmenname: '  ' }), false);
  });
});

describe('salutation', () => {
  it('maps EspoCRM salutations to Advoware anrede or titel', () => {
    assert.deepEqual(salutationToAdvoware('Mr.'), { anrede: 'Herr' });
    assert.deepEqual(salutationToAdvoware('Ms.'), { anrede: 'Frau' });
    assert.deepEqual(salutationToAdvoware('Mrs.'), { anrede: 'Frau' });
    assert.deepEqual(salutationToAdvoware('Herr'), { anrede: 'Herr' });
    assert.deepEqual(salutationToAdvoware('frau'), { anrede: 'Frau' });
    assert.deepEqual(salutationToAdvoware('Dr.'), { titel: 'Dr.' });
    assert.deepEqual(salutationToAdvoware('Prof. Dr.'), { titel: 'Prof. Dr.' });
    assert.deepEqual(salutationToAdvoware('Eheleute'), { anrede: 'Eheleute' });
    assert.deepEqual(salutationToAdvoware(null), {});
  });

  it('maps back in the current value’s style and only when something differs', () => {
    assert.equal(salutationFromAdvoware('Herr', null), 'Mr.');
    assert.equal(salutationFromAdvoware('Frau', 'Dr.'), 'Ms.');
    assert.equal(salutationFromAdvoware(null, 'Dr. med.'), 'Dr.');
    assert.equal(salutationFromAdvoware('Frau', null, 'Herr'), 'Frau', 'German options stay German');
    assert.equal(salutationFromAdvoware('Frau', null, 'Mrs.'), undefined, 'Mrs. already says Frau');
    assert.equal(salutationFromAdvoware('Herr', 'Dr.', 'Dr.'), undefined, 'Dr. agrees with Herr Dr.');
    assert.equal(salutationFromAdvoware('Herr', null, 'Dr.'), 'Mr.', 'the title is gone in Advoware');
    assert.equal(salutationFromAdvoware('Eheleute', null), undefined, 'no EspoCRM option for it');
    assert.equal(salutationFromAdvoware(null, null), undefined);
  });
});

describe('mergeForPut', () => {
  const current = advo({
    name: 'Mustermann',
    vorname: 'Erika',
    anrede: 'Frau',
    titel: 'Dr.',
    geburtsdatum: '1980-02-03T00:00:00',
    briefAnrede: 'Sehr geehrte Frau Dr. Mustermann',
    zusatz: 'c/o Kanzlei',
    strasse: 'Hauptstr. 1',
  });

  it('carries all eight writable fields and keeps those EspoCRM has no counterpart for', () => {
    const merged = mergeForPut(current, espoToAdvoware({ ...person, lastName: 'Musterfrau' }));
    assert.deepEqual(Object.keys(merged).sort(), [...ADVOWARE_WRITABLE_FIELDS].sort());
    assert.equal(merged.name, 'Musterfrau');
    assert.equal(merged.titel, 'Dr.');
    assert.equal(merged.briefAnrede, 'Sehr geehrte Frau Dr. Mustermann');
    assert.equal(merged.zusatz, 'c/o Kanzlei');
    assert.ok(!('strasse' in merged), 'not writable: not sent');
  });

  it('lets EspoCRM clear what it is master of', () => {
    const merged = mergeForPut(current, espoToAdvoware({ ...person, dateOfBirth: null }));
    assert.equal(merged.geburtsdatum, null);
  });

  it("keeps a company's Advoware anrede", () => {
    const merged = mergeForPut(advo({ name: 'Alt GmbH', anrede: 'Firma' }), espoToAdvoware(company));
    assert.equal(merged.anrede, 'Firma');
    assert.equal(merged.name, 'Hausverwaltung Nord GmbH');
    assert.equal(merged.vorname, null);
  });

  it('reports the Advoware fields the PUT changes', () => {
    assert.deepEqual(advowareChanges(current, espoToAdvoware(person)), []);
    assert.deepEqual(advowareChanges(current, espoToAdvoware({ ...person, lastName: 'Musterfrau', dateOfBirth: '1980-02-04' })), [
      'name',
      'geburtsdatum',
    ]);
  });
});

describe('advowareToEspo', () => {
  it('maps a person back, converting the date and the anrede', () => {
    const patch = advowareToEspo(advo({ name: 'Mustermann', vorname: 'Erika', anrede: 'Frau', geburtsdatum: '1980-02-03T00:00:00' }));
    assert.deepEqual(patch, {
      firstName: 'Erika',
      lastName: 'Mustermann',
      name: 'Erika Mustermann',
      salutationName: 'Ms.',
      dateOfBirth: '1980-02-03',
      firmenname: '',
    });
  });

  it('maps a company back with firmenname and rechtsform and no person fields', () => {
    const patch = advowareToEspo(advo({ name: 'Schmidt Immobilien GmbH', vorname: null, anrede: 'Firma', rechtsform: 'GmbH' }));
    assert.deepEqual(patch, { firmenname: 'Schmidt Immobilien GmbH', name: 'Schmidt Immobilien GmbH', rechtsform: 'GmbH' });
  });

  it('never writes null, and an empty string only to clear a person’s firmenname', () => {
    const patch = advowareToEspo(advo({ name: 'Weber', vorname: 'Jonas', anrede: null, titel: null, geburtsdatum: null, rechtsform: null }));
    assert.deepEqual(patch, { firstName: 'Jonas', lastName: 'Weber', name: 'Jonas Weber', firmenname: '' });
    const empty = advowareToEspo(advo({ name: '  ', vorname: '' }));
    assert.deepEqual(empty, {});
  });

  it('with the current entity, writes only what differs', () => {
    const a = advo({ name: 'Mustermann', vorname: 'Erika Maria', anrede: 'Frau', geburtsdatum: '1980-02-04T00:00:00' });
    assert.deepEqual(advowareToEspo(a, { ...person, salutationName: 'Mrs.' }), {
      firstName: 'Erika Maria',
      name: 'Erika Maria Mustermann',
      dateOfBirth: '1980-02-04',
    });
    const same = advo({ name: 'Mustermann', vorname: 'Erika', anrede: 'Frau', geburtsdatum: '1980-02-03T00:00:00' });
    assert.deepEqual(advowareToEspo(same, person), {});
  });

  it('turns an EspoCRM company into a person when Advoware made it one', () => {
    const patch = advowareToEspo(advo({ name: 'Nord', vorname: 'Hans' }), company);
    assert.equal(patch.firmenname, '');
    assert.equal(patch.firstName, 'Hans');
    assert.equal(patch.lastName, 'Nord');
  });

  it('reports the EspoCRM fields a patch changes, ignoring formatting', () => {
    assert.deepEqual(stammdatenChanges(person, { firstName: 'Erika ', lastName: 'Musterfrau', firmenname: '' }), ['lastName']);
    assert.deepEqual(stammdatenChanges(person, { dateOfBirth: '1980-02-03' }), []);
  });
});
