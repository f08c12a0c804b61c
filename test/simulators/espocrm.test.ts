import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { demoSeed as advowareDemoSeed } from '../../simulators/advoware/seed.js';
import { DEMO_ADMIN_USER_ID, DEMO_IDS, demoSeed, EspoCrmSimulator, SYNC_METADATA_FIELDS } from '../../simulators/espocrm/simulator.js';

const API_KEY = 'test-api-key';
const START = Date.parse('2025-01-10T08:00:00.000Z');
let clockMs = START;
const tick = (seconds = 1): void => {
  clockMs += seconds * 1000;
};

const sim = new EspoCrmSimulator({
  apiKey: API_KEY,
  webhookBatchDelayMs: 30,
  webhookRetryDelaysMs: [10, 20],
  now: () => new Date(clockMs),
});
let base = '';

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function api(method: string, path: string, body?: unknown, apiKey: string | null = API_KEY): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (apiKey !== null) headers['X-Api-Key'] = apiKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

type Row = Record<string, unknown>;
const asRow = (v: unknown): Row => v as Row;
const asList = (v: unknown): { total: number; list: Row[] } => v as { total: number; list: Row[] };

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  items: Row[];
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A webhook endpoint that answers with `statuses` in turn, then 200. */
async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, items: JSON.parse(raw) as Row[] });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks EspoCRM's signature by taking it apart, not by re-running the simulator's code. */
function verifySignature(signature: string | string[] | undefined, raw: string, webhookId: string, secretKey: string): boolean {
  if (typeof signature !== 'string') return false;
  const decoded = Buffer.from(signature, 'base64');
  const prefix = Buffer.from(`${webhookId}:`);
  if (!decoded.subarray(0, prefix.length).equals(prefix)) return false;
  const mac = decoded.subarray(prefix.length);
  const expected = createHmac('sha256', secretKey).update(raw, 'utf8').digest();
  return mac.length === expected.length && timingSafeEqual(mac, expected);
}

const person = (extra: Row = {}): Row => ({
  firstName: 'Anna',
  lastName: 'Schmidt',
  salutationName: 'Frau',
  dateOfBirth: '1985-03-14',
  emailAddressData: [{ emailAddress: 'anna@example.de', primary: true }],
  phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }],
  ...extra,
});

/** Puts an entity into the state after a successful sync, the way the hub would. */
function markClean(id: string): void {
  sim.userUpdate('CBeteiligte', id, { betnr: 1001, advowareRowId: 'row-1', syncStatus: 'clean' });
}

before(async () => {
  base = await sim.start();
});
after(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.reset();
  clockMs = START;
});

