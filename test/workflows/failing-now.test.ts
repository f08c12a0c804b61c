import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { listFailingNow, type FailingEntity } from '../../clients/temporal/failing-now';
import { bankverbindungenSyncWorkflowId } from '../../contracts/bankverbindungen';
import { beteiligteSyncWorkflowId, type BeteiligteSyncWorkflow } from '../../contracts/beteiligte';
import { FAILING_NOW_QUERY } from '../../contracts/hub-status';
import { useBeteiligteHarness } from '../support/beteiligte-harness';
import { temporalAddress } from '../support/services';
import { settledRuns } from '../support/settled';

const ENTITY = 'CBeteiligte';
const ACCOUNT = 'CBankverbindungen';

const run = promisify(execFile);

/** `npm run hub:failures` as an operator runs it, against the test's Temporal (the payload key comes from scripts/test.sh). */
async function hubFailures(...args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: 'default' };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/hub-failures.ts', ...args], { env });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number' || failed.code > 1) throw new Error(`hub:failures failed: ${failed.stderr ?? String(err)}`);
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

describe('what is failing now: one query, one command', () => {
  const harness = useBeteiligteHarness();
  const { advoware, espocrm } = harness;

  async function linkedPerson(lastName: string): Promise<{ id: string; betNr: number }> {
    const { id } = espocrm.userCreate(ENTITY, { firstName: 'Erika', lastName, salutationName: 'Ms.', dateOfBirth: '1980-02-03' });
    ours.add(id);
    const [created] = await harness.sync(id);
    assert.equal(created?.decision, 'create');
    return { id, betNr: harness.entity(id).betnr as number };
  }

  /** The entities this test made: other suites on the same server leave failing entities of their own. */
  const ours = new Set<string>();
  const mine = (all: FailingEntity[]) => all.filter((f) => ours.has(f.entityId));

  /** Visibility follows the workflows a moment later: wait until the failing set has the expected size. */
  async function failingNow(expected: number): Promise<FailingEntity[]> {
    let failing: FailingEntity[] = [];
    for (let i = 0; i < 100; i++) {
      failing = mine(await listFailingNow(harness.hub().client));
      if (failing.length === expected) return failing;
      await sleep(100);
    }
    return failing;
  }

  it('lists exactly the entities failing now, once each, with the reason; recovered and terminated ones never', async () => {
    const recovering = await linkedPerson('Erholt');
    const retrying = await linkedPerson('Wartend');
    const rejected = await linkedPerson('Abgelehnt');
    const terminated = await linkedPerson('Beendet');

    // Recovers after one failed attempt: more 503s than one attempt's retries, then Advoware answers again.
    espocrm.userUpdate(ENTITY, recovering.id, { lastName: 'Erholt Neu' });
    advoware.faults.add({ method: 'PUT', path: `Beteiligte/${recovering.betNr}$`, status: 503, times: 4 });
    await harness.requester().requestBeteiligteSync(recovering.id, 'update');
    // Keeps failing with 503: waits on its backoff timer.
    espocrm.userUpdate(ENTITY, retrying.id, { lastName: 'Wartend Neu' });
    advoware.faults.add({ method: 'PUT', path: `Beteiligte/${retrying.betNr}$`, status: 503 });
    await harness.requester().requestBeteiligteSync(retrying.id, 'update');
    // A 400 cannot heal by waiting: permanently failed, open until an edit or the reset.
    espocrm.userUpdate(ENTITY, rejected.id, { lastName: 'Abgelehnt Neu' });
    advoware.faults.add({ method: 'PUT', path: `Beteiligte/${rejected.betNr}$`, status: 400, body: { Message: 'Validierung fehlgeschlagen' } });
    const [permanent] = await harness.sync(rejected.id, 'update');
    assert.equal(permanent?.decision, 'permanently_failed');
    // An operator terminated this one while it failed: not failing "now".
    espocrm.userUpdate(ENTITY, terminated.id, { lastName: 'Beendet Neu' });
    advoware.faults.add({ method: 'PUT', path: `Beteiligte/${terminated.betNr}$`, status: 400, body: { Message: 'gesperrt' } });
    const terminatedHandle = harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(terminated.id));
    await harness.requester().requestBeteiligteSync(terminated.id, 'update');
    await harness.hub().run(() => settledRuns(terminatedHandle));
    await terminatedHandle.terminate('operator: looked at it, will fix by hand');
    // A bank account with a typo in its IBAN: only the user's correction mends it.
    const account = espocrm.userCreate(ACCOUNT, { name: 'Girokonto', iban: 'DE89 3704 0044 0532 0130 01', cBeteiligteId: rejected.id }).id;
    ours.add(account);
    await harness.requester().requestBankverbindungSync(account, 'create');

    const recoveredRuns = await harness
      .hub()
      .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(recovering.id)).result());
    assert.deepEqual(
      recoveredRuns.runs.map((r) => r.decision),
      ['failed', 'espocrm_newer'],
    );

    const failing = await failingNow(3);
    const byWorkflow = new Map(failing.map((f) => [f.workflowId, f]));
    assert.deepEqual(
      [...byWorkflow.keys()].sort(),
      [beteiligteSyncWorkflowId(retrying.id), beteiligteSyncWorkflowId(rejected.id), bankverbindungenSyncWorkflowId(account)].sort(),
    );
    assert.equal(failing.length, 3, 'each entity once');

    const waiting = byWorkflow.get(beteiligteSyncWorkflowId(retrying.id));
    assert.equal(waiting?.status, 'failed');
    assert.equal(waiting?.name, 'Erika Wartend Neu');
    assert.equal(waiting?.reason?.type, 'AdvowareServerError');
    assert.equal(waiting?.reason?.system, 'Advoware');
    assert.equal(waiting?.reason?.httpStatus, 503);
    assert.match(String(waiting?.reason?.call), /^advoware/);
    assert.ok((waiting?.attempts ?? 0) >= 1);
    assert.ok(waiting?.nextRetryAt && Date.parse(waiting.nextRetryAt) > Date.now() - 60_000, 'the next retry is given');
    assert.ok(waiting?.since);

    const permanentlyFailed = byWorkflow.get(beteiligteSyncWorkflowId(rejected.id));
    assert.equal(permanentlyFailed?.status, 'permanently_failed');
    assert.equal(permanentlyFailed?.reason?.type, 'AdvowareBadRequest');
    assert.equal(permanentlyFailed?.reason?.httpStatus, 400);
    assert.match(String(permanentlyFailed?.reason?.message), /Validierung fehlgeschlagen/);

    const invalid = byWorkflow.get(bankverbindungenSyncWorkflowId(account));
    assert.equal(invalid?.status, 'invalid');
    assert.equal(invalid?.name, 'Girokonto');
    assert.equal(invalid?.reason?.type, 'InvalidBankAccount');

    // The command lists the same three, as JSON and as a table, and exits 1.
    const json = await hubFailures('--json');
    assert.equal(json.code, 1, 'something is failing');
    const listed = mine((JSON.parse(json.stdout) as { failing: FailingEntity[] }).failing);
    assert.deepEqual(listed.map((f) => f.workflowId).sort(), [...byWorkflow.keys()].sort());
    assert.equal((JSON.parse(json.stdout) as { query: string }).query, FAILING_NOW_QUERY);
    const table = await hubFailures();
    assert.equal(table.code, 1);
    assert.match(table.stdout, /^entity\s+name\s+status\s+reason\s+attempts\s+next retry\s+since/m);
    assert.match(
      table.stdout,
      new RegExp(`Beteiligte ${retrying.id}\\s+Erika Wartend Neu\\s+failed\\s+AdvowareServerError in advoware\\w+, HTTP 503`),
    );
    assert.match(table.stdout, new RegExp(`Beteiligte ${rejected.id}\\s+Erika Abgelehnt Neu\\s+permanently_failed\\s+AdvowareBadRequest`));
    assert.match(table.stdout, new RegExp(`Bank account ${account}\\s+Girokonto\\s+invalid`));

    // The data fixed, Advoware back: each is synced on its next request and leaves the list.
    advoware.faults.clear();
    espocrm.userUpdate(ACCOUNT, account, { iban: 'DE89 3704 0044 0532 0130 00' });
    await harness.requester().requestBeteiligteSync(retrying.id, 'manual');
    await harness.requester().requestBeteiligteSync(rejected.id, 'update');
    await harness.requester().requestBankverbindungSync(account, 'update');
    for (const id of [retrying.id, rejected.id]) {
      const result = await harness
        .hub()
        .run(() => harness.hub().client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id)).result());
      // The retry timer may have come first: then the request found nothing left to do.
      assert.ok(
        result.runs.some((r) => r.decision === 'espocrm_newer'),
        result.runs.map((r) => r.decision).join(', '),
      );
      assert.equal(harness.entity(id).syncStatus, 'clean');
    }
    assert.deepEqual(await failingNow(0), []);
    assert.equal(advoware.getBeteiligte(retrying.betNr).name, 'Wartend Neu');
    assert.equal(advoware.getBeteiligte(rejected.betNr).name, 'Abgelehnt Neu');
  });
});
