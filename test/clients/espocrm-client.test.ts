import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createEspoCrmClient, EspoCrmClient, type EspoEntity } from '../../clients/espocrm/client';
import type { WhereClause } from '../../contracts/espocrm';
import { failureDetails } from '../../clients/errors';
import { espocrmEnv } from '../../config/env';
import { espocrmEnvFor, SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';

const API_KEY = SANDBOX_ESPOCRM.apiKey;
const START = Date.parse('2025-03-03T10:00:00.000Z');
let clockMs = START;
const tick = (seconds = 1): void => {
  clockMs += seconds * 1000;
};

const sim = new EspoCrmSimulator({ apiKey: API_KEY, now: () => new Date(clockMs) });
let client: EspoCrmClient;

const clientWith = (overrides: Partial<ConstructorParameters<typeof EspoCrmClient>[0]> = {}): EspoCrmClient =>
  new EspoCrmClient({ baseUrl: `${sim.url}/api/v1`, apiKey: API_KEY, timeoutMs: 2_000, ...overrides });

const person = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  firstName: 'Anna',
  lastName: 'Schmidt',
  emailAddressData: [{ emailAddress: 'anna@example.de', primary: true }],
  ...extra,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `action`, expects it to fail, and answers the failure the client threw. */
async function failure(action: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await action();
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const LIST_CALLS = 'GET /api/v1/:entityType';

before(async () => {
  await sim.start();
  client = clientWith();
});
after(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.reset();
  clockMs = START;
});

describe('EspoCrmClient against the simulator: CRUD', () => {
  it('creates, reads, partially updates and deletes', async () => {
    const created = await client.create('CBeteiligte', person());
    assert.match(created.id, /^[0-9a-f]{17}$/);
    assert.equal(created.syncStatus, 'pending_sync', 'the CRM hook ran');
    assert.equal(created.modifiedAt, '2025-03-03 10:00:00');

    assert.deepEqual(await client.get('CBeteiligte', created.id), created);

    tick(2);
    const updated = await client.update('CBeteiligte', created.id, { betnr: 100001, syncStatus: 'clean' });
    assert.equal(updated.betnr, 100001);
    assert.equal(updated.lastName, 'Schmidt', 'a partial update keeps the other fields');
    assert.equal(updated.modifiedAt, '2025-03-03 10:00:02');

    await client.remove('CBeteiligte', created.id);
    assert.equal(sim.getRecord('CBeteiligte', created.id), undefined);
    assert.equal(sim.calls.count(), 4, 'one HTTP call per client method');
  });

  it('creates via the config factory with the sandbox environment', async () => {
    const fromConfig = createEspoCrmClient(espocrmEnv.parse(espocrmEnvFor(sim.url)));
    const created = await fromConfig.create('Task', { name: 'Rückruf' });
    assert.equal(sim.getRecord('Task', created.id)?.name, 'Rückruf');
  });

  it('sends an in-app notification to a user', async () => {
    const beteiligte = sim.userCreate('CBeteiligte', person());
    const sent = await client.notify({
      userId: 'user-1',
      message: 'Konflikt: EspoCRM gewinnt',
      relatedType: 'CBeteiligte',
      relatedId: beteiligte.id,
    });
    assert.equal(typeof sent.id, 'string');
    const stored = sim.notifications('user-1');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.type, 'Message');
    assert.equal(stored[0]?.message, 'Konflikt: EspoCRM gewinnt');
    assert.equal(stored[0]?.relatedId, beteiligte.id);
  });
});

