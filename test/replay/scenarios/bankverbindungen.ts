import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import {
  bankverbindungenSweepRef,
  bankverbindungenSyncRef,
  bankverbindungenSyncWorkflowId,
  type BankverbindungDecision,
  type BankverbindungenSweepWorkflow,
  type BankverbindungenSyncWorkflow,
} from '../../../contracts/bankverbindungen';
import { settledRuns } from '../../support/settled';
import type { RecordingEnv, Scenario } from './scenario';

const ACCOUNT = 'CBankverbindungen';

/** A party linked to Advoware (betnr set), so the recorded run does not wait for the party's own sync. */
function linkedPartyId(env: RecordingEnv): string {
  const betNr = env.advoware.createBeteiligte({ name: 'Mustermann', vorname: 'Erika' }).betNr;
  return env.espocrm.userCreate('CBeteiligte', { firstName: 'Erika', lastName: 'Mustermann', betnr: betNr, syncStatus: 'clean' }).id;
}

function newAccount(env: RecordingEnv, iban: string): string {
  const fields = { name: 'Girokonto', iban, bic: 'COBADEFFXXX', bank: 'Commerzbank', kontoinhaber: 'Erika Mustermann', assignedUserId: 'user-em' };
  return env.espocrm.userCreate(ACCOUNT, { ...fields, cBeteiligteId: linkedPartyId(env) }).id;
}

/** A sync scenario whose recorded workflow must end with exactly `decisions`. */
function syncPath(path: string, decisions: BankverbindungDecision[], iban: string, correctedIban?: string): Scenario {
  return {
    workflowType: bankverbindungenSyncRef.workflowType,
    path,
    async run(env): Promise<WorkflowHandle> {
      const id = newAccount(env, iban);
      await env.requester.requestBankverbindungSync(id, 'create');
      const handle = env.hub.client.workflow.getHandle<BankverbindungenSyncWorkflow>(bankverbindungenSyncWorkflowId(id));
      if (correctedIban) {
        // Invalid data keeps the workflow open until the user's correction arrives.
        await env.hub.run(() => settledRuns(handle));
        env.espocrm.userUpdate(ACCOUNT, id, { iban: correctedIban });
        await env.requester.requestBankverbindungSync(id, 'update');
      }
      const result = await env.hub.run(() => handle.result());
      assert.deepEqual(
        result.runs.map((r) => r.decision),
        decisions,
        `bankverbindungen-sync ${path}`,
      );
      return handle;
    },
  };
}

export const bankverbindungenScenarios: Scenario[] = [
  syncPath('created', ['create'], 'DE89370400440532013000'),
  syncPath('invalid_iban', ['invalid', 'create'], 'DE89370400440532013001', 'DE89370400440532013000'),
  {
    workflowType: bankverbindungenSweepRef.workflowType,
    path: 'signals_due_accounts',
    async run(env) {
      const id = newAccount(env, 'DE89370400440532013000');
      const handle = await env.hub.client.workflow.start<BankverbindungenSweepWorkflow>(bankverbindungenSweepRef.workflowType, {
        taskQueue: env.hub.taskQueue,
        workflowId: `replay-bank-sweep-${Date.now()}`,
      });
      assert.deepEqual(await env.hub.run(() => handle.result()), { pages: 1, signalled: 1 }, 'bankverbindungen-sweep');
      // The account's sync runs on after the sweep closed: let it finish before the simulators are reset.
      await env.hub.run(() => env.hub.client.workflow.getHandle(bankverbindungenSyncWorkflowId(id)).result());
      return handle;
    },
  },
];
