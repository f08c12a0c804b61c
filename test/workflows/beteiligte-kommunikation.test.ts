/**
 * The Kommunikation sync (SPEC §5.3) end to end: the Beteiligte workflow on the real Temporal server against the
 * in-process simulators. Each test checks both sides' end state and the API calls the run made. The planner's
 * own cases are covered by test/unit/kommunikation-plan.test.ts; these check that the workflow performs them.
 *
 * Assertions about Advoware read the simulator's true data (real kommKz); markers and the kommunikationHash are
 * recomputed here independently (Buffer base64, node:crypto MD5), not with the production helpers.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { EspoEmailAddress, EspoPhoneNumber } from '../../contracts/espocrm';
import type { Kommunikation } from '../../simulators/advoware/types';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult, type BeteiligteSyncWorkflow, type RunOutcome } from '../../contracts/beteiligte';
import { useBeteiligteHarness } from '../support/beteiligte-harness';

const ENTITY = 'CBeteiligte';

/** Route keys as the simulators count them (a faulted call is keyed by its path, which these match too). */
const KOMM_POST = /^POST .*\/Kommunikationen$/;
const KOMM_PUT = /^PUT .*\/Kommunikationen\/[^/]+$/;
const ANY_DELETE = /^DELETE /;
const ESPO_PUT = /^PUT /;

/** The marker SPEC §5.3 prescribes, built independently of domain/kommunikation/marker.ts. */
const marker = (value: string, kommKz: number, userText = ''): string =>
  `[ESPOCRM:${Buffer.from(value, 'utf8').toString('base64')}:${kommKz}]${userText ? ` ${userText}` : ''}`;
const slot = (kommKz: number): string => `[ESPOCRM-SLOT:${kommKz}]`;

/** SPEC §5.3: first 16 hex of MD5 over the sorted, concatenated rowIds of the non-empty entries. */
function rowIdHash(entries: readonly Kommunikation[]): string {
  const rowIds = entries
    .filter((e) => e.tlf.trim() !== '')
    .map((e) => e.rowId)
    .sort();
  return createHash('md5').update(rowIds.join('')).digest('hex').slice(0, 16);
}

const mail = (emailAddress: string, primary = false): EspoEmailAddress => ({ emailAddress, primary });
const phone = (phoneNumber: string, type: string, primary = false): EspoPhoneNumber => ({ phoneNumber, type, primary });

/** An Advoware entry as the tests compare it (the id and rowId left out). */
interface EntryView {
  kommKz: number;
  tlf: string;
  bemerkung: string | null;
  online: boolean;
}

const byTlf = <T extends { tlf: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.tlf < b.tlf ? -1 : a.tlf > b.tlf ? 1 : 0));