describe('EspoCrmClient against the simulator: lists', () => {
  it('filters with the where types the hub uses', async () => {
    const a = sim.userCreate('CBeteiligte', person({ lastName: 'A', syncStatus: 'clean', betnr: 1, advowareLastSync: '2025-03-01 10:00:00' })).id;
    const b = sim.userCreate('CBeteiligte', person({ lastName: 'B', syncStatus: 'failed', syncNextRetry: '2025-03-03 09:00:00' })).id;
    const c = sim.userCreate('CBeteiligte', person({ lastName: 'C', syncStatus: 'failed', syncNextRetry: '2025-03-03 11:00:00' })).id;
    const d = sim.userCreate('CBeteiligte', person({ lastName: 'D' })).id;
    const ids = async (where: WhereClause[]): Promise<string[]> =>
      (await client.list('CBeteiligte', { where, orderBy: 'lastName' })).list.map((e) => e.id);

    assert.deepEqual(await ids([{ type: 'equals', attribute: 'syncStatus', value: 'pending_sync' }]), [d]);
    assert.deepEqual(await ids([{ type: 'notEquals', attribute: 'syncStatus', value: 'failed' }]), [a, d]);
    assert.deepEqual(await ids([{ type: 'in', attribute: 'syncStatus', value: ['clean', 'pending_sync'] }]), [a, d]);
    assert.deepEqual(await ids([{ type: 'isNull', attribute: 'betnr' }]), [b, c, d]);
    assert.deepEqual(await ids([{ type: 'isNotNull', attribute: 'betnr' }]), [a]);
    assert.deepEqual(await ids([{ type: 'equals', attribute: 'betnr', value: 1 }]), [a]);
    // The fallback schedule's query (SPEC §5.1): due retries, stale clean ones, new and dirty ones.
    const due: WhereClause[] = [
      {
        type: 'or',
        value: [
          { type: 'in', attribute: 'syncStatus', value: ['pending_sync', 'dirty'] },
          {
            type: 'and',
            value: [
              { type: 'equals', attribute: 'syncStatus', value: 'failed' },
              { type: 'before', attribute: 'syncNextRetry', value: '2025-03-03 10:00:00' },
            ],
          },
          {
            type: 'and',
            value: [
              { type: 'equals', attribute: 'syncStatus', value: 'clean' },
              { type: 'isNotNull', attribute: 'betnr' },
              { type: 'before', attribute: 'advowareLastSync', value: '2025-03-02 10:00:00' },
            ],
          },
        ],
      },
    ];
    assert.deepEqual(await ids(due), [a, b, d]);
    assert.deepEqual(await ids([{ type: 'after', attribute: 'syncNextRetry', value: '2025-03-03 10:00:00' }]), [c]);
  });

  it('pages with maxSize, offset, orderBy and order; total counts every match', async () => {
    for (let i = 0; i < 5; i += 1) sim.userCreate('Task', { name: `Task ${i}` });
    const page = await client.list('Task', { maxSize: 2, offset: 1, orderBy: 'name', order: 'desc', select: ['name'] });
    assert.equal(page.total, 5);
    assert.deepEqual(
      page.list.map((t) => t.name),
      ['Task 3', 'Task 2'],
    );
  });

  it('listAll returns each of 450 matches exactly once while the sync changes them under it', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 450; i += 1) ids.add(sim.userCreate('CBeteiligte', person({ lastName: `P${i}` })).id);
    sim.userCreate('CBeteiligte', person({ syncStatus: 'clean' }));
    const pending: WhereClause[] = [{ type: 'in', attribute: 'syncStatus', value: ['pending_sync', 'dirty'] }];

    const seen: string[] = [];
    let touched = 0;
    for await (const entity of client.listAll('CBeteiligte', pending)) {
      seen.push(entity.id);
      tick();
      // What the sync does to each entity: a metadata write moves modifiedAt and it stops matching.
      sim.userUpdate('CBeteiligte', entity.id, { syncStatus: 'clean', betnr: 1000 + seen.length });
      // Meanwhile users edit entities not yet listed: they move in modifiedAt order but still match.
      const other = [...ids].find((id) => !seen.includes(id) && sim.getRecord('CBeteiligte', id)?.syncStatus === 'pending_sync');
      if (other && seen.length % 10 === 0) {
        sim.userUpdate('CBeteiligte', other, { firstName: `Edited ${touched++}` });
      }
    }
    assert.ok(touched > 0);
    assert.equal(seen.length, 450, 'nothing skipped, nothing twice');
    assert.deepEqual(new Set(seen), ids);
    assert.equal(sim.calls.count(LIST_CALLS), 3, '200 + 200 + 50');
    assert.equal(sim.listRecords('CBeteiligte', { where: [{ type: 'equals', attribute: 'syncStatus', value: 'pending_sync' }] }).total, 0);
  });

  it('listAll is right at page boundaries and with small or oversized page sizes', async () => {
    for (let i = 0; i < 400; i += 1) sim.userCreate('Task', { name: `T${i}` });
    assert.equal(new Set((await collect(client.listAll('Task'))).map((t) => t.id)).size, 400);
    assert.equal(sim.calls.count(LIST_CALLS), 3, 'a full last page needs one empty page to end');

    sim.calls.reset();
    assert.equal((await collect(client.listAll('Task', [], 7))).length, 400);
    assert.equal(sim.calls.count(LIST_CALLS), 58);

    sim.calls.reset();
    const oversized = await collect(client.listAll<EspoEntity>('Task', [], 1000));
    assert.equal(oversized.length, 400, 'a page size over the CRM limit is clamped, not refused');
    assert.equal(sim.calls.count(LIST_CALLS), 3);

    assert.deepEqual(await collect(client.listAll('Lead')), []);
  });
});

