import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  bankverbindungenSyncWorkflowId,
  type BankverbindungenSyncWorkflow,
  type BankverbindungRunOutcome,
  type EspoBankverbindung,
} from '../../contracts/bankverbindungen';
import type { SyncReason } from '../../contracts/beteiligte';
import { bankverbindungMarker } from '../../domain/bankverbindungen/plan';
import { bankverbindungenSweepWorkflow } from '../../workflows';
import { useBeteiligteHarness } from '../support/beteiligte-harness';
import { runsOfRequest } from '../support/settled';

const ACCOUNT = 'CBankverbindungen';
const PARTY = 'CBeteiligte';
/** A valid German IBAN (the Bundesbank's example), entered with spaces as users do. */
const IBAN = 'DE89 3704 0044 0532 0130 00';
const IBAN_ELECTRONIC = 'DE89370400440532013000';

describe('Bankverbindungen sync workflow (EspoCRM → Advoware) on the real Temporal server', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm } = harness;

  const account = (id: string) => espocrm.getRecord(ACCOUNT, id) as unknown as EspoBankverbindung;
  /** The calls each system saw, as `METHOD /path` (token requests left out). */
  const seenBy = (sim: typeof advoware | typeof espocrm) =>
    sim.calls
      .filter()
      .filter((c) => !c.route.includes('Token'))
      .map((c) => `${c.method} ${c.path}`);

  /** A party already in Advoware and linked in EspoCRM (betnr set), as after its first sync. */
  function linkedParty(): { id: string; betNr: number } {
    const betNr = advoware.createBeteiligte({ name: 'Mustermann', vorname: 'Erika' }).betNr;
    const id = espocrm.userCreate(PARTY, { firstName: 'Erika', lastName: 'Mustermann', betnr: betNr, syncStatus: 'clean' }).id;
    return { id, betNr };
  }

  const newAccount = (partyId: string, fields: Record<string, unknown> = {}) =>
    espocrm.userCreate(ACCOUNT, {
      name: 'Girokonto',
      iban: IBAN,
      bic: 'COBADEFFXXX',
      bank: 'Commerzbank',
      kontoinhaber: 'Erika Mustermann',
      cBeteiligteId: partyId,
      assignedUserId: 'user-em',
      ...fields,
    }).id;

  /** Requests a sync as the gateway does, waits for the workflow, and returns its runs and the calls both simulators saw. */
  async function sync(id: string, reason: SyncReason = 'manual'): Promise<{ runs: BankverbindungRunOutcome[]; espo: string[]; advo: string[] }> {
    await harness.warmToken();
    advoware.calls.reset();
    espocrm.calls.reset();
    const hub = harness.hub();
    const handle = hub.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(id));
    const runs = await hub.run(() => runsOfRequest(handle, () => harness.requester().requestBankverbindungSync(id, reason)));
    const espo = seenBy(espocrm);
    const advo = seenBy(advoware);
    // A run that waited for its party shares the simulators with the party's own sync.
    if (!runs.at(-1)?.partyWaits) assert.equal(runs.at(-1)?.apiCalls, espo.length + advo.length, 'the outcome counts the calls the simulators saw');
    return { runs, espo, advo };
  }

  it('creates the account under the party with the marker, then writes clean, betnr, id and rowId back', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    assert.equal(account(id).syncStatus, 'pending_sync');

    const { runs, espo, advo } = await sync(id);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.decision, 'create');
    assert.equal(runs[0]?.iban, '******************3000', 'the IBAN is masked in the result');
    assert.deepEqual(espo, [`GET /api/v1/CBankverbindungen/${id}`, `GET /api/v1/CBeteiligte/${party.id}`, `PUT /api/v1/CBankverbindungen/${id}`]);
    const path = `/api/v1/advonet/Beteiligte/${party.betNr}/Bankverbindungen`;
    assert.deepEqual(advo, [`GET ${path}`, `POST ${path}`]);

    const [entry, ...others] = advoware.listBankverbindungen(party.betNr);
    assert.equal(others.length, 0);
    assert.deepEqual(
      { iban: entry?.iban, bic: entry?.bic, bank: entry?.bank, kontoinhaber: entry?.kontoinhaber, bemerkung: entry?.bemerkung },
      { iban: IBAN_ELECTRONIC, bic: 'COBADEFFXXX', bank: 'Commerzbank', kontoinhaber: 'Erika Mustermann', bemerkung: `EspoCRM-ID: ${id}` },
    );
    const after = account(id);
    assert.equal(after.syncStatus, 'clean');
    assert.equal(after.betnr, party.betNr);
    assert.equal(after.advowareId, entry?.id);
    assert.equal(after.advowareRowId, entry?.rowId);
    assert.ok(after.advowareLastSync);
    assert.ok(after.bankverbindungHash);
    assert.equal(espocrm.notifications().length, 0);
  });

  it('an unchanged account costs two reads (EspoCRM, Advoware) and writes nothing', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    await sync(id);
    const before = account(id);

    const { runs, espo, advo } = await sync(id);
    assert.equal(runs[0]?.decision, 'no_change');
    assert.deepEqual(espo, [`GET /api/v1/CBankverbindungen/${id}`]);
    assert.deepEqual(advo, [`GET /api/v1/advonet/Beteiligte/${party.betNr}/Bankverbindungen`]);
    assert.deepEqual(account(id), before, 'EspoCRM untouched');
    assert.equal(advoware.listBankverbindungen(party.betNr).length, 1);
  });

  it('pushes an EspoCRM edit into the marked entry with a PUT (no second entry)', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    await sync(id);
    const entryId = account(id).advowareId;
    // Another account of the same party, entered in Advoware by hand: never matched, never touched.
    advoware.addBankverbindung(party.betNr, { iban: 'DE02120300000000202051', bemerkung: 'Mietkonto' });

    espocrm.userUpdate(ACCOUNT, id, { iban: 'DE02 5001 0517 0137 0750 30', bank: 'ING' });
    assert.equal(account(id).syncStatus, 'dirty');
    const { runs, espo, advo } = await sync(id, 'update');
    assert.equal(runs[0]?.decision, 'update');
    assert.deepEqual(
      [...advo, ...espo].filter((c) => !c.startsWith('GET')),
      [`PUT /api/v1/advonet/Beteiligte/${party.betNr}/Bankverbindungen/${entryId}`, `PUT /api/v1/CBankverbindungen/${id}`],
    );
    const entries = advoware.listBankverbindungen(party.betNr);
    assert.equal(entries.length, 2);
    const entry = entries.find((e) => e.id === entryId);
    assert.equal(entry?.iban, 'DE02500105170137075030');
    assert.equal(entry?.bank, 'ING');
    assert.equal(entry?.bic, 'COBADEFFXXX');
    assert.equal(entries.find((e) => e.id !== entryId)?.bemerkung, 'Mietkonto');
    assert.equal(account(id).syncStatus, 'clean');
    assert.equal(account(id).advowareRowId, entry?.rowId, 'the rowId from the PUT answer is stored');
  });

  it('restores an entry edited in Advoware from EspoCRM (EspoCRM is the master)', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    await sync(id);
    const entryId = account(id).advowareId as number;
    await harness.advowareClient().updateBankverbindung(party.betNr, entryId, {
      iban: IBAN_ELECTRONIC,
      bic: null,
      bank: 'Andere Bank',
      kontoinhaber: null,
      bemerkung: bankverbindungMarker(id),
    });
    const { runs } = await sync(id, 'sweep');
    assert.equal(runs[0]?.decision, 'update');
    const entry = advoware.listBankverbindungen(party.betNr)[0];
    assert.equal(entry?.bank, 'Commerzbank');
    assert.equal(entry?.bic, 'COBADEFFXXX');
    assert.equal(account(id).advowareRowId, entry?.rowId);
  });

  it('records an EspoCRM delete and deletes nothing in Advoware', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    await sync(id);
    espocrm.userDelete(ACCOUNT, id);
    const { runs, espo, advo } = await sync(id, 'delete');
    assert.equal(runs.at(-1)?.decision, 'deleted_in_espocrm');
    assert.deepEqual([...espo, ...advo], []);
    assert.equal(advoware.listBankverbindungen(party.betNr).length, 1);
    assert.equal(advoware.calls.count(/^DELETE /), 0);
  });

  it('an invalid IBAN writes nothing to Advoware: failed with the reason, one notification, no slow retries', async () => {
    const party = linkedParty();
    const id = newAccount(party.id, { iban: 'DE89 3704 0044 0532 0130 01' });
    const { runs, espo, advo } = await sync(id);
    assert.equal(runs.length, 1, 'no retry: the workflow waits for an edit');
    assert.equal(runs[0]?.decision, 'invalid');
    assert.deepEqual(espo, [`GET /api/v1/CBankverbindungen/${id}`, `PUT /api/v1/CBankverbindungen/${id}`, 'POST /api/v1/Notification']);
    assert.deepEqual(advo, []);
    assert.equal(advoware.calls.count(), 0, 'Advoware never asked');
    assert.equal(advoware.listBankverbindungen(party.betNr).length, 0);
    const after = account(id);
    assert.equal(after.syncStatus, 'failed');
    assert.match(after.syncErrorMessage ?? '', /invalid IBAN \*+3001: check digits do not match/);
    assert.ok(!(after.syncErrorMessage ?? '').includes('0532013001'), 'the IBAN is masked');
    assert.ok((after.syncNextRetry ?? '') > new Date().toISOString().slice(0, 10), 'the next retry is put off');
    const notes = espocrm.notifications('user-em');
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.message), /not synced to Advoware: invalid IBAN/);

    // The sweep's re-check finds the same problem: status written again, nobody told twice.
    assert.equal((await sync(id, 'sweep')).runs.at(-1)?.decision, 'invalid');
    assert.equal(espocrm.notifications('user-em').length, 1);

    // The user's correction brings it back at once.
    espocrm.userUpdate(ACCOUNT, id, { iban: IBAN });
    assert.equal((await sync(id, 'update')).runs.at(-1)?.decision, 'create');
    assert.equal(account(id).syncStatus, 'clean');
    assert.equal(account(id).syncErrorMessage, '');
    assert.equal(advoware.listBankverbindungen(party.betNr)[0]?.iban, IBAN_ELECTRONIC);
  });

  it('an invalid BIC is refused the same way', async () => {
    const party = linkedParty();
    const id = newAccount(party.id, { bic: 'COBA-DE' });
    const { runs } = await sync(id);
    assert.equal(runs[0]?.decision, 'invalid');
    assert.equal(advoware.calls.count(), 0);
    assert.equal(account(id).syncStatus, 'failed');
    assert.match(account(id).syncErrorMessage ?? '', /invalid BIC "COBA-DE"/);
    assert.equal(espocrm.notifications('user-em').length, 1);
  });

  it('an account without a party is refused, nothing written', async () => {
    const id = newAccount('');
    const { runs } = await sync(id);
    assert.equal(runs[0]?.decision, 'invalid');
    assert.match(account(id).syncErrorMessage ?? '', /linked to no Beteiligte/);
    assert.equal(advoware.calls.count(), 0);
  });

  it("an account of a new party asks for the party's sync, waits for its betNr and lands under it", async () => {
    const partyId = espocrm.userCreate(PARTY, { firstName: 'Jonas', lastName: 'Weber', salutationName: 'Mr.' }).id;
    assert.equal(espocrm.getRecord(PARTY, partyId)?.betnr, undefined);
    const id = newAccount(partyId);

    const { runs } = await sync(id);
    assert.equal(runs[0]?.decision, 'create');
    assert.ok((runs[0]?.partyWaits ?? 0) >= 1, 'the run waited on a timer for the party');
    const betNr = espocrm.getRecord(PARTY, partyId)?.betnr as number;
    assert.ok(betNr, "the party's own workflow created it in Advoware");
    assert.equal(advoware.getBeteiligte(betNr).name, 'Weber');
    assert.equal(runs[0]?.betNr, betNr);
    assert.equal(advoware.listBankverbindungen(betNr)[0]?.bemerkung, bankverbindungMarker(id));
    assert.equal(account(id).betnr, betNr);
    assert.equal(account(id).syncStatus, 'clean');
  });

  it('a party whose sync does not finish in time: failed with a clear message, retried, nothing written', async () => {
    const partyId = espocrm.userCreate(PARTY, { firstName: 'Jonas', lastName: 'Weber' }).id;
    // The party's create in Advoware keeps failing, so it never gets a betNr.
    advoware.faults.add({ method: 'POST', path: 'Beteiligte$', status: 503 });
    const id = newAccount(partyId);
    const hub = harness.hub();
    await harness.requester().requestBankverbindungSync(id, 'create');
    const handle = hub.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(id));
    // Wait for the first failed attempt to land in EspoCRM (party wait 8 s in tests).
    const deadline = Date.now() + 30_000;
    while (account(id).syncStatus !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(account(id).syncStatus, 'failed');
    assert.match(account(id).syncErrorMessage ?? '', /has no Advoware betNr after waiting 8 s/);
    assert.equal(account(id).syncRetryCount, 1);
    assert.equal(advoware.calls.count(/Bankverbindungen/), 0, 'never written under a missing party');
    await handle.terminate('test over');
    await hub.client.workflow
      .getHandle(`beteiligte-sync/${partyId}`)
      .terminate('test over')
      .catch(() => undefined);
  });

  it('the sweep finds a pending account and its workflow syncs it', async () => {
    const party = linkedParty();
    const id = newAccount(party.id);
    const hub = harness.hub();
    const sweep = await hub.run(() =>
      hub.client.workflow.execute(bankverbindungenSweepWorkflow, { taskQueue: hub.taskQueue, workflowId: `bank-sweep-test-${randomUUID()}` }),
    );
    assert.equal(sweep.signalled, 1);
    const result = await hub.run(() => hub.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(id)).result());
    assert.equal(result.runs[0]?.decision, 'create');
    assert.equal(account(id).syncStatus, 'clean');
    assert.equal(advoware.listBankverbindungen(party.betNr).length, 1);
  });
});
