/**
 * The Adressen sync (SPEC §5.4) end to end: the Beteiligte workflow on the real Temporal server against the
 * in-process simulators. The planner's cases are covered by test/unit/adressen-plan.test.ts; these check that the
 * workflow performs them within Advoware's limits (SPEC §3.2) and the call budget. The Advoware simulator moves an
 * address it writes to reihenfolgeIndex 1, so a PUT by an index read before another write would hit another address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import type { Adresse } from '../../simulators/advoware/types';
import { useBeteiligteHarness } from '../support/beteiligte-harness';

const ENTITY = 'CBeteiligte';
const ADR_GET = /^GET .*\/Adressen$/;
const ADR_POST = /^POST .*\/Adressen$/;
const ADR_PUT = /^PUT .*\/Adressen\/[^/]+$/;

const billing = (street: string, plz: string, city: string, country = 'Deutschland'): Partial<EspoBeteiligte> => ({
  billingAddressStreet: street,
  billingAddressPostalCode: plz,
  billingAddressCity: city,
  billingAddressCountry: country,
});
const shipping = (street: string, plz: string, city: string, country = 'Deutschland'): Partial<EspoBeteiligte> => ({
  shippingAddressStreet: street,
  shippingAddressPostalCode: plz,
  shippingAddressCity: city,
  shippingAddressCountry: country,
});
const noShipping: Partial<EspoBeteiligte> = {
  shippingAddressStreet: null,
  shippingAddressPostalCode: null,
  shippingAddressCity: null,
  shippingAddressCountry: null,
};

/** The marker SPEC §3.2 prescribes, written out here rather than taken from domain/adressen. */
const marker = (id: string, kind: 'billing' | 'shipping'): string => `EspoCRM-ID: ${id}:${kind}`;

