import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { stammdatenHash } from '../../domain/beteiligte/hash';
import { beteiligteSweepWorkflow } from '../../workflows';
import { beteiligteSyncWorkflowId, type BeteiligteSyncResult, type BeteiligteSyncWorkflow } from '../../contracts/beteiligte';
import { useBeteiligteHarness } from '../support/beteiligte-harness';

const ENTITY = 'CBeteiligte';

describe('Beteiligte sync workflow (EspoCRM ⇄ Advoware Stammdaten) on the real Temporal server', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm, entity, sync, syncCounted } = harness;

  /** Workflow tasks and regular activities in the history of the Beteiligte's latest workflow run. */
  async function historyCounts(id: string): Promise<{ workflowTasks: number; activities: number }> {
    const history = await harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).fetchHistory();
    const types = (history.events ?? []).map((e) => e.eventType);
    return {
      workflowTasks: types.filter((t) => t === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length,
      activities: types.filter((t) => t === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length,
    };
  }

  async function linkedPerson(): Promise<{ id: string; betNr: number }> {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.', dateOfBirth: '1980-02-03' });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'create');
    return { id: created.id, betNr: entity(created.id).betnr as number };
  }

  it('creates a new person in Advoware with 3 calls and writes betnr, rowId and clean back in one PUT', async () => {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.', dateOfBirth: '1980-02-03' });
    const id = created.id;
    assert.equal(entity(id).syncStatus, 'pending_sync');
    const { run, calls } = await syncCounted(id);
    assert.equal(run.decision, 'create');
    assert.ok(calls <= 3, `create took ${calls} calls`);

    const after = entity(id);
    assert.equal(after.syncStatus, 'clean');
    assert.ok(after.betnr);
    const beteiligte = advoware.getBeteiligte(after.betnr);
    assert.equal(beteiligte.name, 'Mustermann');
    assert.equal(beteiligte.vorname, 'Erika');
    assert.equal(beteiligte.anrede, 'Frau');
    assert.equal(beteiligte.geburtsdatum, '1980-02-03T00:00:00');
    assert.equal(after.advowareRowId, beteiligte.rowId);
    assert.equal(after.stammdatenHash, stammdatenHash(after));
    assert.equal(espocrm.calls.count(/^PUT /), 1);
  });

  it('creates a company with firmenname and rechtsform, no person fields', async () => {
    const created = espocrm.userCreate(ENTITY, { firmenname: 'Hausverwaltung Nord GmbH', rechtsform: 'GmbH' });
    await sync(created.id);
    const beteiligte = advoware.getBeteiligte(entity(created.id).betnr as number);
    assert.equal(beteiligte.name, 'Hausverwaltung Nord GmbH');
    assert.equal(beteiligte.rechtsform, 'GmbH');
    assert.ok(!beteiligte.vorname);
  });

  it('a second run with nothing changed is a no-change with 2 calls and zero writes', async () => {
    const { id } = await linkedPerson();
    const { run, calls, writes } = await syncCounted(id);
    assert.equal(run.decision, 'no_change');
    assert.ok(calls <= 2, `no change took ${calls} calls`);
    assert.equal(writes, 0);
    const tasks = await historyCounts(id);
    assert.equal(tasks.workflowTasks, 1, 'the reads are local activities: the whole run is one workflow task');
    assert.equal(tasks.activities, 0);
  });

  it('pushes an EspoCRM edit to Advoware (read-modify-write) with at most 4 calls, keeping Advoware-only fields', async () => {
    const { id, betNr } = await linkedPerson();
    advoware.editBeteiligte(betNr, { briefAnrede: 'Sehr geehrte Frau Dr. Mustermann' });
    // That edit changed Advoware's rowId: take it in first, so the next step is a pure EspoCRM change.
    assert.equal((await sync(id))[0]?.decision, 'advoware_newer');

    espocrm.userUpdate(ENTITY, id, { lastName: 'Musterfrau' });
    assert.equal(entity(id).syncStatus, 'dirty');
    const { run, calls } = await syncCounted(id);
    assert.equal(run.decision, 'espocrm_newer');
    assert.ok(calls <= 4, `EspoCRM→Advoware took ${calls} calls`);
    const beteiligte = advoware.getBeteiligte(betNr);
    assert.equal(beteiligte.name, 'Musterfrau');
    assert.equal(beteiligte.briefAnrede, 'Sehr geehrte Frau Dr. Mustermann');
    assert.equal(entity(id).advowareRowId, beteiligte.rowId, 'the rowId from the PUT answer is stored');
    assert.equal(entity(id).syncStatus, 'clean');
    assert.equal((await historyCounts(id)).activities, 1, 'only the Advoware PUT is a regular activity');
    assert.equal((await syncCounted(id)).writes, 0);
  });

  it('takes an Advoware edit into EspoCRM with at most 3 calls, and the next run writes nothing', async () => {
    const { id, betNr } = await linkedPerson();
    advoware.editBeteiligte(betNr, { vorname: 'Erika Maria', geburtsdatum: '1980-02-04T00:00:00' });
    const { run, calls } = await syncCounted(id);
    assert.equal(run.decision, 'advoware_newer');
    assert.ok(calls <= 3, `Advoware→EspoCRM took ${calls} calls`);
    const after = entity(id);
    assert.equal(after.firstName, 'Erika Maria');
    assert.equal(after.dateOfBirth, '1980-02-04');
    assert.equal(after.syncStatus, 'clean');
    assert.equal(after.advowareRowId, advoware.getBeteiligte(betNr).rowId);
    // EspoCRM bumped modifiedAt on the hub's own write; the content hash is not fooled by it.
    const next = await syncCounted(id);
    assert.equal(next.run.decision, 'no_change');
    assert.equal(next.writes, 0);
  });

  it('resolves a conflict in favour of EspoCRM and notifies the assigned user', async () => {
    const created = espocrm.userCreate(ENTITY, { firstName: 'Jonas', lastName: 'Weber', assignedUserId: 'user-jw' });
    const id = created.id;
    await sync(id);
    const betNr = entity(id).betnr as number;
    advoware.editBeteiligte(betNr, { name: 'Weber-Advoware' });
    espocrm.userUpdate(ENTITY, id, { lastName: 'Weber-Espo' });
    const [run] = await sync(id);
    assert.equal(run?.decision, 'conflict');
    assert.equal(advoware.getBeteiligte(betNr).name, 'Weber-Espo');
    assert.equal(entity(id).lastName, 'Weber-Espo');
    assert.equal(entity(id).syncStatus, 'clean');
    const notes = espocrm.notifications('user-jw');
    assert.equal(notes.length, 1);
    assert.match(String(notes[0]?.message), /conflict/i);
  });

  it('first sync of an existing pair (no stammdatenHash) writes EspoCRM to Advoware', async () => {
    const existing = advoware.createBeteiligte({ name: 'Altbestand', vorname: 'Karl' });
    const created = espocrm.userCreate(ENTITY, { firstName: 'Karl', lastName: 'Altbestand-Neu', betnr: existing.betNr, syncStatus: 'dirty' });
    const [run] = await sync(created.id);
    assert.equal(run?.decision, 'initial_sync');
    assert.equal(advoware.getBeteiligte(existing.betNr).name, 'Altbestand-Neu');
    assert.ok(entity(created.id).stammdatenHash);
  });

  it('marks a Beteiligte deleted in Advoware, notifies the admin when nobody is assigned, and never re-creates it', async () => {
    const { id, betNr } = await linkedPerson();
    advoware.deleteBeteiligte(betNr);
    advoware.calls.reset();
    const partiesBefore = advoware.listBeteiligte().length;
    const [run] = await sync(id);
    assert.equal(run?.decision, 'deleted_in_advoware');
    assert.equal(entity(id).syncStatus, 'deleted_in_advoware');
    assert.ok(entity(id).advowareDeletedAt);
    assert.equal(espocrm.notifications('admin-user').length, 1);
    assert.equal(advoware.listBeteiligte().length, partiesBefore);
    assert.equal(advoware.calls.count(/^POST \/api\/v1\/advonet/), 0);
  });

  it('a Beteiligte deleted in Advoware is notified once: later edits are quiet no-ops without Advoware calls', async () => {
    const { id, betNr } = await linkedPerson();
    advoware.deleteBeteiligte(betNr);
    await sync(id);
    const deletedAt = entity(id).advowareDeletedAt;
    assert.equal(espocrm.notifications('admin-user').length, 1);

    espocrm.userUpdate(ENTITY, id, { lastName: 'Nach dem Löschen' });
    const again = await syncCounted(id);
    assert.equal(again.run.decision, 'deleted_in_advoware');
    assert.equal(again.calls, 1, 'only the EspoCRM read');
    assert.equal(again.writes, 0);
    assert.equal(espocrm.notifications('admin-user').length, 1, 'no second notification');
    assert.equal(entity(id).advowareDeletedAt, deletedAt, 'the deletion time is not rewritten');
    assert.equal(advoware.calls.count(/advonet\/Beteiligte/), 0, 'Advoware is not asked again');
  });

  it('records an EspoCRM delete and deletes nothing in Advoware', async () => {
    const { id, betNr } = await linkedPerson();
    advoware.calls.reset();
    const [run] = await sync(id, 'delete');
    assert.equal(run?.decision, 'deleted_in_espocrm');
    assert.equal(advoware.calls.count(), 0);
    assert.equal(advoware.getBeteiligte(betNr).name, 'Mustermann');
  });

  it('coalesces 50 requests within a second into at most 2 runs, never two at once', async () => {
    const { id } = await linkedPerson();
    espocrm.userUpdate(ENTITY, id, { lastName: 'Burst' });
    await Promise.all(Array.from({ length: 50 }, () => harness.requester().requestBeteiligteSync(id, 'update')));
    const result: BeteiligteSyncResult = await harness
      .hub()
      .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
    assert.ok(result.runs.length <= 2, `${result.runs.length} runs`);
    assert.equal(advoware.getBeteiligte(entity(id).betnr as number).name, 'Burst');
    assert.equal(entity(id).syncStatus, 'clean');
  });

  it('an edit saved while the run writes to Advoware, its webhook lost, is never marked clean: the run goes again at once', async () => {
    const { id, betNr } = await linkedPerson();
    espocrm.userUpdate(ENTITY, id, { lastName: 'Erste' });
    // Hold the Advoware PUT, so the edit below lands between the run's read and its final write. No webhook
    // reaches the hub in this test (none is registered): the edit's webhook is as good as dropped.
    advoware.faults.add({ method: 'PUT', path: 'Beteiligte', latencyMs: 1_500, times: 1 });
    await harness.requester().requestBeteiligteSync(id, 'update');
    await sleep(700);
    espocrm.userUpdate(ENTITY, id, { lastName: 'Zweite' });
    const result: BeteiligteSyncResult = await harness
      .hub()
      .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());

    assert.deepEqual(
      result.runs.map((r) => [r.decision, r.editedDuringRun ?? false]),
      [
        ['espocrm_newer', true],
        ['espocrm_newer', false],
      ],
      'the first run saw the edit in the answer to its last EspoCRM write and ran again',
    );
    assert.equal(advoware.getBeteiligte(betNr).name, 'Zweite', 'the edit reached Advoware without a webhook or a sweep');
    assert.equal(entity(id).syncStatus, 'clean');
    assert.equal(entity(id).stammdatenHash, stammdatenHash(entity(id)), 'clean with the hash of the content Advoware has');
    assert.equal((await syncCounted(id)).writes, 0, 'nothing left to do');
  });

  it('rides out a 5xx burst: status passes through failed, then ends clean', async () => {
    const { id, betNr } = await linkedPerson();
    espocrm.userUpdate(ENTITY, id, { lastName: 'Nach Ausfall' });
    // More 503s than one attempt's retries: the attempt fails, the backoff timer runs, the next attempt succeeds.
    advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 503, times: 4 });
    await harness.requester().requestBeteiligteSync(id, 'update');
    const statuses = new Set<string>();
    const handle = harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id));
    const done: Promise<BeteiligteSyncResult> = harness.hub().run(() => handle.result());
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished) {
      statuses.add(String(entity(id).syncStatus));
      await sleep(100);
    }
    const result = await done;
    assert.ok(statuses.has('failed'), `statuses seen: ${[...statuses].join(', ')}`);
    assert.deepEqual(
      result.runs.map((r) => r.decision),
      ['failed', 'espocrm_newer'],
    );
    assert.equal(entity(id).syncStatus, 'clean');
    assert.equal(entity(id).syncRetryCount, 0);
    assert.equal(advoware.getBeteiligte(betNr).name, 'Nach Ausfall');
  });

  it('a permanent failure ends permanently_failed with one notification; the auto reset brings it back', async () => {
    const { id, betNr } = await linkedPerson();
    espocrm.userUpdate(ENTITY, id, { lastName: 'Abgelehnt' });
    advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 400, body: { Message: 'Validierung fehlgeschlagen' } });
    const [run] = await sync(id);
    assert.equal(run?.decision, 'permanently_failed');
    const failed = entity(id);
    assert.equal(failed.syncStatus, 'permanently_failed');
    assert.match(String(failed.syncErrorMessage), /AdvowareBadRequest/);
    assert.ok(failed.syncAutoResetAt);
    assert.equal(espocrm.notifications('admin-user').length, 1);
    assert.equal(advoware.calls.count(/^PUT /), 1, 'a 400 is not retried');

    advoware.faults.clear();
    // The test policy resets after 2 s; EspoCRM stores whole seconds, so wait past the next full second.
    await sleep(3_200);
    await harness
      .hub()
      .run(() =>
        harness.hub().client.workflow.execute(beteiligteSweepWorkflow, { taskQueue: harness.hub().taskQueue, workflowId: `sweep-${randomUUID()}` }),
      );
    await harness.hub().run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
    assert.equal(entity(id).syncStatus, 'clean');
    assert.equal(advoware.getBeteiligte(betNr).name, 'Abgelehnt');
    assert.equal(espocrm.notifications('admin-user').length, 1);
  });

  it('the sweep pages through every Beteiligte that needs a sync and signals each', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => espocrm.userCreate(ENTITY, { firmenname: `Sweep ${i} GmbH` }).id);
    const clean = await linkedPerson();
    const result = await harness
      .hub()
      .run(() =>
        harness.hub().client.workflow.execute(beteiligteSweepWorkflow, { taskQueue: harness.hub().taskQueue, workflowId: `sweep-${randomUUID()}` }),
      );
    assert.equal(result.signalled, 7);
    for (const id of ids) {
      await harness.hub().run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
      assert.equal(entity(id).syncStatus, 'clean');
    }
    assert.equal(entity(clean.id).syncStatus, 'clean');
  });
});
