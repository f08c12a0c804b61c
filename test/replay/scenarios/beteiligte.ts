import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import {
  beteiligteSweepRef,
  beteiligteSyncRef,
  beteiligteSyncWorkflowId,
  type BeteiligteSweepWorkflow,
  type BeteiligteSyncResult,
  type BeteiligteSyncWorkflow,
  type RunDecision,
  type SyncReason,
} from '../../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../../contracts/espocrm';
import { settledRuns } from '../../support/settled';
import type { RecordingEnv, Scenario } from './scenario';

const ENTITY = 'CBeteiligte';
const PERSON = { firstName: 'Erika', lastName: 'Mustermann', salutationName: 'Ms.', dateOfBirth: '1980-02-03', assignedUserId: 'user-em' };
const KOMMUNIKATION = {
  emailAddressData: [{ emailAddress: 'erika@example.de', primary: true }],
  phoneNumberData: [{ phoneNumber: '+49 170 1234567', type: 'Mobile', primary: true }],
};

const ADDRESSES = {
  billingAddressStreet: 'Hauptstraße 1',
  billingAddressPostalCode: '10115',
  billingAddressCity: 'Berlin',
  billingAddressCountry: 'Deutschland',
  shippingAddressStreet: 'Seeweg 7',
  shippingAddressPostalCode: '18055',
  shippingAddressCity: 'Rostock',
  shippingAddressCountry: 'Deutschland',
};

/** Requests a sync the way the gateway does and waits for the Beteiligte's workflow to close. */
async function sync(env: RecordingEnv, id: string, reason: SyncReason = 'manual'): Promise<WorkflowHandle> {
  await env.requester.requestBeteiligteSync(id, reason);
  const handle = env.hub.client.workflow.getHandle(beteiligteSyncWorkflowId(id));
  await env.hub.run(() => handle.result());
  return handle;
}

async function decisionsOf(handle: WorkflowHandle): Promise<RunDecision[]> {
  const result = (await handle.result()) as BeteiligteSyncResult;
  return result.runs.map((r) => r.decision);
}

/** A Beteiligte already created in Advoware by an earlier run; the scenario records the run after it. */
async function linkedPerson(env: RecordingEnv): Promise<{ id: string; betNr: number }> {
  const id = env.espocrm.userCreate(ENTITY, PERSON).id;
  await sync(env, id);
  const betNr = (env.espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte).betnr;
  assert.ok(betNr, 'the Beteiligte was created in Advoware');
  return { id, betNr };
}

/** A sync scenario whose recorded workflow must end with exactly `decisions`. */
function syncPath(path: string, decisions: RunDecision[], drive: (env: RecordingEnv) => Promise<WorkflowHandle>): Scenario {
  return {
    workflowType: beteiligteSyncRef.workflowType,
    path,
    async run(env) {
      const handle = await drive(env);
      assert.deepEqual(await decisionsOf(handle), decisions, `beteiligte-sync ${path}`);
      return handle;
    },
  };
}