describe('EspoCRM simulator: REST API', () => {
  it('answers 401 without or with a wrong API key, for reads and writes alike', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    const missing = await api('GET', '/api/v1/CBeteiligte', undefined, null);
    assert.equal(missing.status, 401);
    assert.ok(missing.headers.get('x-status-reason'));
    assert.equal((await api('GET', '/api/v1/CBeteiligte', undefined, 'wrong')).status, 401);
    assert.equal((await api('POST', '/api/v1/CBeteiligte', person(), 'wrong')).status, 401);
    assert.equal((await api('PUT', `/api/v1/CBeteiligte/${id}`, { lastName: 'X' }, 'wrong')).status, 401);
    assert.equal((await api('DELETE', `/api/v1/CBeteiligte/${id}`, undefined, 'wrong')).status, 401);
    assert.equal(sim.getRecord('CBeteiligte', id)?.lastName, 'Schmidt', 'a refused write changes nothing');
    assert.equal((await api('GET', '/api/v1/CBeteiligte')).status, 200);
  });

  it('creates, reads, partially updates and soft-deletes', async () => {
    const created = await api('POST', '/api/v1/CBeteiligte', person());
    assert.equal(created.status, 200);
    const entity = asRow(created.body);
    const id = String(entity.id);
    assert.match(id, /^[0-9a-f]{17}$/);
    assert.equal(entity.createdAt, '2025-01-10 08:00:00');
    assert.equal(entity.modifiedAt, '2025-01-10 08:00:00');
    assert.equal(entity.name, 'Anna Schmidt');

    const read = await api('GET', `/api/v1/CBeteiligte/${id}`);
    assert.deepEqual(read.body, entity);

    tick(5);
    const updated = await api('PUT', `/api/v1/CBeteiligte/${id}`, { lastName: 'Schmitt' });
    assert.equal(updated.status, 200);
    const full = asRow(updated.body);
    assert.equal(full.lastName, 'Schmitt');
    assert.equal(full.firstName, 'Anna', 'a PUT is partial and answers the whole entity');
    assert.equal(full.createdAt, '2025-01-10 08:00:00');
    assert.equal(full.modifiedAt, '2025-01-10 08:00:05');

    const deleted = await api('DELETE', `/api/v1/CBeteiligte/${id}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body, true);
    assert.equal((await api('GET', `/api/v1/CBeteiligte/${id}`)).status, 404);
    assert.equal((await api('PUT', `/api/v1/CBeteiligte/${id}`, { lastName: 'x' })).status, 404);
    assert.equal((await api('DELETE', `/api/v1/CBeteiligte/${id}`)).status, 404);
    assert.equal(asList((await api('GET', '/api/v1/CBeteiligte')).body).total, 0);
  });

  it('answers 404 for unknown entity types and ids', async () => {
    const unknownType = await api('GET', '/api/v1/Account/abc');
    assert.equal(unknownType.status, 404);
    assert.ok(typeof asRow(unknownType.body).message === 'string');
    assert.equal((await api('POST', '/api/v1/Account', {})).status, 404);
    assert.equal((await api('GET', '/api/v1/CBeteiligte/00000000000000000')).status, 404);
  });

  it('rejects nulls EspoCRM rejects, bad dates, phone types and statuses with 400', async () => {
    const bad: Row[] = [
      { dateOfBirth: null },
      { salutationName: null },
      { rechtsform: null },
      { emailAddressData: null },
      { phoneNumberData: null },
      { dateOfBirth: '2001-01-05T00:00:00' },
      { phoneNumberData: [{ phoneNumber: '+49 30 1', type: 'Pager', primary: true }] },
      { syncStatus: 'done' },
    ];
    for (const patch of bad) {
      const res = await api('POST', '/api/v1/CBeteiligte', person(patch));
      assert.equal(res.status, 400, JSON.stringify(patch));
      assert.ok(res.headers.get('x-status-reason'));
      assert.equal(typeof asRow(res.body).message, 'string');
    }
    const id = sim.userCreate('CBeteiligte', person()).id;
    const res = await api('PUT', `/api/v1/CBeteiligte/${id}`, { dateOfBirth: null });
    assert.equal(res.status, 400);
    assert.equal(sim.getRecord('CBeteiligte', id)?.dateOfBirth, '1985-03-14', 'a rejected write changes nothing');
  });

  it('rejects null for the required name, naming it in X-Status-Reason', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    const before = sim.getRecord('CBeteiligte', id);
    tick();
    const res = await api('PUT', `/api/v1/CBeteiligte/${id}`, { name: null });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('x-status-reason') ?? '', /name/);
    assert.deepEqual(sim.getRecord('CBeteiligte', id), before, 'not even modifiedAt moves');

    const task = await api('POST', '/api/v1/Task', { description: 'no name' });
    assert.equal(task.status, 400);
    assert.match(task.headers.get('x-status-reason') ?? '', /"name" is required/);
    const nameless = await api('POST', '/api/v1/CBeteiligte', { firstName: null, lastName: null, firmenname: null });
    assert.equal(nameless.status, 400, 'a Beteiligte needs a name, a person or a company one');
    assert.equal(asList((await api('GET', '/api/v1/CBeteiligte')).body).total, 1);
  });

  it('keeps persons and companies apart: name derives from the parts or the firmenname', async () => {
    const company = asRow((await api('POST', '/api/v1/CBeteiligte', { firmenname: 'Berger GmbH', rechtsform: 'GmbH' })).body);
    assert.equal(company.name, 'Berger GmbH');
    const upd = asRow((await api('PUT', `/api/v1/CBeteiligte/${String(company.id)}`, { firmenname: 'Berger AG' })).body);
    assert.equal(upd.name, 'Berger AG');
  });

  it('mirrors the primary e-mail address and phone number into emailAddress/phoneNumber, as EspoCRM does', async () => {
    const created = asRow(
      (
        await api('POST', '/api/v1/CBeteiligte', {
          firstName: 'Anna',
          lastName: 'Schmidt',
          emailAddressData: [
            { emailAddress: 'a@privat.de', primary: false },
            { emailAddress: 'a@kanzlei.de', primary: true },
          ],
          phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: false }],
        })
      ).body,
    );
    assert.equal(created.emailAddress, 'a@kanzlei.de', 'the primary one');
    assert.equal(created.phoneNumber, '+49 30 1234567', 'the first one when none is primary');
    const id = String(created.id);
    const moved = asRow((await api('PUT', `/api/v1/CBeteiligte/${id}`, { emailAddressData: [{ emailAddress: 'a@privat.de', primary: true }] })).body);
    assert.equal(moved.emailAddress, 'a@privat.de');
    const cleared = asRow((await api('PUT', `/api/v1/CBeteiligte/${id}`, { phoneNumberData: [] })).body);
    assert.equal(cleared.phoneNumber, null);
    // A web form sets only the plain field: the list is created from it.
    const lead = asRow((await api('POST', '/api/v1/Lead', { lastName: 'Form', emailAddress: 'form@example.de' })).body);
    assert.deepEqual(lead.emailAddressData, [{ emailAddress: 'form@example.de', primary: true }]);
  });

  it('stores and lists notifications', async () => {
    const body = { type: 'Message', userId: 'u1', message: 'Konflikt', relatedType: 'CBeteiligte', relatedId: 'x' };
    const created = await api('POST', '/api/v1/Notification', body);
    assert.equal(created.status, 200);
    await api('POST', '/api/v1/Notification', { ...body, userId: 'u2', message: 'Gelöscht' });
    const list = asList((await api('GET', '/api/v1/Notification?where[0][type]=equals&where[0][attribute]=userId&where[0][value]=u1')).body);
    assert.equal(list.total, 1);
    assert.equal(list.list[0]?.message, 'Konflikt');
    assert.deepEqual(
      sim.notifications().map((n) => n.message),
      ['Konflikt', 'Gelöscht'],
    );
    assert.deepEqual(
      sim.notifications('u2').map((n) => n.message),
      ['Gelöscht'],
    );
    const viaAdmin = (await (await fetch(`${base}/__admin/notifications?userId=u1`)).json()) as Row[];
    assert.deepEqual(
      viaAdmin.map((n) => n.relatedType),
      ['CBeteiligte'],
    );
    assert.equal((await api('POST', '/api/v1/Notification', { type: 'Message', message: 'to nobody' })).status, 400);
  });
});

describe('EspoCRM simulator: list queries', () => {
  it('filters with equals, notEquals, in, isNull, isNotNull, or and and', async () => {
    const a = sim.userCreate('CBeteiligte', person({ lastName: 'A', syncStatus: 'clean', betnr: 1 })).id;
    const b = sim.userCreate('CBeteiligte', person({ lastName: 'B', syncStatus: 'dirty', betnr: 2 })).id;
    const c = sim.userCreate('CBeteiligte', person({ lastName: 'C' })).id;
    const ids = async (query: string): Promise<string[]> => {
      const res = await api('GET', `/api/v1/CBeteiligte?${query}`);
      assert.equal(res.status, 200, query);
      return asList(res.body).list.map((r) => String(r.id));
    };
    assert.deepEqual(await ids('where[0][type]=equals&where[0][attribute]=syncStatus&where[0][value]=dirty'), [b]);
    assert.deepEqual(await ids('where[0][type]=equals&where[0][attribute]=betnr&where[0][value]=1'), [a]);
    assert.deepEqual(await ids('where[0][type]=notEquals&where[0][attribute]=syncStatus&where[0][value]=clean'), [b, c]);
    assert.deepEqual(await ids('where[0][type]=in&where[0][attribute]=syncStatus&where[0][value][]=pending_sync&where[0][value][]=dirty'), [b, c]);
    // The indexed form qs and the hub's client produce.
    assert.deepEqual(await ids('where[0][type]=in&where[0][attribute]=betnr&where[0][value][0]=1&where[0][value][1]=2'), [a, b]);
    assert.deepEqual(
      await ids('where[0][type]=isNotNull&where[0][attribute]=betnr&where[1][type]=notEquals&where[1][attribute]=syncStatus&where[1][value]=clean'),
      [b],
      'top-level clauses are and-ed',
    );
    assert.deepEqual(await ids('where[0][type]=isNull&where[0][attribute]=betnr'), [c]);
    assert.deepEqual(await ids('where[0][type]=isNotNull&where[0][attribute]=betnr'), [a, b]);
    const or =
      'where[0][type]=or' +
      '&where[0][value][0][type]=equals&where[0][value][0][attribute]=syncStatus&where[0][value][0][value]=pending_sync' +
      '&where[0][value][1][type]=and' +
      '&where[0][value][1][value][0][type]=equals&where[0][value][1][value][0][attribute]=syncStatus&where[0][value][1][value][0][value]=clean' +
      '&where[0][value][1][value][1][type]=isNotNull&where[0][value][1][value][1][attribute]=betnr';
    assert.deepEqual(await ids(or), [a, c]);
    assert.equal((await api('GET', '/api/v1/CBeteiligte?where[0][type]=fuzzy&where[0][attribute]=x')).status, 400);
  });

  it('filters datetimes with before and after', async () => {
    const early = sim.userCreate('CBeteiligte', person()).id;
    tick(3600);
    const late = sim.userCreate('CBeteiligte', person()).id;
    const q = (type: string, value: string): string =>
      `/api/v1/CBeteiligte?where[0][type]=${type}&where[0][attribute]=createdAt&where[0][value]=${encodeURIComponent(value)}`;
    assert.deepEqual(
      asList((await api('GET', q('before', '2025-01-10 08:30:00'))).body).list.map((r) => r.id),
      [early],
    );
    assert.deepEqual(
      asList((await api('GET', q('after', '2025-01-10 08:30:00'))).body).list.map((r) => r.id),
      [late],
    );
    assert.equal(asList((await api('GET', q('after', '2025-01-10 09:00:00'))).body).total, 0, 'after is strict');
  });

  it('pages through more than 200 entities with offset; maxSize defaults to 200 and is capped there', async () => {
    for (let i = 0; i < 250; i += 1) sim.userCreate('Task', { name: `Task ${String(i).padStart(3, '0')}` });
    const first = asList((await api('GET', '/api/v1/Task?maxSize=200&offset=0')).body);
    assert.equal(first.total, 250);
    assert.equal(first.list.length, 200);
    const second = asList((await api('GET', '/api/v1/Task?maxSize=200&offset=200')).body);
    assert.equal(second.total, 250);
    assert.equal(second.list.length, 50);
    const seen = new Set([...first.list, ...second.list].map((r) => r.id));
    assert.equal(seen.size, 250, 'pages neither overlap nor skip');
    assert.equal(asList((await api('GET', '/api/v1/Task')).body).list.length, 200);
    const tooBig = await api('GET', '/api/v1/Task?maxSize=201');
    assert.equal(tooBig.status, 403, 'EspoCRM refuses a larger page as Forbidden');
    assert.match(tooBig.headers.get('x-status-reason') ?? '', /200/);
    assert.equal((await api('GET', '/api/v1/Task?maxSize=ten')).status, 400);

    const sorted = asList((await api('GET', '/api/v1/Task?orderBy=name&order=desc&maxSize=2&select=name')).body);
    assert.deepEqual(sorted.list, [
      { id: sorted.list[0]?.id, name: 'Task 249' },
      { id: sorted.list[1]?.id, name: 'Task 248' },
    ]);
    const page = asList((await api('GET', '/api/v1/Task?orderBy=name&order=asc&maxSize=3&offset=10')).body);
    assert.deepEqual(
      page.list.map((r) => r.name),
      ['Task 010', 'Task 011', 'Task 012'],
    );
  });

  it('orders by modifiedAt, which every write moves', async () => {
    const first = sim.userCreate('CBeteiligte', person({ lastName: 'Erst' })).id;
    tick();
    const second = sim.userCreate('CBeteiligte', person({ lastName: 'Zweit' })).id;
    const order = async (): Promise<unknown[]> =>
      asList((await api('GET', '/api/v1/CBeteiligte?orderBy=modifiedAt&order=desc')).body).list.map((r) => r.id);
    assert.deepEqual(await order(), [second, first]);
    tick();
    await api('PUT', `/api/v1/CBeteiligte/${first}`, { syncRetryCount: 1 });
    assert.deepEqual(await order(), [first, second]);
  });
});

describe('EspoCRM simulator: hooks and modifiedAt', () => {
  it('gives a new CBeteiligte pending_sync unless the create sets a status', async () => {
    assert.equal(asRow((await api('POST', '/api/v1/CBeteiligte', person())).body).syncStatus, 'pending_sync');
    assert.equal(sim.userCreate('CBankverbindungen', { iban: 'DE02120300000000202051' }).syncStatus, 'pending_sync');
    assert.equal(sim.userCreate('CBeteiligte', person({ syncStatus: 'clean' })).syncStatus, 'clean');
    assert.equal(sim.userCreate('Lead', { lastName: 'X' }).syncStatus, undefined, 'no hook on Lead');
  });

  it('keeps one list of sync metadata fields', () => {
    assert.deepEqual([...SYNC_METADATA_FIELDS].sort(), [
      'adressenEspoHash',
      'adressenReported',
      'advowareDeletedAt',
      'advowareId',
      'advowareLastSync',
      'advowareRowId',
      'bankverbindungHash',
      'betnr',
      'kommunikationEspoHash',
      'kommunikationHash',
      'stammdatenHash',
      'syncAutoResetAt',
      'syncErrorMessage',
      'syncNextRetry',
      'syncRetryCount',
      'syncStatus',
    ]);
  });

  it('bumps modifiedAt on a metadata-only write, without marking dirty', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    markClean(id);
    tick(2);
    const res = await api('PUT', `/api/v1/CBeteiligte/${id}`, { stammdatenHash: 'abc', advowareLastSync: '2025-01-10 08:00:02' });
    const row = asRow(res.body);
    assert.equal(row.modifiedAt, '2025-01-10 08:00:02');
    assert.equal(row.syncStatus, 'clean');
    clockMs += 400;
    const again = asRow((await api('PUT', `/api/v1/CBeteiligte/${id}`, { syncRetryCount: 0 })).body);
    assert.equal(again.modifiedAt, '2025-01-10 08:00:02', 'one-second resolution');
    clockMs += 600;
    const later = asRow((await api('PUT', `/api/v1/CBeteiligte/${id}`, {})).body);
    assert.equal(later.modifiedAt, '2025-01-10 08:00:03', 'even an empty write counts');
  });

  it('marks a clean entity dirty when the API changes a sync-relevant field', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    markClean(id);
    const res = await api('PUT', `/api/v1/CBeteiligte/${id}`, {
      phoneNumberData: [{ phoneNumber: '+49 30 999', type: 'Mobile', primary: true }],
    });
    assert.equal(asRow(res.body).syncStatus, 'dirty');
  });

  it('marks a clean entity dirty on a user edit, not on metadata or no-op writes', () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    markClean(id);
    sim.userUpdate('CBeteiligte', id, { lastName: 'Schmidt' });
    assert.equal(sim.getRecord('CBeteiligte', id)?.syncStatus, 'clean', 'same value is no change');
    sim.userUpdate('CBeteiligte', id, { kommunikationHash: 'h1', syncRetryCount: 0 });
    assert.equal(sim.getRecord('CBeteiligte', id)?.syncStatus, 'clean');
    sim.userUpdate('CBeteiligte', id, { lastName: 'Schmitt', syncStatus: 'clean' });
    assert.equal(sim.getRecord('CBeteiligte', id)?.syncStatus, 'clean', 'a write that sets the status itself wins');
    sim.userUpdate('CBeteiligte', id, { dateOfBirth: '1985-03-15' });
    assert.equal(sim.getRecord('CBeteiligte', id)?.syncStatus, 'dirty');

    const pending = sim.userCreate('CBeteiligte', person()).id;
    sim.userUpdate('CBeteiligte', pending, { lastName: 'Neu' });
    assert.equal(sim.getRecord('CBeteiligte', pending)?.syncStatus, 'pending_sync', 'only clean becomes dirty');
    assert.ok(SYNC_METADATA_FIELDS.includes('stammdatenHash'));
  });

  it('lets an admin POST, PATCH and DELETE act as a CRM user', async () => {
    const created = await fetch(`${base}/__admin/entities/CBeteiligte`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(person()),
    });
    assert.equal(created.status, 200);
    const createdId = String(asRow(await created.json()).id);
    assert.equal(sim.getRecord('CBeteiligte', createdId)?.syncStatus, 'pending_sync');
    assert.equal((await fetch(`${base}/__admin/entities/CBeteiligte/${createdId}`, { method: 'DELETE' })).status, 200);
    assert.equal(sim.getRecord('CBeteiligte', createdId), undefined);
    assert.equal(sim.calls.count(), 0, 'admin calls are not counted');
  });

  it('lets an admin PATCH act as a CRM user', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    markClean(id);
    const res = await fetch(`${base}/__admin/entities/CBeteiligte/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ firstName: 'Annette' }),
    });
    assert.equal(res.status, 200);
    assert.equal(sim.getRecord('CBeteiligte', id)?.syncStatus, 'dirty');
    assert.equal(sim.calls.count(/^PATCH/), 0, 'admin calls are not counted');
  });
});

