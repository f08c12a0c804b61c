import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS } from '../../simulators/sandbox-credentials';
import { activeEmployeesWorkflow } from '../../workflows';
import { advowareClientFor } from '../support/gateway';
import { testRedis } from '../support/services';
import { createTestWorker, type TestWorker } from '../support/worker';

const MITARBEITER_ROUTE = 'GET /api/v1/advonet/Mitarbeiter';

describe('worker: a workflow calling an Advoware activity on the real Temporal server', () => {
  const sim = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS });
  let redis: Redis;
  let hub: TestWorker;

  before(async () => {
    const url = await sim.start();
    redis = testRedis();
    hub = await createTestWorker({
      advoware: advowareClientFor(url, redis, `test:${randomUUID()}`),
      // Not called by this workflow; an unreachable address proves it.
      espocrm: new EspoCrmClient({ baseUrl: 'http://127.0.0.1:9/api/v1', apiKey: 'unused', timeoutMs: 1_000 }),
    });
  });
  after(async () => {
    await hub.close();
    await sim.stop();
    redis.disconnect();
  });
  beforeEach(() => sim.reset());

  const execute = () =>
    hub.run(() =>
      hub.client.workflow.execute(activeEmployeesWorkflow, { taskQueue: hub.taskQueue, workflowId: `employees-${randomUUID()}` }),
    );

  it('returns the sorted kuerzel of the active employees with one Advoware call', async () => {
    const expected = sim
      .listMitarbeiter()
      .filter((m) => m.aktiv)
      .map((m) => m.kuerzel)
      .sort();
    assert.ok(expected.length > 0);
    assert.ok(sim.listMitarbeiter().some((m) => !m.aktiv), 'the seed has an inactive employee to leave out');
    assert.deepEqual(await execute(), expected);
    assert.equal(sim.calls.count(MITARBEITER_ROUTE), 1);
  });

  it('retries a transient Advoware 503 and succeeds', async () => {
    sim.faults.add({ path: 'Mitarbeiter', status: 503, times: 2 });
    const result = await execute();
    assert.ok(result.length > 0);
    assert.equal(sim.calls.count(MITARBEITER_ROUTE), 3);
  });

  it('stops at once on a permanent 403 and reports its type', async () => {
    sim.faults.add({ path: 'Mitarbeiter', status: 403 });
    const err = await execute().then(
      () => assert.fail('the workflow should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ActivityFailure);
    assert.ok(err.cause.cause instanceof ApplicationFailure);
    assert.equal(err.cause.cause.type, 'AdvowareForbidden');
    assert.equal(sim.calls.count(MITARBEITER_ROUTE), 1);
  });
});