describe('EspoCrmClient against the simulator: failures', () => {
  it('404 is a non-retryable EspoCrmNotFound, for unknown ids and entity types', async () => {
    for (const action of [() => client.get('CBeteiligte', '00000000000000000'), () => client.get('Account', 'x')]) {
      const err = await failure(action);
      assert.equal(err.type, 'EspoCrmNotFound');
      assert.equal(err.nonRetryable, true);
      assert.equal(failureDetails(err)?.status, 404);
    }
    const gone = sim.userCreate('CBeteiligte', person()).id;
    sim.userDelete('CBeteiligte', gone);
    const err = await failure(() => client.update('CBeteiligte', gone, { lastName: 'X' }));
    assert.equal(err.type, 'EspoCrmNotFound');
    assert.match(err.message, /not found/);
  });

  it('400 is a non-retryable EspoCrmBadRequest whose message carries X-Status-Reason', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    const err = await failure(() => client.update('CBeteiligte', id, { name: null }));
    assert.equal(err.type, 'EspoCrmBadRequest');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /PUT CBeteiligte\/[0-9a-f]{17}/);
    assert.match(err.message, /Field "name" must not be null/);
    const date = await failure(() => client.update('CBeteiligte', id, { dateOfBirth: '2001-01-05T00:00:00' }));
    assert.match(date.message, /dateOfBirth/);
  });

  it('403 (a page over the limit) is a non-retryable EspoCrmForbidden', async () => {
    const err = await failure(() => client.list('Task', { maxSize: 201 }));
    assert.equal(err.type, 'EspoCrmForbidden');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /Max size should not exceed 200/);
  });

  it('401 (wrong API key) is EspoCrmUnauthorized and stays retryable', async () => {
    // Deliberately retryable: the key is static, so a 401 means the hub is misconfigured or the
    // key was rotated. Failing for good would also fail the write of `failed` (it needs the same
    // key) and strand entities; retrying with backoff lets every pending sync finish by itself
    // once operators fix the key, while the Web UI shows the activity failing as EspoCrmUnauthorized.
    const err = await failure(() => clientWith({ apiKey: 'wrong' }).get('CBeteiligte', 'x'));
    assert.equal(err.type, 'EspoCrmUnauthorized');
    assert.equal(err.nonRetryable, false);
    assert.ok(!err.message.includes(API_KEY), 'the key never lands in a workflow history');
  });

  it('500 and 503 are retryable EspoCrmServerError, and the next call succeeds', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    for (const status of [500, 503]) {
      sim.faults.add({ method: 'GET', path: '^/api/v1/CBeteiligte/', status, times: 1 });
      const err = await failure(() => client.get('CBeteiligte', id));
      assert.equal(err.type, 'EspoCrmServerError');
      assert.equal(err.nonRetryable, false);
      assert.equal(failureDetails(err)?.status, status);
      assert.equal((await client.get('CBeteiligte', id)).id, id);
    }
    sim.faults.add({ method: 'PUT', status: 429, times: 1 });
    const limited = await failure(() => client.update('CBeteiligte', id, { lastName: 'X' }));
    assert.equal(limited.type, 'EspoCrmRateLimited');
    assert.equal(limited.nonRetryable, false);
  });

  it('a slow answer is a retryable EspoCrmTimeout, an unreachable CRM a retryable EspoCrmUnavailable', async () => {
    sim.faults.add({ method: 'GET', latencyMs: 500, times: 1 });
    const slow = await failure(() => clientWith({ timeoutMs: 100 }).list('Task'));
    assert.equal(slow.type, 'EspoCrmTimeout');
    assert.equal(slow.nonRetryable, false);

    const port = await closedPort();
    const down = await failure(() => clientWith({ baseUrl: `http://127.0.0.1:${port}/api/v1` }).get('Task', 'x'));
    assert.equal(down.type, 'EspoCrmUnavailable');
    assert.equal(down.nonRetryable, false);
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