export const beteiligteScenarios: Scenario[] = [
  syncPath('create', ['create'], (env) => sync(env, env.espocrm.userCreate(ENTITY, PERSON).id)),

  syncPath('no_change', ['no_change'], async (env) => sync(env, (await linkedPerson(env)).id)),

  syncPath('espocrm_newer', ['espocrm_newer'], async (env) => {
    const { id } = await linkedPerson(env);
    env.espocrm.userUpdate(ENTITY, id, { lastName: 'Musterfrau' });
    return sync(env, id, 'update');
  }),

  syncPath('advoware_newer', ['advoware_newer'], async (env) => {
    const { id, betNr } = await linkedPerson(env);
    env.advoware.editBeteiligte(betNr, { vorname: 'Erika Maria' });
    return sync(env, id);
  }),

  syncPath('conflict', ['conflict'], async (env) => {
    const { id, betNr } = await linkedPerson(env);
    env.advoware.editBeteiligte(betNr, { name: 'Mustermann-Advoware' });
    env.espocrm.userUpdate(ENTITY, id, { lastName: 'Mustermann-Espo' });
    return sync(env, id, 'update');
  }),

  syncPath('initial_sync', ['initial_sync'], (env) => {
    const existing = env.advoware.createBeteiligte({ name: 'Altbestand', vorname: 'Karl' });
    const id = env.espocrm.userCreate(ENTITY, { firstName: 'Karl', lastName: 'Altbestand-Neu', betnr: existing.betNr, syncStatus: 'dirty' }).id;
    return sync(env, id);
  }),

  // More 503s than one attempt's activity retries: the attempt fails, the backoff timer runs, the next one succeeds.
  syncPath('failed_backoff_clean', ['failed', 'espocrm_newer'], async (env) => {
    const { id } = await linkedPerson(env);
    env.espocrm.userUpdate(ENTITY, id, { lastName: 'Nach Ausfall' });
    env.advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 503, times: 4 });
    return sync(env, id, 'update');
  }),

  // Failed for good, the workflow waits open for the next request; the user's correction brings it back.
  syncPath('permanently_failed', ['permanently_failed', 'espocrm_newer'], async (env) => {
    const { id } = await linkedPerson(env);
    env.espocrm.userUpdate(ENTITY, id, { lastName: 'Abgelehnt' });
    env.advoware.faults.add({ method: 'PUT', path: 'Beteiligte', status: 400, body: { Message: 'Validierung fehlgeschlagen' } });
    await env.requester.requestBeteiligteSync(id, 'update');
    const handle = env.hub.client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id));
    await env.hub.run(() => settledRuns(handle));
    env.advoware.faults.clear();
    env.espocrm.userUpdate(ENTITY, id, { lastName: 'Korrigiert' });
    return sync(env, id, 'update');
  }),

  syncPath('deleted_in_advoware', ['deleted_in_advoware'], async (env) => {
    const { id, betNr } = await linkedPerson(env);
    env.advoware.deleteBeteiligte(betNr);
    return sync(env, id);
  }),

  // The Kommunikation step (SPEC §5.3): POSTs for a new Beteiligte's numbers, then the one final EspoCRM write.
  syncPath('create_with_kommunikation', ['create'], (env) => sync(env, env.espocrm.userCreate(ENTITY, { ...PERSON, ...KOMMUNIKATION }).id)),

  // EspoCRM's arrays first (a value new in Advoware), then Advoware's entries (a marker, a new number), then the hashes.
  syncPath('kommunikation_both_sides', ['no_change'], async (env) => {
    const id = env.espocrm.userCreate(ENTITY, { ...PERSON, ...KOMMUNIKATION }).id;
    await sync(env, id);
    const betNr = (env.espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte).betnr as number;
    env.advoware.addKommunikation(betNr, { kommKz: 6, tlf: '030 55501234', bemerkung: 'abends' });
    env.espocrm.userUpdate(ENTITY, id, {
      phoneNumberData: [...KOMMUNIKATION.phoneNumberData, { phoneNumber: '+49 40 3012345', type: 'Office', primary: false }],
    });
    return sync(env, id, 'update');
  }),

  // The Adressen step (SPEC §5.4): a new Beteiligte's billing and shipping address POSTed with their markers.
  syncPath('adressen_create', ['create'], (env) => sync(env, env.espocrm.userCreate(ENTITY, { ...PERSON, ...ADDRESSES }).id)),

  // A changed street (the read right before the PUT) and a country Advoware cannot take (one notification).
  syncPath('adressen_readonly_change', ['no_change'], async (env) => {
    const id = env.espocrm.userCreate(ENTITY, { ...PERSON, ...ADDRESSES }).id;
    await sync(env, id);
    env.espocrm.userUpdate(ENTITY, id, { billingAddressStreet: 'Ring 3', billingAddressCountry: 'Österreich' });
    return sync(env, id, 'update');
  }),

  syncPath('deleted_in_espocrm', ['deleted_in_espocrm'], async (env) => sync(env, (await linkedPerson(env)).id, 'delete')),

  {
    workflowType: beteiligteSweepRef.workflowType,
    path: 'signals_due_parties',
    async run(env) {
      const due = Array.from({ length: 3 }, (_, i) => env.espocrm.userCreate(ENTITY, { firmenname: `Sweep ${i} GmbH` }).id);
      await linkedPerson(env);
      const handle = await env.hub.client.workflow.start<BeteiligteSweepWorkflow>(beteiligteSweepRef.workflowType, {
        taskQueue: env.hub.taskQueue,
        workflowId: `replay-sweep-${Date.now()}`,
      });
      const result = await env.hub.run(() => handle.result());
      assert.deepEqual(result, { pages: 1, signalled: due.length }, 'beteiligte-sweep');
      // The Beteiligte syncs run on after the sweep closed: let them finish before the simulators are reset.
      for (const id of due) await env.hub.run(() => env.hub.client.workflow.getHandle(beteiligteSyncWorkflowId(id)).result());
      return handle;
    },
  },
];
