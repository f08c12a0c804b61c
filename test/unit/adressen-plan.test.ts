/**
 * The Adressen planner (SPEC §5.4). Each case also applies the plan to both sides the way Advoware would (POST
 * inserts at index 1; a PUT writes only four fields) and checks that the next run has nothing to do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Adresse } from '../../contracts/advoware';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { espoAdressenHash, storedAdressenHash } from '../../domain/adressen/hash';
import { formatAdresseMarker, landCode, markerKey, readEspoAddresses } from '../../domain/adressen/model';
import { planAdressenSync, type AdressenPlan } from '../../domain/adressen/plan';
import { describeUnsyncable } from '../../domain/adressen/report';

const ID = '66b0000000000000a';
const TODAY = '2025-03-04';

type Espo = Partial<EspoBeteiligte>;

const billing = (street: string, plz: string, city: string, country: string | null = 'Deutschland'): Espo => ({
  billingAddressStreet: street,
  billingAddressPostalCode: plz,
  billingAddressCity: city,
  billingAddressCountry: country,
});
const shipping = (street: string, plz: string, city: string, country: string | null = 'Deutschland'): Espo => ({
  shippingAddressStreet: street,
  shippingAddressPostalCode: plz,
  shippingAddressCity: city,
  shippingAddressCountry: country,
});

let rowSeq = 0;
const NULL_FIELDS = ['strasse', 'plz', 'ort', 'land', 'postfach', 'postfachPlz', 'zusatz', 'anschrift', 'gueltigVon', 'gueltigBis', 'bemerkung'];
function adresse(reihenfolgeIndex: number, fields: Partial<Adresse>): Adresse {
  const blank = Object.fromEntries(NULL_FIELDS.map((f) => [f, null]));
  return { ...blank, reihenfolgeIndex, rowId: `row${++rowSeq}`, standardAnschrift: false, ...fields } as Adresse;
}
const marked = (index: number, kind: 'billing' | 'shipping', fields: Partial<Adresse>): Adresse =>
  adresse(index, { ...fields, bemerkung: formatAdresseMarker(`${ID}:${kind}`) });

const plan = (espo: Espo, advoware: Adresse[], reported: string | null = null): AdressenPlan =>
  planAdressenSync({ espoId: ID, espo, advoware, reported, today: TODAY });

/** Advoware after the plan: creates at index 1, PUTs write strasse/plz/ort/zusatz of the address with the marker. */
function apply(advoware: Adresse[], p: AdressenPlan): Adresse[] {
  let list = advoware.map((a) => ({ ...a }));
  for (const action of p.actions) {
    if (action.kind === 'create') list = [adresse(0, action.body), ...list];
    else {
      const target = list.find((a) => a.bemerkung === action.marker);
      assert.ok(target, `a PUT for ${action.address} finds its address`);
      Object.assign(target, action.body);
    }
  }
  return list.map((a, i) => ({ ...a, reihenfolgeIndex: i + 1 }));
}

function assertConverges(espo: Espo, advoware: Adresse[], p: AdressenPlan): void {
  const next = plan(espo, apply(advoware, p), p.reportedAfter);
  assert.deepEqual(next.actions, [], 'the next run writes nothing');
  assert.deepEqual(next.toNotify, [], 'and notifies nothing');
  assert.equal(next.reportedAfter, p.reportedAfter);
}