describe('Beteiligte sync workflow: Adressen EspoCRM → Advoware on the real Temporal server', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm, entity, sync, syncCounted } = harness;

  /** A person created in EspoCRM with these addresses and synced once (a create). */
  async function linkedPerson(addresses: Partial<EspoBeteiligte>, assignedUserId = 'user-a'): Promise<{ id: string; betNr: number }> {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName: 'Adressmann', assignedUserId, ...addresses });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    assert.equal(entity(created.id).syncStatus, 'clean');
    return { id: created.id, betNr: entity(created.id).betnr as number };
  }

  const byMarker = (betNr: number, id: string, kind: 'billing' | 'shipping'): Adresse => {
    const found = advoware.listAdressen(betNr).find((a) => a.bemerkung === marker(id, kind));
    assert.ok(found, `Advoware holds the ${kind} address`);
    return found;
  };
  const addressNotes = (userId: string) => espocrm.notifications(userId).filter((n) => /address/i.test(String(n.message)));

  it('create: a new Beteiligte gets its addresses with all 11 fields and the marker, without reading any first', async () => {
    advoware.calls.reset();
    const { id, betNr } = await linkedPerson({
      ...billing('Hauptstraße 1\nc/o Kanzlei', '10115', 'Berlin'),
      ...shipping('Seeweg 7', '18055', 'Rostock', 'Germany'),
    });
    assert.equal(advoware.calls.count(ADR_GET), 0, 'a Beteiligte created in this run has no addresses to read');
    assert.equal(advoware.calls.count(ADR_POST), 2);
    const b = byMarker(betNr, id, 'billing');
    assert.match(String(b.gueltigVon), /^\d{4}-\d{2}-\d{2}T00:00:00$/, 'valid from the day it was created');
    assert.deepEqual(
      { ...b, rowId: undefined, reihenfolgeIndex: undefined, gueltigVon: undefined },
      {
        rowId: undefined,
        reihenfolgeIndex: undefined,
        strasse: 'Hauptstraße 1',
        plz: '10115',
        ort: 'Berlin',
        land: 'D',
        postfach: null,
        postfachPlz: null,
        zusatz: 'c/o Kanzlei',
        anschrift: null,
        standardAnschrift: true,
        gueltigVon: undefined,
        gueltigBis: null,
        bemerkung: marker(id, 'billing'),
      },
    );
    const s = byMarker(betNr, id, 'shipping');
    assert.deepEqual([s.strasse, s.plz, s.ort, s.land, s.standardAnschrift], ['Seeweg 7', '18055', 'Rostock', 'D', false]);
    assert.ok(entity(id).adressenEspoHash, 'the hash of the synced addresses is stored');
  });

  it('unchanged: a synced Beteiligte with addresses still costs 2 calls (its addresses are not read)', async () => {
    const { id } = await linkedPerson(billing('Hauptstraße 1', '10115', 'Berlin'));
    const { run, calls, writes } = await syncCounted(id);
    assert.equal(run.decision, 'no_change');
    assert.equal(calls, 2);
    assert.equal(writes, 0);
    assert.deepEqual(run.adressen?.actions, []);
  });

  it('update: the writable fields, each PUT at the index read right before it (indexes move on every write)', async () => {
    const { id, betNr } = await linkedPerson({ ...billing('Hauptstraße 1', '10115', 'Berlin'), ...shipping('Seeweg 7', '18055', 'Rostock') });
    // A user's own address in Advoware, inserted at index 1: [unmarked, shipping, billing].
    const own = advoware.addAdresse(betNr, { strasse: 'Fremdweg 9', plz: '99999', ort: 'Anderswo', land: 'D', bemerkung: 'vom Mandanten' });
    assert.deepEqual(
      advoware.listAdressen(betNr).map((a) => a.bemerkung),
      ['vom Mandanten', marker(id, 'shipping'), marker(id, 'billing')],
    );
    espocrm.userUpdate(ENTITY, id, { ...billing('Hauptstraße 2\nHinterhaus', '10117', 'Berlin'), ...shipping('Seeweg 8', '18055', 'Rostock') });

    const { run, calls } = await syncCounted(id);
    // The billing PUT moved billing to index 1; shipping's planned index 2 now points at the user's address.
    assert.deepEqual(
      run.adressen?.actions.map((a) => [a.address, a.action, a.fields.join(',')]),
      [
        [`${id}:billing`, 'update', 'strasse,plz,zusatz'],
        [`${id}:shipping`, 'update', 'strasse'],
      ],
    );
    const b = byMarker(betNr, id, 'billing');
    assert.deepEqual([b.strasse, b.plz, b.ort, b.zusatz], ['Hauptstraße 2', '10117', 'Berlin', 'Hinterhaus']);
    assert.equal(byMarker(betNr, id, 'shipping').strasse, 'Seeweg 8');
    const untouched = advoware.listAdressen(betNr).find((a) => a.bemerkung === 'vom Mandanten');
    assert.deepEqual(untouched && { ...untouched, reihenfolgeIndex: 0 }, { ...own, reihenfolgeIndex: 0 }, 'the unmarked address is untouched');
    assert.equal(advoware.calls.count(ADR_PUT), 2);
    // EspoCRM GET, Beteiligte GET, Adressen GET, 2 × (fresh GET + PUT), EspoCRM PUT.
    assert.equal(calls, 8);
    assert.equal(entity(id).syncStatus, 'clean');
  });

  it('a read-only change (country) is notified exactly once across runs; the writable part still goes through', async () => {
    const { id, betNr } = await linkedPerson(billing('Hauptstraße 1', '10115', 'Berlin'));
    espocrm.userUpdate(ENTITY, id, billing('Ring 3', '1010', 'Wien', 'Österreich'));
    const [first] = await sync(id, 'update');
    assert.deepEqual(first?.adressen?.unsyncable, [{ address: `${id}:billing`, field: 'land', advoware: 'D', espocrm: 'Österreich' }]);
    assert.equal(first?.adressen?.notified, 1);
    const b = byMarker(betNr, id, 'billing');
    assert.deepEqual([b.strasse, b.plz, b.ort, b.land], ['Ring 3', '1010', 'Wien', 'D']);
    const notes = addressNotes('user-a');
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.message), /Erika Adressmann \(betNr \d+\).*billing address.*land is "D" in Advoware and "Österreich" in EspoCRM/);

    await sync(id, 'manual');
    espocrm.userUpdate(ENTITY, id, { billingAddressStreet: 'Ring 4' });
    const [third] = await sync(id, 'update');
    assert.equal(third?.adressen?.unsyncable.length, 1, 'still listed in the run');
    assert.equal(third?.adressen?.notified, 0, 'but not notified again');
    assert.equal(byMarker(betNr, id, 'billing').strasse, 'Ring 4');
    assert.equal(addressNotes('user-a').length, 1, 'one notification across three runs');
  });

  it('delete: an address removed in EspoCRM stays in Advoware (DELETE 403) and is notified once', async () => {
    const { id, betNr } = await linkedPerson({ ...billing('Hauptstraße 1', '10115', 'Berlin'), ...shipping('Seeweg 7', '18055', 'Rostock') });
    espocrm.userUpdate(ENTITY, id, noShipping);
    advoware.calls.reset();
    const [run] = await sync(id, 'update');
    assert.deepEqual(run?.adressen?.unsyncable, [
      { address: `${id}:shipping`, field: 'address', advoware: 'Seeweg 7, 18055 Rostock, D', espocrm: '' },
    ]);
    assert.equal(advoware.calls.count(/^(PUT|POST|DELETE) .*Adressen/), 0, 'nothing written to Advoware');
    assert.equal(advoware.listAdressen(betNr).length, 2);
    const notes = addressNotes('user-a');
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.message), /shipping address .* was deleted in EspoCRM but stays in Advoware as "Seeweg 7, 18055 Rostock, D"/);
    espocrm.userUpdate(ENTITY, id, { billingAddressCity: 'Berlin-Mitte' });
    await sync(id, 'update');
    assert.equal(addressNotes('user-a').length, 1, 'not told again');
  });

  it('an unmarked Advoware address is never overwritten or claimed: an equal one counts, a different one gets a new address', async () => {
    const { id, betNr } = await linkedPerson({});
    const own = advoware.addAdresse(betNr, { strasse: 'Am Markt 3', plz: '20095', ort: 'Hamburg', land: 'D', standardAnschrift: true });
    espocrm.userUpdate(ENTITY, id, { ...billing('Am Markt 3', '20095', 'Hamburg', 'DE'), ...shipping('Elbchaussee 1', '22763', 'Hamburg') });
    const [run] = await sync(id, 'update');
    assert.deepEqual(
      run?.adressen?.actions.map((a) => [a.address, a.action]),
      [
        [`${id}:billing`, 'matchedUnmarked'],
        [`${id}:shipping`, 'create'],
      ],
    );
    const list = advoware.listAdressen(betNr);
    assert.equal(list.length, 2);
    const stillOwn = list.find((a) => a.bemerkung === null);
    assert.deepEqual(stillOwn && { ...stillOwn, reihenfolgeIndex: 0 }, { ...own, reihenfolgeIndex: 0 });
    assert.equal(byMarker(betNr, id, 'shipping').standardAnschrift, false, 'Advoware has a standard address already');
  });

  it('Advoware answering 400 on the address PUT fails the attempt and writes the status; the hash stays for the next run', async () => {
    const { id, betNr } = await linkedPerson(billing('Hauptstraße 1', '10115', 'Berlin'));
    const hashBefore = entity(id).adressenEspoHash;
    espocrm.userUpdate(ENTITY, id, { billingAddressStreet: 'Hauptstraße 5' });
    advoware.faults.add({ method: 'PUT', path: 'Adressen', status: 400, body: { Message: 'Adresse gesperrt' } });
    const [failed] = await sync(id, 'update');
    assert.equal(failed?.decision, 'permanently_failed', 'a 400 is non-retryable');
    assert.match(String(entity(id).syncErrorMessage), /AdvowareBadRequest/);
    assert.equal(entity(id).syncStatus, 'permanently_failed');
    assert.equal(entity(id).adressenEspoHash, hashBefore, 'the change is not recorded as synced');
    assert.equal(byMarker(betNr, id, 'billing').strasse, 'Hauptstraße 1');

    advoware.faults.clear();
    const [again] = await sync(id, 'update');
    assert.equal(again?.decision, 'no_change');
    assert.equal(byMarker(betNr, id, 'billing').strasse, 'Hauptstraße 5');
    assert.equal(entity(id).syncStatus, 'clean');
  });
});