describe('EspoCRM simulator: webhooks', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('delivers one signed JSON array per batch', async () => {
    const reg = await api('POST', '/api/v1/Webhook', { event: 'CBeteiligte.create', url: receiver.url });
    assert.equal(reg.status, 200);
    const hook = asRow(reg.body);
    assert.equal(typeof hook.secretKey, 'string');
    const first = await api('POST', '/api/v1/CBeteiligte', person({ lastName: 'Eins' }));
    sim.userCreate('CBeteiligte', person({ lastName: 'Zwei' }));
    sim.userCreate('CBeteiligte', person({ lastName: 'Drei' }));
    await sim.flushWebhooks();

    assert.equal(receiver.received.length, 1);
    const batch = receiver.received[0];
    assert.ok(batch);
    assert.equal(batch.headers['content-type'], 'application/json');
    assert.ok(verifySignature(batch.headers['x-signature'], batch.raw, String(hook.id), String(hook.secretKey)));
    assert.ok(!verifySignature(batch.headers['x-signature'], batch.raw, String(hook.id), 'other-secret'));
    assert.deepEqual(
      batch.items.map((i) => i.lastName),
      ['Eins', 'Zwei', 'Drei'],
    );
    assert.deepEqual(batch.items[0], first.body, 'create items carry all attributes');
    assert.equal(sim.webhookDeliveries[0]?.status, 'delivered');
    assert.equal(sim.webhookDeliveries[0]?.ids.length, 3);
  });

  it('sends batches on its own after the batch delay', async () => {
    sim.registerWebhook('CBeteiligte.create', receiver.url);
    sim.userCreate('CBeteiligte', person());
    sim.userCreate('CBeteiligte', person());
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.items.length, 2);
  });

  it('sends update items with id and changed attributes only; delete items with id', async () => {
    const { id: hookId, secretKey } = sim.registerWebhook('CBeteiligte.update', receiver.url);
    sim.registerWebhook('CBeteiligte.delete', receiver.url);
    const id = sim.userCreate('CBeteiligte', person()).id;
    tick();
    sim.userUpdate('CBeteiligte', id, { lastName: 'Neu' });
    await sim.flushWebhooks();
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(receiver.received[0]?.items, [{ id, lastName: 'Neu', name: 'Anna Neu' }]);
    const raw = receiver.received[0]?.raw ?? '';
    assert.ok(verifySignature(receiver.received[0]?.headers['x-signature'], raw, hookId, secretKey));

    markClean(id);
    sim.userUpdate('CBeteiligte', id, { firstName: 'Annette' });
    await sim.flushWebhooks();
    assert.deepEqual(receiver.received[1]?.items, [{ id, firstName: 'Annette', name: 'Annette Neu', syncStatus: 'dirty' }]);

    await api('DELETE', `/api/v1/CBeteiligte/${id}`);
    await sim.flushWebhooks();
    assert.deepEqual(receiver.received[2]?.items, [{ id }]);
  });

  it('sends an update item when the e-mail or phone list changes, with the mirrored primary value', async () => {
    sim.registerWebhook('CBeteiligte.update', receiver.url);
    const id = sim.userCreate('CBeteiligte', { ...person(), phoneNumberData: [{ phoneNumber: '+49 30 1234567', type: 'Office', primary: true }] }).id;
    markClean(id);
    const phoneNumberData = [{ phoneNumber: '0170 1234567', type: 'Mobile', primary: true }];
    sim.userUpdate('CBeteiligte', id, { phoneNumberData });
    await sim.flushWebhooks();
    assert.deepEqual(receiver.received[0]?.items, [{ id, phoneNumberData, phoneNumber: '0170 1234567', syncStatus: 'dirty' }]);
  });

  it('sends nothing for metadata-only or no-op updates', async () => {
    sim.registerWebhook('CBeteiligte.update', receiver.url);
    const id = sim.userCreate('CBeteiligte', person()).id;
    tick();
    const res = await api('PUT', `/api/v1/CBeteiligte/${id}`, { betnr: 4711, advowareRowId: 'r1', syncStatus: 'clean', stammdatenHash: 'h' });
    assert.equal(res.status, 200);
    assert.equal(asRow(res.body).modifiedAt, '2025-01-10 08:00:01', 'the write itself happened');
    tick();
    const everyField = {
      betnr: 4712,
      advowareRowId: 'r2',
      syncStatus: 'failed',
      advowareLastSync: '2025-01-10 08:00:02',
      advowareDeletedAt: '2025-01-10 08:00:02',
      syncErrorMessage: 'boom',
      syncRetryCount: 1,
      syncNextRetry: '2025-01-10 08:01:02',
      syncAutoResetAt: '2025-01-11 08:00:02',
      kommunikationHash: 'k',
      kommunikationEspoHash: 'e',
      stammdatenHash: 's',
      advowareId: 7,
      bankverbindungHash: 'b',
      adressenEspoHash: 'a',
      adressenReported: 'r',
    };
    assert.deepEqual(Object.keys(everyField).sort(), [...SYNC_METADATA_FIELDS].sort());
    assert.equal((await api('PUT', `/api/v1/CBeteiligte/${id}`, everyField)).status, 200);
    sim.userUpdate('CBeteiligte', id, { syncStatus: 'clean', syncErrorMessage: '' });
    tick();
    await api('PUT', `/api/v1/CBeteiligte/${id}`, { firstName: 'Anna' });
    await sim.flushWebhooks();
    assert.equal(receiver.received.length, 0);
    assert.equal(sim.webhookDeliveries.length, 0);

    // The same hook does fire once a real field changes along with metadata.
    await api('PUT', `/api/v1/CBeteiligte/${id}`, { firstName: 'Anne', syncStatus: 'clean' });
    await sim.flushWebhooks();
    assert.deepEqual(receiver.received[0]?.items, [{ id, firstName: 'Anne', name: 'Anne Schmidt' }]);
  });

  it('signs every event of one id with one secret, so the hub verifies all with its single config', async () => {
    const shared = new EspoCrmSimulator({
      apiKey: 'k',
      webhookBatchDelayMs: 10,
      webhookId: 'hub-webhook',
      webhookSecret: 'hub-secret',
    });
    shared.registerWebhook('CBeteiligte.create', receiver.url);
    shared.registerWebhook('CBeteiligte.update', receiver.url);
    assert.equal(shared.listWebhooks().length, 2);
    const id = shared.userCreate('CBeteiligte', person()).id;
    shared.userUpdate('CBeteiligte', id, { lastName: 'Neu' });
    await shared.flushWebhooks();
    assert.equal(receiver.received.length, 2);
    for (const batch of receiver.received) {
      assert.ok(verifySignature(batch.headers['x-signature'], batch.raw, 'hub-webhook', 'hub-secret'));
    }
    assert.equal(shared.unregisterWebhook('hub-webhook'), true);
    assert.equal(shared.listWebhooks().length, 0);
  });

  it('takes webhook targets over the admin API and moves them on re-registration', async () => {
    const other = await startReceiver();
    try {
      const admin = async (body: Row): Promise<Row> => {
        const res = await fetch(`${base}/__admin/webhooks`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200);
        return asRow(await res.json());
      };
      const hook = await admin({ event: 'Lead.create', url: receiver.url, id: 'lead-hook', secretKey: 's3cret' });
      assert.equal(hook.id, 'lead-hook');
      sim.userCreate('Lead', { lastName: 'Eins' });
      await sim.flushWebhooks();
      await admin({ event: 'Lead.create', url: other.url, id: 'lead-hook' });
      assert.equal(sim.listWebhooks().length, 1);
      sim.userCreate('Lead', { lastName: 'Zwei' });
      await sim.flushWebhooks();
      assert.deepEqual(
        receiver.received.map((b) => b.items[0]?.lastName),
        ['Eins'],
      );
      assert.deepEqual(
        other.received.map((b) => b.items[0]?.lastName),
        ['Zwei'],
      );
      assert.ok(verifySignature(other.received[0]?.headers['x-signature'], other.received[0]?.raw ?? '', 'lead-hook', 's3cret'));
      const bad = await fetch(`${base}/__admin/webhooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: 'Lead.touch', url: receiver.url }),
      });
      assert.equal(bad.status, 400);
    } finally {
      await other.close();
    }
  });

  it('sends a full batch at once, without waiting for the delay', async () => {
    const eager = new EspoCrmSimulator({ apiKey: 'k', webhookBatchDelayMs: 60_000, webhookMaxBatchSize: 3 });
    try {
      eager.registerWebhook('Task.create', receiver.url);
      for (let i = 0; i < 7; i += 1) eager.userCreate('Task', { name: `T${i}` });
      for (let i = 0; i < 50 && receiver.received.length < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(
        receiver.received.map((b) => b.items.length),
        [3, 3],
      );
      assert.equal(eager.webhookStats().pendingItems, 1);
      await eager.flushWebhooks();
      assert.deepEqual(
        receiver.received.map((b) => b.items.length),
        [3, 3, 1],
      );
    } finally {
      await eager.stop();
    }
  });

  it('retries a failed delivery, then records it as failed', async () => {
    const flaky = await startReceiver([500, 503]);
    const down = await startReceiver([500, 500, 500, 500]);
    try {
      sim.registerWebhook('Lead.create', flaky.url);
      sim.registerWebhook('Call.create', down.url);
      sim.registerWebhook('Task.create', 'http://127.0.0.1:1/unreachable');
      sim.userCreate('Lead', { lastName: 'L' });
      sim.userCreate('Call', { name: 'C' });
      sim.userCreate('Task', { name: 'T' });
      await sim.flushWebhooks();
      const byEvent = new Map(sim.webhookDeliveries.map((d) => [d.event, d]));
      assert.equal(byEvent.get('Lead.create')?.status, 'delivered');
      assert.equal(byEvent.get('Lead.create')?.attempts, 3);
      assert.equal(flaky.received.length, 3);
      assert.equal(byEvent.get('Call.create')?.status, 'failed');
      assert.equal(byEvent.get('Call.create')?.httpStatus, 500);
      assert.equal(byEvent.get('Call.create')?.attempts, 3);
      assert.equal(byEvent.get('Task.create')?.status, 'failed');
      assert.equal(byEvent.get('Task.create')?.httpStatus, null);
      assert.deepEqual(sim.webhookStats(), { delivered: 1, failed: 2, pendingItems: 0, inFlight: 0 });
      const viaAdmin = (await (await fetch(`${base}/__admin/webhook-stats`)).json()) as Row;
      assert.equal(viaAdmin.failed, 2);
    } finally {
      await flaky.close();
      await down.close();
    }
  });

  it('cancels pending batches on stop', async () => {
    const other = new EspoCrmSimulator({ apiKey: 'k', webhookBatchDelayMs: 20 });
    await other.start();
    other.registerWebhook('Lead.create', receiver.url);
    other.userCreate('Lead', { lastName: 'X' });
    await other.stop();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(receiver.received.length, 0);
  });
});

describe('EspoCRM simulator: counters, faults, seed', () => {
  it('counts API calls per route, not in-process writes', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    await api('GET', `/api/v1/CBeteiligte/${id}`);
    await api('GET', `/api/v1/CBeteiligte/${id}`);
    await api('PUT', `/api/v1/CBeteiligte/${id}`, { syncStatus: 'clean' });
    await api('GET', '/api/v1/CBeteiligte?maxSize=5');
    assert.equal(sim.calls.count('GET /api/v1/:entityType/:id'), 2);
    assert.equal(sim.calls.count('PUT /api/v1/:entityType/:id'), 1);
    assert.equal(sim.calls.count('GET /api/v1/:entityType'), 1);
    assert.equal(sim.calls.count('POST /api/v1/:entityType'), 0);
    assert.equal(sim.calls.count(), 4);
  });

  it('answers an injected 503 fault, then recovers', async () => {
    const id = sim.userCreate('CBeteiligte', person()).id;
    sim.faults.add({ method: 'GET', path: '^/api/v1/CBeteiligte/', status: 503, times: 1 });
    assert.equal((await api('GET', `/api/v1/CBeteiligte/${id}`)).status, 503);
    assert.equal((await api('GET', `/api/v1/CBeteiligte/${id}`)).status, 200);
    // A faulted call never reaches a route handler, so the base class logs it under its path.
    assert.equal(sim.calls.filter().filter((c) => c.faulted && c.status === 503).length, 1);
    assert.equal(sim.calls.count('GET /api/v1/:entityType/:id'), 1);
  });

  it('loads the demo seed: new Beteiligte, and Beteiligte linked to the Advoware demo seed', () => {
    const demo = new EspoCrmSimulator({ apiKey: 'k', seed: demoSeed() });
    const { list } = demo.listRecords('CBeteiligte');
    assert.ok(list.length >= 4);
    const fresh = list.filter((r) => r.betnr === undefined);
    assert.ok(fresh.length >= 2);
    for (const row of fresh) assert.equal(row.syncStatus, 'pending_sync');
    assert.ok(list.some((r) => typeof r.firmenname === 'string' && typeof r.rechtsform === 'string' && r.lastName === null));
    assert.ok(list.some((r) => typeof r.assignedUserId === 'string'));
    assert.ok(
      list.some((r) => r.assignedUserId === undefined),
      'someone for the admin user to be notified about',
    );
    assert.equal(typeof DEMO_ADMIN_USER_ID, 'string');
    for (const row of list) {
      assert.ok(Array.isArray(row.emailAddressData) && Array.isArray(row.phoneNumberData));
    }

    const advoware = new Map(advowareDemoSeed().beteiligte.map((b) => [b.betNr, b]));
    const linked = list.filter((r) => r.betnr !== undefined);
    assert.ok(linked.length >= 2);
    for (const row of linked) {
      const beteiligte = advoware.get(Number(row.betnr));
      assert.ok(beteiligte, `betnr ${String(row.betnr)} exists in the Advoware demo seed`);
      assert.equal(typeof row.firmenname === 'string' ? row.firmenname : row.lastName, beteiligte.name);
      const advoValues = new Set((beteiligte.kommunikation ?? []).map((k) => k.tlf));
      const espoValues = [...(row.emailAddressData as Row[]).map((e) => e.emailAddress), ...(row.phoneNumberData as Row[]).map((p) => p.phoneNumber)];
      for (const value of espoValues) assert.ok(advoValues.has(String(value)), `${String(value)} is in Advoware too`);
    }
    const konto = demo.getRecord('CBankverbindungen', DEMO_IDS.annaSchmidtKonto);
    assert.equal(konto?.cBeteiligteId, DEMO_IDS.annaSchmidt);
    demo.userUpdate('CBeteiligte', String(list[0]?.id), { lastName: 'Geändert' });
    demo.reset();
    assert.notEqual(demo.listRecords('CBeteiligte').list[0]?.lastName, 'Geändert', 'reset restores the seed');
  });
});