describe('Beteiligte sync workflow: Kommunikation (phone, e-mail) EspoCRM ⇄ Advoware on the real Temporal server', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm, entity, sync, syncCounted } = harness;

  /** A person created in EspoCRM with these e-mail addresses and phone numbers and synced once (a create). */
  async function linkedPerson(
    contacts: { emails?: EspoEmailAddress[]; phones?: EspoPhoneNumber[]; assignedUserId?: string } = {},
  ): Promise<{ id: string; betNr: number }> {
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Erika',
      lastName: 'Mustermann',
      salutationName: 'Ms.',
      dateOfBirth: '1980-02-03',
      ...(contacts.emails ? { emailAddressData: contacts.emails } : {}),
      ...(contacts.phones ? { phoneNumberData: contacts.phones } : {}),
      ...(contacts.assignedUserId ? { assignedUserId: contacts.assignedUserId } : {}),
    });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    assert.equal(entity(created.id).syncStatus, 'clean');
    return { id: created.id, betNr: entity(created.id).betnr as number };
  }

  /** Advoware's entries (true kommKz), sorted by value. */
  function entries(betNr: number): EntryView[] {
    return byTlf(advoware.listKommunikationen(betNr)).map(({ kommKz, tlf, bemerkung, online }) => ({ kommKz, tlf, bemerkung, online }));
  }

  /** The one Advoware entry holding `tlf`. */
  function entryOf(betNr: number, tlf: string): Kommunikation {
    const found = advoware.listKommunikationen(betNr).filter((e) => e.tlf === tlf);
    assert.equal(found.length, 1, `exactly one Advoware entry holds ${tlf}: ${JSON.stringify(advoware.listKommunikationen(betNr))}`);
    return found[0] as Kommunikation;
  }

  /** EspoCRM's phone numbers (number, type, primary), sorted by number. */
  function phones(id: string): { phoneNumber: string; type: string | undefined; primary: boolean }[] {
    return [...(entity(id).phoneNumberData ?? [])]
      .map((p) => ({ phoneNumber: p.phoneNumber, type: p.type, primary: p.primary === true }))
      .sort((a, b) => (a.phoneNumber < b.phoneNumber ? -1 : a.phoneNumber > b.phoneNumber ? 1 : 0));
  }

  function emails(id: string): { emailAddress: string; primary: boolean }[] {
    return [...(entity(id).emailAddressData ?? [])]
      .map((e) => ({ emailAddress: e.emailAddress, primary: e.primary === true }))
      .sort((a, b) => (a.emailAddress < b.emailAddress ? -1 : a.emailAddress > b.emailAddress ? 1 : 0));
  }

  /** `case:action` of each line of the run's Kommunikation summary, sorted. */
  function cases(run: RunOutcome | undefined): string[] {
    assert.ok(run?.kommunikation, `the run has a Kommunikation outcome: ${JSON.stringify(run)}`);
    return run.kommunikation.actions.map((a) => `${a.case}:${a.action}`).sort();
  }

  /** Clean, with both Kommunikation hashes matching what the two sides hold now. */
  function assertSettled(id: string, betNr: number): void {
    const after = entity(id);
    assert.equal(after.syncStatus, 'clean');
    assert.equal(after.kommunikationHash, rowIdHash(advoware.listKommunikationen(betNr)), 'kommunikationHash = MD5 of the current rowIds');
    assert.match(String(after.kommunikationEspoHash), /^[0-9a-f]{16}$/, 'a real EspoCRM hash is stored, not a pending one');
  }

  /** The next run finds nothing to do: EspoCRM GET + Advoware GET, no write. */
  async function assertNothingLeft(id: string): Promise<void> {
    const next = await syncCounted(id);
    assert.deepEqual(cases(next.run), [], 'no Kommunikation action left');
    assert.equal(next.writes, 0, 'the next run writes nothing');
    assert.equal(next.calls, 2);
  }

  /** Holds the run's Advoware GET and makes a user's EspoCRM edit land meanwhile, after the run read EspoCRM. */
  async function syncWithEditDuringRead(id: string, edit: () => void): Promise<RunOutcome[]> {
    advoware.faults.add({ method: 'GET', path: 'Beteiligte/\\d+$', latencyMs: 1_500, times: 1 });
    await harness.requester().requestBeteiligteSync(id, 'update');
    await sleep(700);
    edit();
    const result: BeteiligteSyncResult = await harness
      .hub()
      .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
    return result.runs;
  }

  it('1. a new Beteiligte with an e-mail and two phones arrives in Advoware with all three, marked and typed', async () => {
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Erika',
      lastName: 'Mustermann',
      emailAddressData: [mail('erika@example.de', true)],
      phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')],
    });
    const id = created.id;
    const { run } = await syncCounted(id);
    assert.equal(run.decision, 'create');
    const betNr = entity(id).betnr as number;
    assert.ok(betNr);

    assert.deepEqual(
      entries(betNr),
      byTlf([
        { kommKz: 4, tlf: 'erika@example.de', bemerkung: marker('erika@example.de', 4), online: true },
        { kommKz: 1, tlf: '+49 30 1234567', bemerkung: marker('+49 30 1234567', 1), online: true },
        { kommKz: 3, tlf: '0170 1234567', bemerkung: marker('0170 1234567', 3), online: false },
      ]),
    );
    assert.deepEqual(cases(run), ['Var1:createEntry', 'Var1:createEntry', 'Var1:createEntry']);
    assert.equal(advoware.calls.count(KOMM_POST), 3);
    assert.equal(advoware.calls.count(KOMM_PUT), 0);
    assert.equal(espocrm.calls.count(ESPO_PUT), 1, 'status, betnr and both hashes in one EspoCRM write');

    assertSettled(id, betNr);
    assert.equal(entity(id).syncErrorMessage, '');
    // EspoCRM's own arrays are untouched.
    assert.deepEqual(emails(id), [{ emailAddress: 'erika@example.de', primary: true }]);
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '0170 1234567', type: 'Mobile', primary: false },
    ]);
    // The sandbox complaint: the Beteiligte arrived in Advoware without phone or e-mail. Through the API it has them.
    const viaApi = await harness.advowareClient().getBeteiligte(betNr);
    assert.deepEqual((viaApi.kommunikation ?? []).map((k) => k.tlf).sort(), ['+49 30 1234567', '0170 1234567', 'erika@example.de']);
  });

  it('2. a second run after the create makes exactly 2 calls (EspoCRM GET, Advoware GET) and writes nothing', async () => {
    const { id, betNr } = await linkedPerson({
      emails: [mail('erika@example.de', true)],
      phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')],
    });
    const before = entries(betNr);
    const { run, calls, writes } = await syncCounted(id);
    assert.equal(run.decision, 'no_change');
    assert.equal(calls, 2);
    assert.equal(writes, 0);
    assert.equal(espocrm.calls.count(/^GET /), 1);
    assert.equal(advoware.calls.count(/^GET /), 1);
    assert.deepEqual(cases(run), []);
    assert.equal(run.kommunikation?.espoWins, false);
    assert.deepEqual(entries(betNr), before);
  });

  it('3. Var1: a phone number added in EspoCRM reaches Advoware within 4 calls (2 GETs, 1 POST, 1 EspoCRM PUT)', async () => {
    const { id, betNr } = await linkedPerson({ emails: [mail('erika@example.de', true)], phones: [phone('+49 30 1234567', 'Office', true)] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile')] });
    assert.equal(entity(id).syncStatus, 'dirty');

    const { run, calls } = await syncCounted(id);
    assert.equal(run.decision, 'no_change', 'Stammdaten did not change');
    assert.ok(calls <= 4, `Var1 took ${calls} calls`);
    assert.equal(espocrm.calls.count(/^GET /), 1);
    assert.equal(advoware.calls.count(/^GET /), 1);
    assert.equal(advoware.calls.count(KOMM_POST), 1);
    assert.equal(advoware.calls.count(KOMM_PUT), 0);
    assert.equal(espocrm.calls.count(ESPO_PUT), 1);
    assert.deepEqual(cases(run), ['Var1:createEntry']);
    assert.equal(run.kommunikation?.actions[0]?.kommKz, 3);
    assert.equal(run.kommunikation?.actions[0]?.value, '********4321', 'the summary masks the value');

    const added = entryOf(betNr, '0171 7654321');
    assert.equal(added.kommKz, 3);
    assert.equal(added.bemerkung, marker('0171 7654321', 3));
    assert.equal(added.online, false);
    assert.equal(advoware.listKommunikationen(betNr).length, 3);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('4. Var1 into a slot: a new Mobile number fills the empty slot of kommKz 3 with a PUT, no POST', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    const free = advoware.addKommunikation(betNr, { kommKz: 3, tlf: '', bemerkung: slot(3), online: false });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile')] });

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var1:reuseSlot']);
    assert.equal(run.kommunikation?.actions[0]?.entryId, free.id);
    assert.equal(advoware.calls.count(KOMM_POST), 0, 'no new entry');
    assert.deepEqual(
      advoware.calls.filter(KOMM_PUT).map((c) => c.path.split('/').pop()),
      [String(free.id)],
      'one PUT, on the slot',
    );

    const filled = advoware.listKommunikationen(betNr).find((e) => e.id === free.id);
    assert.deepEqual(filled && { kommKz: filled.kommKz, tlf: filled.tlf, bemerkung: filled.bemerkung, online: filled.online }, {
      kommKz: 3,
      tlf: '0171 7654321',
      bemerkung: marker('0171 7654321', 3),
      online: false,
    });
    assert.equal(advoware.listKommunikationen(betNr).length, 2, 'the office entry and the filled slot');
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('5. Var2: a number removed in EspoCRM turns its Advoware entry into an empty slot; nothing is DELETEd', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    const mobile = entryOf(betNr, '0170 1234567');
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true)] });

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var2:makeSlot']);
    assert.equal(advoware.calls.count(ANY_DELETE), 0, 'DELETE answers 403: never tried');
    assert.equal(advoware.calls.count(KOMM_POST), 0);
    assert.equal(advoware.calls.count(KOMM_PUT), 1);

    const emptied = advoware.listKommunikationen(betNr).find((e) => e.id === mobile.id);
    assert.deepEqual(emptied && { kommKz: emptied.kommKz, tlf: emptied.tlf, bemerkung: emptied.bemerkung, online: emptied.online }, {
      kommKz: 3,
      tlf: '',
      bemerkung: slot(3),
      online: false,
    });
    assert.equal(entryOf(betNr, '+49 30 1234567').bemerkung, marker('+49 30 1234567', 1), 'the other entry untouched');
    assert.deepEqual(phones(id), [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }]);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it("6. Var2+Var1 of the same kommKz: an Office number replaced in one edit is one PUT of the same entry, the user's remark kept", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    const office = entryOf(betNr, '+49 30 1234567');
    // A user's remark behind the marker, typed in Advoware; one sync takes that change (a new rowId) in.
    advoware.editKommunikation(betNr, office.id, { bemerkung: `${marker('+49 30 1234567', 1)} Zentrale` });
    await sync(id);
    assert.equal(entity(id).kommunikationHash, rowIdHash(advoware.listKommunikationen(betNr)));

    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 7654321', 'Office', true)] });
    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var2+Var1:reuseSlot']);
    assert.equal(run.kommunikation?.actions[0]?.entryId, office.id);
    assert.equal(advoware.calls.count(KOMM_POST), 0);
    assert.deepEqual(
      advoware.calls.filter(KOMM_PUT).map((c) => c.path.split('/').pop()),
      [String(office.id)],
    );

    assert.deepEqual(entries(betNr), [{ kommKz: 1, tlf: '+49 30 7654321', bemerkung: marker('+49 30 7654321', 1, 'Zentrale'), online: true }]);
    assert.equal(entryOf(betNr, '+49 30 7654321').id, office.id);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('7. Var3: a value cleared (or deleted) only in Advoware is removed from EspoCRM, Advoware is not written', async () => {
    const { id, betNr } = await linkedPerson({
      emails: [mail('erika@example.de', true)],
      phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')],
    });
    advoware.editKommunikation(betNr, entryOf(betNr, '0170 1234567').id, { tlf: '' });
    advoware.deleteKommunikation(betNr, entryOf(betNr, 'erika@example.de').id);

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var3:espo:remove', 'Var3:espo:remove']);
    assert.equal(advoware.calls.count(/^(POST|PUT) /), 0, 'nothing written to Advoware');
    assert.equal(espocrm.calls.count(ESPO_PUT), 1, "EspoCRM's arrays go with the run's one final write");

    assert.deepEqual(phones(id), [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }]);
    assert.deepEqual(emails(id), []);
    assert.equal(espocrm.getRecord(ENTITY, id)?.emailAddress ?? null, null, 'the primary e-mail mirror follows');
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('8. Var4: entries added in Advoware reach EspoCRM with the right type, and get their marker', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0171 2345678', online: false });
    advoware.addKommunikation(betNr, { kommKz: 8, tlf: 'erika.privat@example.de', bemerkung: 'nur abends', online: true });

    const { run } = await syncCounted(id);
    assert.equal(run.decision, 'no_change');
    assert.deepEqual(cases(run), ['Var4:espo:add', 'Var4:espo:add', 'Var4:writeMarker', 'Var4:writeMarker']);
    assert.equal(advoware.calls.count(KOMM_POST), 0);
    assert.equal(advoware.calls.count(KOMM_PUT), 2);

    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '0171 2345678', type: 'Mobile', primary: false },
    ]);
    assert.deepEqual(emails(id), [{ emailAddress: 'erika.privat@example.de', primary: true }], 'the only e-mail, online in Advoware: primary');

    assert.equal(entryOf(betNr, '0171 2345678').bemerkung, marker('0171 2345678', 3));
    const privat = entryOf(betNr, 'erika.privat@example.de');
    // GET hides kommKz 8; MailGesch (4) and MailPrivat (8) are both EspoCRM e-mail, either code is right.
    const b64 = Buffer.from('erika.privat@example.de').toString('base64');
    assert.match(String(privat.bemerkung), new RegExp(`^\\[ESPOCRM:${b64.replace(/[+/=]/g, '\\$&')}:(4|8)\\] nur abends$`));
    assert.equal(privat.kommKz, 8, 'kommKz is read-only: the entry keeps its code');
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('9. Var5: the primary flag moved in EspoCRM moves Advoware `online` with it', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', false), phone('0170 1234567', 'Mobile', true)] });

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var5:updateEntry', 'Var5:updateEntry']);
    assert.equal(advoware.calls.count(KOMM_POST), 0);
    assert.equal(advoware.calls.count(KOMM_PUT), 2);
    assert.deepEqual(
      entries(betNr),
      byTlf([
        { kommKz: 1, tlf: '+49 30 1234567', bemerkung: marker('+49 30 1234567', 1), online: false },
        { kommKz: 3, tlf: '0170 1234567', bemerkung: marker('0170 1234567', 3), online: true },
      ]),
    );
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it("10. Var6: a value changed in Advoware replaces EspoCRM's, the marker follows, the user's remark stays", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    const office = entryOf(betNr, '+49 30 1234567');
    advoware.editKommunikation(betNr, office.id, { bemerkung: `${marker('+49 30 1234567', 1)} Zentrale` });
    await sync(id);

    advoware.editKommunikation(betNr, office.id, { tlf: '+49 30 9876543' });
    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var6:espo:replace', 'Var6:writeMarker']);
    assert.equal(advoware.calls.count(KOMM_POST), 0);
    assert.equal(advoware.calls.count(KOMM_PUT), 1);

    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 9876543', type: 'Office', primary: true },
      { phoneNumber: '0170 1234567', type: 'Mobile', primary: false },
    ]);
    const changed = entryOf(betNr, '+49 30 9876543');
    assert.equal(changed.id, office.id);
    assert.equal(changed.bemerkung, marker('+49 30 9876543', 1, 'Zentrale'));
    assert.equal(changed.online, true);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it("11. both sides' Kommunikation changed: EspoCRM wins, Var6 reverted, Var4 emptied, EspoCRM's own change goes through", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    const office = entryOf(betNr, '+49 30 1234567');
    advoware.editKommunikation(betNr, office.id, { tlf: '+49 30 5555555' });
    const foreign = advoware.addKommunikation(betNr, { kommKz: 1, tlf: '040 1234567', online: false });
    espocrm.userUpdate(ENTITY, id, { emailAddressData: [mail('neu@example.de', true)] });

    const { run } = await syncCounted(id);
    assert.equal(run.kommunikation?.espoWins, true);
    assert.match(String(run.kommunikation?.reason), /EspoCRM wins/);
    assert.deepEqual(cases(run), ['Var1:createEntry', 'Var4:makeSlot', 'Var6:updateEntry']);
    assert.equal(advoware.calls.count(KOMM_POST), 1);
    assert.equal(advoware.calls.count(KOMM_PUT), 2);

    assert.deepEqual(
      entries(betNr),
      byTlf([
        { kommKz: 1, tlf: '+49 30 1234567', bemerkung: marker('+49 30 1234567', 1), online: true },
        { kommKz: 3, tlf: '0170 1234567', bemerkung: marker('0170 1234567', 3), online: false },
        { kommKz: 1, tlf: '', bemerkung: slot(1), online: false },
        { kommKz: 4, tlf: 'neu@example.de', bemerkung: marker('neu@example.de', 4), online: true },
      ]),
    );
    assert.equal(entryOf(betNr, '+49 30 1234567').id, office.id, 'reverted in place');
    assert.equal(advoware.listKommunikationen(betNr).find((e) => e.id === foreign.id)?.tlf, '', 'the Advoware-only entry is the slot');
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '0170 1234567', type: 'Mobile', primary: false },
    ]);
    assert.deepEqual(emails(id), [{ emailAddress: 'neu@example.de', primary: true }]);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it("12. a Stammdaten conflict forces EspoCRM-wins on Kommunikation: Advoware's number change is reverted, the user notified", async () => {
    const { id, betNr } = await linkedPerson({
      phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')],
      assignedUserId: 'user-k',
    });
    const mobile = entryOf(betNr, '0170 1234567');
    espocrm.userUpdate(ENTITY, id, { lastName: 'Musterfrau' });
    advoware.editBeteiligte(betNr, { name: 'Mustermann-Advoware' });
    // Only Advoware changed a number: on its own a Var6 that EspoCRM would take over.
    advoware.editKommunikation(betNr, mobile.id, { tlf: '0170 9999999' });

    const { run } = await syncCounted(id);
    assert.equal(run.decision, 'conflict');
    assert.equal(run.kommunikation?.espoWins, true);
    assert.deepEqual(cases(run), ['Var6:updateEntry']);
    assert.equal(advoware.getBeteiligte(betNr).name, 'Musterfrau');
    const reverted = advoware.listKommunikationen(betNr).find((e) => e.id === mobile.id);
    assert.equal(reverted?.tlf, '0170 1234567', "Advoware's change is reverted");
    assert.equal(reverted?.bemerkung, marker('0170 1234567', 3));
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '0170 1234567', type: 'Mobile', primary: false },
    ]);
    assert.equal(entity(id).lastName, 'Musterfrau');
    const notes = espocrm.notifications('user-k');
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.message), /conflict/i);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('13. initial sync of an existing pair: equal values only get markers, one POST for the EspoCRM-only value, no duplicates', async () => {
    const existing = advoware.createBeteiligte({ name: 'Altbestand', vorname: 'Karl' });
    const betNr = existing.betNr;
    advoware.addKommunikation(betNr, { kommKz: 4, tlf: 'karl@altbestand.de', online: true });
    advoware.addKommunikation(betNr, { kommKz: 1, tlf: '030 1234567', bemerkung: 'Sekretariat', online: true });
    advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0170 1234567', online: false });
    advoware.addKommunikation(betNr, { kommKz: 2, tlf: '030 1234568', online: false });
    advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0171 2345678', online: false });
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Karl',
      lastName: 'Altbestand',
      betnr: betNr,
      syncStatus: 'dirty',
      emailAddressData: [mail('Karl@Altbestand.de', true)],
      phoneNumberData: [
        phone('+49 30 1234567', 'Office', true),
        phone('+49 170 1234567', 'Mobile'),
        phone('+49 (30) 1234568', 'Fax'),
        phone('+49 40 5556667', 'Home'),
      ],
    });
    const id = created.id;

    const { run } = await syncCounted(id);
    assert.equal(run.decision, 'initial_sync');
    assert.match(String(run.kommunikation?.reason), /initial sync/);
    assert.deepEqual(cases(run), [
      'Var1:createEntry',
      'Var4:espo:add',
      'Var4:writeMarker',
      'initialMatch:writeMarker',
      'initialMatch:writeMarker',
      'initialMatch:writeMarker',
      'initialMatch:writeMarker',
    ]);
    assert.equal(advoware.calls.count(KOMM_POST), 1, 'one POST, for the EspoCRM-only value');
    assert.equal(advoware.calls.count(KOMM_PUT), 5, 'marker PUTs: 4 matches and the Advoware-only value');

    assert.deepEqual(
      entries(betNr),
      byTlf([
        { kommKz: 4, tlf: 'karl@altbestand.de', bemerkung: marker('karl@altbestand.de', 4), online: true },
        { kommKz: 1, tlf: '030 1234567', bemerkung: marker('030 1234567', 1, 'Sekretariat'), online: true },
        { kommKz: 3, tlf: '0170 1234567', bemerkung: marker('0170 1234567', 3), online: false },
        { kommKz: 2, tlf: '030 1234568', bemerkung: marker('030 1234568', 2), online: false },
        { kommKz: 3, tlf: '0171 2345678', bemerkung: marker('0171 2345678', 3), online: false },
        { kommKz: 6, tlf: '+49 40 5556667', bemerkung: marker('+49 40 5556667', 6), online: false },
      ]),
      'the values stay as typed in Advoware; no duplicates',
    );
    assert.deepEqual(emails(id), [{ emailAddress: 'Karl@Altbestand.de', primary: true }]);
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 (30) 1234568', type: 'Fax', primary: false },
      { phoneNumber: '+49 170 1234567', type: 'Mobile', primary: false },
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '+49 40 5556667', type: 'Home', primary: false },
      { phoneNumber: '0171 2345678', type: 'Mobile', primary: false },
    ]);
    assert.ok(entity(id).stammdatenHash);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('14. kommKz 0 on GET: an unmarked FaxPrivat entry matches the EspoCRM Fax, an Advoware mobile comes in as Mobile', async () => {
    const existing = advoware.createBeteiligte({ name: 'Faxhaus', vorname: 'Fritz' });
    const betNr = existing.betNr;
    const fax = advoware.addKommunikation(betNr, { kommKz: 7, tlf: '030 9998887', online: true });
    const mobile = advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0160 1112223', online: false });
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Fritz',
      lastName: 'Faxhaus',
      betnr: betNr,
      syncStatus: 'dirty',
      phoneNumberData: [phone('+49 30 9998887', 'Fax', true)],
    });
    const id = created.id;
    // The API really hides the codes: this is all the hub gets to see.
    assert.deepEqual(
      ((await harness.advowareClient().getBeteiligte(betNr)).kommunikation ?? []).map((k) => k.kommKz),
      [0, 0],
    );

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var4:espo:add', 'Var4:writeMarker', 'initialMatch:writeMarker']);
    assert.equal(advoware.calls.count(KOMM_POST), 0, 'the fax is matched, not created again');

    const faxAfter = advoware.listKommunikationen(betNr).find((e) => e.id === fax.id);
    assert.equal(faxAfter?.tlf, '030 9998887');
    assert.equal(faxAfter?.online, true);
    const faxB64 = Buffer.from('030 9998887').toString('base64');
    // The marker's kommKz comes from EspoCRM's type (FaxGesch 2) or is the true FaxPrivat 7: both are EspoCRM Fax.
    assert.match(String(faxAfter?.bemerkung), new RegExp(`^\\[ESPOCRM:${faxB64.replace(/[+/=]/g, '\\$&')}:(2|7)\\]$`));
    assert.equal(advoware.listKommunikationen(betNr).find((e) => e.id === mobile.id)?.bemerkung, marker('0160 1112223', 3));
    assert.equal(advoware.listKommunikationen(betNr).length, 2);
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 9998887', type: 'Fax', primary: true },
      { phoneNumber: '0160 1112223', type: 'Mobile', primary: false },
    ]);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('15. Advoware answering 400 on POST Kommunikationen fails the attempt permanently; once fixed, a new sync ends clean', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile')] });
    advoware.faults.add({ method: 'POST', path: 'Kommunikationen', status: 400, body: { Message: 'Kommunikation ungültig' } });
    advoware.calls.reset();

    const [failed] = await sync(id, 'update');
    assert.equal(failed?.decision, 'permanently_failed', 'a 400 is non-retryable: permanently_failed at once');
    assert.match(String(failed?.error), /AdvowareBadRequest/);
    const afterFailure = entity(id);
    assert.equal(afterFailure.syncStatus, 'permanently_failed');
    assert.match(String(afterFailure.syncErrorMessage), /AdvowareBadRequest/);
    assert.ok(afterFailure.syncAutoResetAt);
    assert.equal(advoware.calls.count(KOMM_POST), 1, 'a 400 is not retried');
    assert.equal(espocrm.notifications('admin-user').length, 1);
    assert.match(String(espocrm.notifications('admin-user')[0]?.message), /failed permanently/);
    assert.equal(advoware.listKommunikationen(betNr).length, 1, 'nothing half-written');

    advoware.faults.clear();
    const runs = await sync(id, 'update');
    assert.deepEqual(
      runs.map((r) => r.decision),
      ['no_change'],
    );
    assert.deepEqual(cases(runs[0]), ['Var1:createEntry']);
    const added = entryOf(betNr, '0171 7654321');
    assert.equal(added.kommKz, 3);
    assert.equal(added.bemerkung, marker('0171 7654321', 3));
    assertSettled(id, betNr);
    assert.equal(entity(id).syncErrorMessage, '');
    assert.equal(entity(id).syncRetryCount, 0);
    await assertNothingLeft(id);
  });

  it('16. an unusable EspoCRM value is skipped and reported (masked) once; the valid one is synced and the status is clean', async () => {
    const { id, betNr } = await linkedPerson({ emails: [mail('erika@example.de', true)] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('nicht vorhanden', 'Office', true), phone('0170 1234567', 'Mobile')] });

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var1:createEntry']);
    assert.deepEqual(run.kommunikation?.skipped, [{ side: 'espocrm', reason: 'invalidPhone', value: '***********nden' }]);
    assert.equal(entryOf(betNr, '0170 1234567').bemerkung, marker('0170 1234567', 3));
    assert.equal(advoware.listKommunikationen(betNr).length, 2, 'the e-mail and the valid number, nothing for the unusable value');

    const after = entity(id);
    assert.equal(after.syncStatus, 'clean');
    const message = String(after.syncErrorMessage);
    assert.match(message, /\*{11}nden in EspoCRM: not a phone number/);
    assert.ok(!message.includes('nicht vorhanden'), 'the value is masked');
    const notes = espocrm.notifications('admin-user');
    assert.equal(notes.length, 1);
    assert.ok(String(notes[0]?.message).includes('***********nden'), String(notes[0]?.message));
    assertSettled(id, betNr);
    assert.deepEqual(
      phones(id).map((p) => p.phoneNumber),
      ['0170 1234567', 'nicht vorhanden'],
      'EspoCRM keeps the value for the user to fix',
    );

    // Reported once: the next run neither writes nor notifies again.
    await assertNothingLeft(id);
    assert.equal(espocrm.notifications('admin-user').length, 1);
  });

  it('17. a number added while the run writes to Advoware is not marked clean: the workflow runs again and syncs it', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile')] });
    // Hold the POST, so the edit below lands between the run's read and its final write; no webhook reaches the harness.hub().
    advoware.faults.add({ method: 'POST', path: 'Kommunikationen', latencyMs: 1_500, times: 1 });
    await harness.requester().requestBeteiligteSync(id, 'update');
    await sleep(700);
    espocrm.userUpdate(ENTITY, id, {
      phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile'), phone('0172 3456789', 'Mobile')],
    });
    const result: BeteiligteSyncResult = await harness
      .hub()
      .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
    assert.deepEqual(
      result.runs.map((r) => [r.decision, r.editedDuringRun ?? false, cases(r)]),
      [
        ['no_change', true, ['Var1:createEntry']],
        ['no_change', false, ['Var1:createEntry']],
      ],
    );
    assert.equal(entryOf(betNr, '0171 7654321').bemerkung, marker('0171 7654321', 3));
    assert.equal(entryOf(betNr, '0172 3456789').bemerkung, marker('0172 3456789', 3));
    assert.equal(advoware.listKommunikationen(betNr).length, 3);
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });
  it("18. a number added in EspoCRM while a Var4 run reads Advoware is not overwritten by the run's EspoCRM write", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0171 2345678', online: false });
    const runs = await syncWithEditDuringRead(id, () => {
      espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0172 3456789', 'Mobile')] });
    });
    const final = await sync(id);
    assert.ok(
      phones(id).some((p) => p.phoneNumber === '0172 3456789'),
      `the user's number survives in EspoCRM; runs ${JSON.stringify([...runs, ...final].map((r) => [r.decision, r.editedDuringRun, cases(r)]))}, phones ${JSON.stringify(phones(id))}`,
    );
    assert.equal(entryOf(betNr, '0172 3456789').bemerkung, marker('0172 3456789', 3), 'and reaches Advoware');
    // The run that wrote nothing hands over to one that sees both sides changed since the last sync: EspoCRM wins
    // (SPEC §5.3), so Advoware's new number is emptied, and the user's new mobile number takes its entry (one PUT).
    assert.equal(runs[0]?.editedDuringRun, true, 'the first run noticed the edit and wrote nothing to EspoCRM');
    assert.deepEqual(cases(runs[0]), []);
    assert.ok(!phones(id).some((p) => p.phoneNumber === '0171 2345678'));
    assert.deepEqual(cases(runs[1]), ['Var2+Var1:reuseSlot'], JSON.stringify(runs[1]?.kommunikation));
    assertSettled(id, betNr);
  });

  it("19. a number added in EspoCRM while a Var3 run reads Advoware is not overwritten by the run's EspoCRM write", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    advoware.editKommunikation(betNr, entryOf(betNr, '0170 1234567').id, { tlf: '' });
    const runs = await syncWithEditDuringRead(id, () => {
      espocrm.userUpdate(ENTITY, id, {
        phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile'), phone('0172 3456789', 'Mobile')],
      });
    });
    const final = await sync(id);
    assert.ok(
      phones(id).some((p) => p.phoneNumber === '0172 3456789'),
      `the user's number survives in EspoCRM; runs ${JSON.stringify([...runs, ...final].map((r) => [r.decision, r.editedDuringRun, cases(r)]))}, phones ${JSON.stringify(phones(id))}`,
    );
    assert.equal(entryOf(betNr, '0172 3456789').bemerkung, marker('0172 3456789', 3), 'and reaches Advoware');
    assertSettled(id, betNr);
  });
  it('20. a number whose type changes in EspoCRM moves to a new entry of the new kommKz (kommKz is read-only), the old one becomes a slot', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Mobile')] });
    const old = entryOf(betNr, '0170 1234567');
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0170 1234567', 'Home')] });

    const { run } = await syncCounted(id);
    assert.deepEqual(cases(run), ['Var1:createEntry', 'Var2:makeSlot']);
    assert.equal(advoware.calls.count(ANY_DELETE), 0);
    const oldAfter = advoware.listKommunikationen(betNr).find((e) => e.id === old.id);
    assert.deepEqual(oldAfter && { kommKz: oldAfter.kommKz, tlf: oldAfter.tlf, bemerkung: oldAfter.bemerkung }, {
      kommKz: 3,
      tlf: '',
      bemerkung: slot(3),
    });
    const moved = entryOf(betNr, '0170 1234567');
    assert.notEqual(moved.id, old.id);
    assert.equal(moved.kommKz, 6, 'TelPrivat, the code of EspoCRM Home');
    assert.equal(moved.bemerkung, marker('0170 1234567', 6));
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });

  it('21. a create whose second Kommunikation POST fails keeps betnr: the next sync creates no second Beteiligte and no duplicate entry', async () => {
    const created = espocrm.userCreate(ENTITY, {
      firstName: 'Erika',
      lastName: 'Mustermann',
      emailAddressData: [mail('erika@example.de', true)],
      phoneNumberData: [phone('+49 30 1234567', 'Office', true)],
    });
    const id = created.id;
    // The first POST goes through (a latency-only rule), the second one answers 400.
    advoware.faults.add({ method: 'POST', path: 'Kommunikationen', latencyMs: 1, times: 1 });
    advoware.faults.add({ method: 'POST', path: 'Kommunikationen', status: 400, body: { Message: 'Kommunikation ungültig' }, times: 1 });
    const [failed] = await sync(id);
    assert.equal(failed?.decision, 'permanently_failed');
    const betNr = entity(id).betnr as number;
    assert.ok(betNr, 'the Beteiligte created in Advoware is recorded despite the failure');
    assert.equal(advoware.listKommunikationen(betNr).length, 1);

    const runs = await sync(id, 'update');
    assert.deepEqual(
      runs.map((r) => r.decision),
      ['initial_sync'],
    );
    assert.equal(advoware.listBeteiligte().length, 1, 'no second Beteiligte');
    assert.deepEqual(
      entries(betNr),
      byTlf([
        { kommKz: 4, tlf: 'erika@example.de', bemerkung: marker('erika@example.de', 4), online: true },
        { kommKz: 1, tlf: '+49 30 1234567', bemerkung: marker('+49 30 1234567', 1), online: true },
      ]),
    );
    assertSettled(id, betNr);
    assert.equal(entity(id).syncErrorMessage, '');
    await assertNothingLeft(id);
  });

  it("22. a run stopped between EspoCRM's write and Advoware's marker (Var4, PUT 400) heals in the next run without duplicates", async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    const foreign = advoware.addKommunikation(betNr, { kommKz: 3, tlf: '0171 2345678', online: false });
    advoware.faults.add({ method: 'PUT', path: 'Kommunikationen', status: 400, body: { Message: 'gesperrt' }, times: 1 });
    const [failed] = await sync(id);
    assert.equal(failed?.decision, 'permanently_failed');
    assert.ok(
      phones(id).some((p) => p.phoneNumber === '0171 2345678'),
      'EspoCRM took the value before Advoware failed',
    );
    assert.match(String(entity(id).kommunikationEspoHash), /^pending:/);
    assert.equal(advoware.listKommunikationen(betNr).find((e) => e.id === foreign.id)?.bemerkung, null, 'no marker yet');

    const runs = await sync(id, 'update');
    assert.deepEqual(
      runs.map((r) => [r.decision, cases(r)]),
      [['no_change', ['match:writeMarker']]],
    );
    assert.deepEqual(phones(id), [
      { phoneNumber: '+49 30 1234567', type: 'Office', primary: true },
      { phoneNumber: '0171 2345678', type: 'Mobile', primary: false },
    ]);
    assert.equal(advoware.listKommunikationen(betNr).length, 2);
    assert.equal(entryOf(betNr, '0171 2345678').bemerkung, marker('0171 2345678', 3));
    assertSettled(id, betNr);
    await assertNothingLeft(id);
  });
  it('23. a Kommunikation POST that lands but answers after the client time-out is not repeated: one entry, no duplicate', async () => {
    const { id, betNr } = await linkedPerson({ phones: [phone('+49 30 1234567', 'Office', true)] });
    espocrm.userUpdate(ENTITY, id, { phoneNumberData: [phone('+49 30 1234567', 'Office', true), phone('0171 7654321', 'Mobile')] });
    // The test worker's Advoware time-out is 2 s: the entry is created, the answer comes too late.
    advoware.faults.add({ method: 'POST', path: 'Kommunikationen', latencyMs: 2_500, times: 1 });
    const runs = await sync(id, 'update');
    await sleep(1_000);
    const holding = advoware.listKommunikationen(betNr).filter((e) => e.tlf === '0171 7654321');
    assert.equal(
      holding.length,
      1,
      `one entry for the new number; runs ${JSON.stringify(runs.map((r) => [r.decision, r.error, r.kommunikation?.skipped]))}, ` +
        `POSTs ${advoware.calls.count(KOMM_POST)}`,
    );
    assertSettled(id, betNr);
    assert.equal(entity(id).syncErrorMessage, '');
  });
});