describe('Adressen planner', () => {
  it('create: a new EspoCRM address is POSTed with all 11 fields and its marker; billing becomes the standard address', () => {
    const espo = { ...billing('Hauptstraße 1\nc/o Kanzlei Weber', '10115', 'Berlin'), ...shipping('Seeweg 7', '18055', 'Rostock', 'Germany') };
    const p = plan(espo, []);
    const fixed = { postfach: null, postfachPlz: null, anschrift: null, gueltigVon: '2025-03-04T00:00:00', land: 'D' };
    assert.deepEqual(
      p.actions.map((a) => a.kind === 'create' && a.body),
      [
        {
          ...fixed,
          strasse: 'Hauptstraße 1',
          plz: '10115',
          ort: 'Berlin',
          zusatz: 'c/o Kanzlei Weber',
          standardAnschrift: true,
          bemerkung: `EspoCRM-ID: ${ID}:billing`,
        },
        {
          ...fixed,
          strasse: 'Seeweg 7',
          plz: '18055',
          ort: 'Rostock',
          zusatz: null,
          standardAnschrift: false,
          bemerkung: `EspoCRM-ID: ${ID}:shipping`,
        },
      ],
    );
    assert.ok(
      p.actions.every((a) => a.kind === 'create' && Object.keys(a.body).length === 11),
      'all 11 fields',
    );
    assert.equal(p.espoHashAfter, espoAdressenHash(espo));
    assertConverges(espo, [], p);
  });

  it('create: Advoware has a standard address already, so the new billing address is not one', () => {
    const existing = [adresse(1, { strasse: 'Alt 1', plz: '1', ort: 'X', standardAnschrift: true })];
    const [action] = plan(billing('Neu 2', '2', 'Y'), existing).actions;
    assert.equal(action?.kind === 'create' && action.body.standardAnschrift, false);
  });

  it('update: only the writable fields, all four sent, found by the marker (not the index it was read at)', () => {
    const advoware = [
      adresse(1, { strasse: 'Fremd 9', plz: '99999', ort: 'Anderswo' }),
      marked(2, 'billing', { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D' }),
    ];
    const espo = billing('Hauptstraße 2\nHinterhaus', '10117', 'Berlin');
    const p = plan(espo, advoware);
    assert.deepEqual(p.actions, [
      {
        kind: 'update',
        address: `${ID}:billing`,
        marker: `EspoCRM-ID: ${ID}:billing`,
        body: { strasse: 'Hauptstraße 2', plz: '10117', ort: 'Berlin', zusatz: 'Hinterhaus' },
        fields: ['strasse', 'plz', 'zusatz'],
        reihenfolgeIndex: 2,
      },
    ]);
    assert.deepEqual(p.unsyncable, []);
    assertConverges(espo, advoware, p);
  });

  it('a read-only change (country) is reported, not written; the writable part is still written', () => {
    const advoware = [marked(1, 'billing', { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D' })];
    const espo = billing('Ring 3', '1010', 'Wien', 'Österreich');
    const p = plan(espo, advoware);
    assert.deepEqual(
      p.actions.map((a) => a.kind),
      ['update'],
    );
    assert.deepEqual(p.unsyncable, [{ address: `${ID}:billing`, field: 'land', advoware: 'D', espocrm: 'Österreich' }]);
    assert.deepEqual(p.toNotify, p.unsyncable);
    assert.notEqual(p.reportedAfter, '');
    assertConverges(espo, advoware, p);
  });

  it('once per change: a difference notified before is not notified again, a new value is', () => {
    const advoware = [marked(1, 'billing', { strasse: 'Ring 3', plz: '1010', ort: 'Wien', land: 'D' })];
    const first = plan(billing('Ring 3', '1010', 'Wien', 'Österreich'), advoware);
    assert.equal(first.toNotify.length, 1);
    const again = plan(billing('Ring 4', '1010', 'Wien', 'Österreich'), advoware, first.reportedAfter);
    assert.deepEqual(again.toNotify, [], 'the street changed, the country difference is old news');
    assert.equal(again.unsyncable.length, 1, 'yet still listed in the run');
    const changed = plan(billing('Ring 4', '1010', 'Wien', 'Schweiz'), advoware, again.reportedAfter);
    assert.deepEqual(changed.toNotify, [{ address: `${ID}:billing`, field: 'land', advoware: 'D', espocrm: 'Schweiz' }]);
    const fixed = plan(billing('Ring 4', '1010', 'Wien', 'Deutschland'), advoware, changed.reportedAfter);
    assert.equal(fixed.reportedAfter, '', 'a difference that went away is forgotten, so a new one is told again');
  });

  it('delete: an EspoCRM address that is gone is reported once (DELETE 403), nothing written', () => {
    const advoware = [
      marked(1, 'shipping', { strasse: 'Seeweg 7', plz: '18055', ort: 'Rostock', land: 'D' }),
      marked(2, 'billing', { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D' }),
    ];
    const espo = billing('Hauptstraße 1', '10115', 'Berlin');
    const p = plan(espo, advoware);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.toNotify, [{ address: `${ID}:shipping`, field: 'address', advoware: 'Seeweg 7, 18055 Rostock, D', espocrm: '' }]);
    assertConverges(espo, advoware, p);
  });

  it('unmarked addresses are left alone: an equal one counts (no duplicate), a different one is no reason to write it', () => {
    const advoware = [
      adresse(1, { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D', standardAnschrift: true }),
      adresse(2, { strasse: 'Seeweg 7', plz: '18055', ort: 'Rostock', land: 'D', bemerkung: 'nur Sommer' }),
    ];
    const espo = { ...billing('Hauptstraße 1', '10115', 'Berlin', 'Germany'), ...shipping('Seeweg 8', '18055', 'Rostock') };
    const p = plan(espo, advoware);
    assert.deepEqual(p.matched, [{ address: `${ID}:billing`, reihenfolgeIndex: 1 }]);
    assert.deepEqual(
      p.actions.map((a) => [a.kind, a.address]),
      [['create', `${ID}:shipping`]],
    );
    assert.deepEqual(p.unsyncable, []);
    assertConverges(espo, advoware, p);
  });

  it('markers of another EspoCRM entity are not ours', () => {
    const other = adresse(1, { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', bemerkung: formatAdresseMarker('someone-else:billing') });
    const p = plan({}, [other]);
    assert.deepEqual(p.unsyncable, []);
    assert.deepEqual(p.actions, []);
  });

  it('unchanged: nothing to write, nothing to tell; no addresses at all counts as the empty hash stored', () => {
    const advoware = [marked(1, 'billing', { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D' })];
    const p = plan(billing(' Hauptstraße 1 ', '10115', 'Berlin', 'DE'), advoware);
    assert.deepEqual(p.actions, []);
    assert.deepEqual(p.unsyncable, []);
    assert.equal(storedAdressenHash({}), espoAdressenHash({ billingAddressState: 'Bayern' }), 'the state alone is no address');
    assert.notEqual(storedAdressenHash({}), espoAdressenHash(billing('a', '1', 'b')));
  });

  it('helpers: marker, country codes, street lines, the notification text', () => {
    assert.equal(markerKey({ bemerkung: `EspoCRM-ID: ${ID}:billing  (vom Hub)` }), `${ID}:billing`);
    assert.equal(markerKey({ bemerkung: 'nur Sommer' }), null);
    assert.equal(landCode('germany'), 'D');
    assert.equal(landCode('Frankreich'), 'Frankreich');
    assert.deepEqual(
      readEspoAddresses(ID, { billingAddressStreet: 'A 1\r\n\r\nHof 2\nEG' }).map((a) => [a.strasse, a.zusatz]),
      [['A 1', 'Hof 2, EG']],
    );
    const message = describeUnsyncable('Max Mustermann', 100001, [{ address: `${ID}:billing`, field: 'land', advoware: 'D', espocrm: 'Österreich' }]);
    assert.match(
      message ?? '',
      /Max Mustermann \(betNr 100001\).*billing address \(66b0000000000000a:billing\): land is "D" in Advoware and "Österreich" in EspoCRM/,
    );
    assert.equal(describeUnsyncable('x', 1, []), null);
  });
});
