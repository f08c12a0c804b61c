import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Redis } from 'ioredis';
import type { ThreeCxGatewayDeps } from '../../api/routes/threecx-webhook';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { CallEventRequester } from '../../clients/temporal/call-events';
import { ThreeCxClient } from '../../clients/threecx/client';
import { callWorkflowId, outboundCallWorkflowId, type CallWorkflow, type CallWorkflowResult, type OutboundCallWorkflow } from '../../contracts/calls';
import { HubEntityId, HubEntityType, HubOutcome } from '../../contracts/search-attributes';
import { THREECX_SIGNATURE_HEADER } from '../../contracts/threecx';
import { beteiligteEntries } from '../../domain/caller-index/entries';
import { RedisTokenBucket } from '../../lib/rate-limiter';
import { signThreeCxBody } from '../../lib/threecx-signature';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { SANDBOX_ESPOCRM, SANDBOX_THREECX, threecxEnvFor } from '../../simulators/sandbox-credentials';
import { ThreeCxSimulator } from '../../simulators/threecx/simulator';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../support/gateway';
import { testDataConverter, testRedis } from '../support/services';
import { createTestWorker, type TestWorker } from '../support/worker';

const USER_ABC = 'u-abc';
const USER_DEF = 'u-def';
const MISSED_CALLS_USER = 'u-reception';
const STAFF_DIRECTORY = `${USER_ABC}=ABC/201,${USER_DEF}=DEF/202`;
const FIRM_NUMBER = '+4930999000';
/** 3CX's window in this test: wide enough for the tests' status polls, small enough to fill on purpose. */
const RATE_LIMIT = 40;
const RATE_WINDOW_MS = 4_000;

/** THREECX_CALL_START_DELAY_SECONDS's default, which no test waits out. */
const RING_DELAY_MS = 60_000;

type Record_ = Record<string, unknown>;
const EventType = temporal.api.enums.v1.EventType;

describe('3CX calls: webhook, screen pop, call workflow and outbound calls on the real Temporal server', () => {
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const threecx = new ThreeCxSimulator({
    apiKey: SANDBOX_THREECX.apiKey,
    webhookSecret: SANDBOX_THREECX.webhookSecret,
    rateLimit: RATE_LIMIT,
    rateWindowMs: RATE_WINDOW_MS,
  });
  let redis: Redis;
  let hub: TestWorker;
  let gateway: TestGateway;
  let callerIndex: CallerIndexStore;
  let threecxDeps: ThreeCxGatewayDeps;

  before(async () => {
    const [espocrmUrl, threecxUrl] = await Promise.all([espocrm.start(), threecx.start()]);
    redis = testRedis();
    callerIndex = new CallerIndexStore(redis);
    const threecxEnv = threecxEnvFor(threecxUrl);
    hub = await createTestWorker({
      urls: { espocrm: espocrmUrl },
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      // A limit of the test's own, so other test files' 3CX calls do not pace these.
      threecx: new ThreeCxClient({
        baseUrl: threecxEnv.THREECX_API_BASE_URL ?? '',
        apiKey: SANDBOX_THREECX.apiKey,
        timeoutMs: 5_000,
        limiter: new RedisTokenBucket(redis, { key: `test:threecx:${randomUUID()}`, ratePerMinute: 6_000, burst: 100 }),
      }),
      env: {
        ...threecxEnv,
        STAFF_DIRECTORY,
        THREECX_MISSED_CALL_USER_ID: MISSED_CALLS_USER,
        THREECX_CALL_START_WAIT_SECONDS: '2',
        THREECX_CALL_GRACE_SECONDS: '1',
        THREECX_STATUS_POLL_SECONDS: '1',
        THREECX_CALL_TIMEOUT_SECONDS: '5',
      },
    });
    threecxDeps = {
      webhookSecret: SANDBOX_THREECX.webhookSecret,
      apiConfigured: true,
      callerIndex,
      // As the gateway's default: every inbound call here starts delayed, and its next event starts it.
      callEvents: new CallEventRequester(hub.client, hub.taskQueue, 2_500, RING_DELAY_MS),
      staff: [
        { userId: USER_ABC, kuerzel: 'ABC', extension: '201' },
        { userId: USER_DEF, kuerzel: 'DEF', extension: '202' },
      ],
      espocrmSiteUrl: espocrmUrl,
    };
    gateway = await startTestGateway({
      advowareUrl: 'http://127.0.0.1:9',
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
      overrides: { threecx: threecxDeps },
    });
    threecx.setWebhookUrl(`${gateway.url}/3cx/webhook`);
  });
  after(async () => {
    await gateway?.close();
    await hub?.close();
    await Promise.all([espocrm.stop(), threecx.stop()]);
    redis?.disconnect();
  });
  beforeEach(() => {
    espocrm.reset();
    threecx.reset();
    threecx.setWebhookUrl(`${gateway.url}/3cx/webhook`);
  });

  /** A number no other test (or test file) uses: the caller index lives in the run's shared Redis. */
  const freshNumber = () => `+4930${randomInt(10_000_000, 99_999_999)}`;

  /** A party in EspoCRM with `number`, indexed as `phone-index:rebuild` would. */
  async function party(number: string, fields: Record_ = {}): Promise<string> {
    const record = espocrm.userCreate('CBeteiligte', {
      firstName: 'Max',
      lastName: `Mustermann ${randomInt(1000)}`,
      betnr: randomInt(100_000, 999_999),
      assignedUserId: USER_ABC,
      phoneNumberData: [{ phoneNumber: number, type: 'Office', primary: true }],
      ...fields,
    });
    await callerIndex.replaceParty(record.id, beteiligteEntries(record).entries);
    return record.id;
  }

  const callResult = (callId: string): Promise<CallWorkflowResult> =>
    hub.run(() => hub.client.workflow.getHandle<CallWorkflow>(callWorkflowId(callId)).result());
  const callsOf = (callId: string) => espocrm.listRecords('Call').list.filter((r) => r.threecxCallId === callId);
  const tasksOf = (callId: string) => espocrm.listRecords('Task').list.filter((r) => r.threecxCallId === callId);
  /** EspoCRM requests as `METHOD /path`, GETs left out. */
  const espoWrites = () =>
    espocrm.calls
      .filter()
      .filter((c) => c.method !== 'GET')
      .map((c) => `${c.method} ${c.path}`);
  const eventTypes = (history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>): string[] =>
    (history.events ?? []).map((e) => String(EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', ''));
  const oneCall = (callId: string): Record_ => {
    const calls = callsOf(callId);
    assert.equal(calls.length, 1, `exactly one Call for ${callId}`);
    return calls[0] as Record_;
  };

  /** POSTs one event to the gateway as 3CX would (signed), or with `headers` instead. */
  const postEvent = (event: unknown, headers?: Record<string, string>, url = gateway.url) => {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    return fetch(`${url}/3cx/webhook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(headers ?? { [THREECX_SIGNATURE_HEADER]: signThreeCxBody(SANDBOX_THREECX.webhookSecret, body) }),
      },
      body,
    });
  };
  const startedEvent = (callId: string, from: string, extension = '201') => ({
    event: 'call.started',
    call_id: callId,
    from,
    to: FIRM_NUMBER,
    extension,
    started_at: '2026-03-02T09:00:00.000Z',
  });
  const endedEvent = (callId: string, duration: number, outcome: 'answered' | 'missed') => ({
    event: 'call.ended',
    call_id: callId,
    duration,
    outcome,
  });

  describe('inbound calls', () => {
    it('calls ringing at once: every screen pop right, every call logged once with its party', async () => {
      const known = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const number = freshNumber();
          return { number, id: await party(number) };
        }),
      );
      const callers = [...known, ...Array.from({ length: 5 }, () => ({ number: freshNumber(), id: null }))];
      const calls = callers.map((caller) => ({ ...caller, callId: `burst-${randomUUID()}` }));

      const pops = await Promise.all(calls.map((c) => postEvent(startedEvent(c.callId, c.number))));
      const bodies = (await Promise.all(pops.map((res) => res.json()))) as Record_[];
      assert.deepEqual(
        pops.map((res) => res.status),
        calls.map(() => 200),
      );
      assert.deepEqual(
        bodies.map((body) => body.known),
        calls.map((c) => c.id !== null),
        'known callers pop up, unknown ones say so',
      );
      const ended = await Promise.all(calls.map((c) => postEvent(endedEvent(c.callId, 30, 'answered'))));
      assert.deepEqual(
        ended.map((res) => res.status),
        calls.map(() => 202),
      );

      for (const c of calls) {
        const result = await callResult(c.callId);
        assert.equal(result.status, 'Held');
        const call = oneCall(c.callId);
        assert.equal(call.parentId ?? null, c.id, `call ${c.callId} linked to its caller`);
      }
    });

    it('known caller: the screen pop names the party; one Held Call linked to it with the recording; last contact recorded', async () => {
      const number = freshNumber();
      const id = await party(number);
      const played = await threecx.playInboundCall({ from: number.replace('+49', '0'), to: FIRM_NUMBER, extension: '201', duration: 42 });
      const [pop, end] = played.deliveries;
      assert.equal(pop?.status, 200);
      const body = pop?.body as Record_;
      assert.equal(body.known, true);
      assert.equal(body.ambiguous, false);
      assert.equal(body.name, espocrm.getRecord('CBeteiligte', id)?.name);
      assert.equal(body.betNr, espocrm.getRecord('CBeteiligte', id)?.betnr);
      assert.equal(body.espocrmUrl, `${espocrm.url}/#CBeteiligte/view/${id}`);
      assert.deepEqual(body.assignedUser, { userId: USER_ABC, kuerzel: 'ABC', extension: '201' });
      assert.equal(body.lastContact, null);
      assert.equal(end?.status, 202);
      assert.deepEqual((end?.body as Record_).recorded, true);

      const result = await callResult(played.call_id);
      assert.equal(result.created, true);
      assert.equal(result.status, 'Held');
      assert.deepEqual(result.gaps, []);
      const call = oneCall(played.call_id);
      assert.equal(call.parentType, 'CBeteiligte');
      assert.equal(call.parentId, id);
      assert.equal(call.status, 'Held');
      assert.equal(call.direction, 'Inbound');
      assert.equal(call.duration, 42);
      assert.match(String(call.dateStart), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(call.assignedUserId, USER_ABC);
      assert.equal(call.recordingUrl, `${threecx.url}/api/v1/recordings/${played.call_id}.wav`);
      assert.equal(call.recordingDuration, 42);
      assert.equal(tasksOf(played.call_id).length, 0);
      assert.equal(threecx.calls.count('GET /api/v1/calls/:id/recording'), 1);
      assert.deepEqual(espoWrites(), ['POST /api/v1/Call'], 'one write');

      const description = await hub.client.workflow.getHandle(callWorkflowId(played.call_id)).describe();
      assert.equal(description.typedSearchAttributes.get(HubEntityType), 'Call');
      assert.equal(description.typedSearchAttributes.get(HubEntityId), played.call_id);
      assert.deepEqual(description.typedSearchAttributes.get(HubOutcome), 'held');

      // The next call from the number sees this one as the last contact.
      const again = await threecx.playInboundCall({ from: number, to: FIRM_NUMBER, extension: '201', answered: false });
      assert.equal((again.deliveries[0]?.body as Record_).lastContact, threecx.getCall(played.call_id)?.started_at);
      await callResult(again.call_id);
    });

    it('missed call of a known caller: one Not Held Call and one follow-up Task for the assigned user', async () => {
      const number = freshNumber();
      const id = await party(number, { assignedUserId: USER_DEF });
      const played = await threecx.playInboundCall({ from: number, to: FIRM_NUMBER, extension: '201', answered: false });
      const result = await callResult(played.call_id);
      assert.equal(result.status, 'Not Held');
      const call = oneCall(played.call_id);
      assert.equal(call.status, 'Not Held');
      assert.equal(call.duration, 0);
      assert.equal(call.recordingUrl, undefined);
      const tasks = tasksOf(played.call_id);
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0]?.assignedUserId, USER_DEF);
      assert.equal(tasks[0]?.parentId, id);
      assert.equal(tasks[0]?.status, 'Not Started');
      // Due an hour (the default) after the call started.
      const start = Date.parse(`${String(call.dateStart).replace(' ', 'T')}Z`);
      assert.equal(tasks[0]?.dateEnd, new Date(start + 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
      assert.equal(threecx.calls.count('GET /api/v1/calls/:id/recording'), 0, 'no recording, no request');
    });

    it('unknown caller: known false; the missed call is logged unlinked and its Task goes to the configured user', async () => {
      const played = await threecx.playInboundCall({ from: freshNumber(), to: FIRM_NUMBER, extension: '202', answered: false });
      const pop = played.deliveries[0]?.body as Record_;
      assert.equal(pop.known, false);
      assert.deepEqual(pop.matches, []);
      assert.equal(pop.name, null);
      await callResult(played.call_id);
      const call = oneCall(played.call_id);
      assert.equal(call.parentId, undefined);
      assert.equal(call.assignedUserId, USER_DEF, 'the user of the extension that rang');
      assert.equal(tasksOf(played.call_id)[0]?.assignedUserId, MISSED_CALLS_USER);
    });

    it('a number of several parties: all of them in the screen pop, never a guess; the Call names both, linked to none', async () => {
      const number = freshNumber();
      const a = await party(number);
      const b = await party(number, { firstName: 'Erika' });
      const played = await threecx.playInboundCall({ from: number, to: FIRM_NUMBER, extension: '201', duration: 10 });
      const pop = played.deliveries[0]?.body as Record_ & { matches: Record_[] };
      assert.equal(pop.known, true);
      assert.equal(pop.ambiguous, true);
      assert.equal(pop.name, null);
      assert.equal(pop.espocrmUrl, null);
      assert.deepEqual(pop.matches.map((m) => m.espoId).sort(), [a, b].sort());
      const result = await callResult(played.call_id);
      assert.deepEqual([...result.partyIds].sort(), [a, b].sort());
      const call = oneCall(played.call_id);
      assert.equal(call.parentId, undefined);
      for (const id of [a, b]) assert.match(String(call.description), new RegExp(id));
    });

    it('a transferred call: the Call has the new extension and user and a line saying so; a transfer after the run updates it', async () => {
      const number = freshNumber();
      await party(number);
      const played = await threecx.playInboundCall({ from: number, to: FIRM_NUMBER, extension: '201', transferTo: '202', duration: 30 });
      assert.deepEqual(
        played.deliveries.map((d) => [d.event, d.status]),
        [
          ['call.started', 200],
          ['call.transferred', 202],
          ['call.ended', 202],
        ],
      );
      await callResult(played.call_id);
      let call = oneCall(played.call_id);
      assert.equal(call.threecxExtension, '202');
      assert.equal(call.assignedUserId, USER_DEF);
      assert.match(String(call.description), /Transferred from extension 201 to 202/);

      // A transfer 3CX reports after the workflow closed: a new run finds the Call by its 3CX id and updates it.
      espocrm.calls.reset();
      const late = {
        event: 'call.transferred',
        call_id: played.call_id,
        from_extension: '202',
        to_extension: '201',
        transferred_at: new Date().toISOString(),
      };
      assert.equal((await postEvent(late)).status, 202);
      const rerun = await callResult(played.call_id);
      assert.equal(rerun.created, false);
      assert.equal(rerun.writes, 1);
      call = oneCall(played.call_id);
      assert.equal(call.threecxExtension, '201');
      assert.equal(call.assignedUserId, USER_ABC);
      assert.match(String(call.description), /to 202 at[^\n]*\nTransferred from extension 202 to 201/);
      assert.deepEqual(espoWrites(), [`PUT /api/v1/Call/${String(call.id)}`], 'no second Call');
    });

    it('duplicate and out-of-order events (ended before started, each twice) give one correct Call', async () => {
      const number = freshNumber();
      const id = await party(number);
      const callId = `dup-${randomUUID()}`;
      for (const event of [
        endedEvent(callId, 75, 'answered'),
        endedEvent(callId, 75, 'answered'),
        startedEvent(callId, number),
        startedEvent(callId, number),
      ]) {
        const res = await postEvent(event);
        assert.ok(res.status === 200 || res.status === 202, `${res.status}`);
      }
      const result = await callResult(callId);
      assert.equal(result.events, 2, 'the duplicates changed nothing');
      assert.deepEqual(result.gaps, []);
      const call = oneCall(callId);
      assert.equal(call.parentId, id);
      assert.equal(call.status, 'Held');
      assert.equal(call.duration, 75);
      assert.equal(call.dateStart, '2026-03-02 09:00:00');
      assert.deepEqual(espoWrites(), ['POST /api/v1/Call']);

      // A duplicate after the run closed: the new run finds the Call, finds nothing to change, writes nothing.
      espocrm.calls.reset();
      await postEvent(endedEvent(callId, 75, 'answered'));
      const rerun = await callResult(callId);
      assert.equal(rerun.writes, 0);
      assert.deepEqual(espoWrites(), []);
      assert.equal(callsOf(callId).length, 1);
    });

    it('a ringing call is recorded with its first task delayed; its call.ended starts the work at once', async () => {
      const number = freshNumber();
      const id = await party(number);
      const callId = `ring-${randomUUID()}`;
      assert.equal((await postEvent(startedEvent(callId, number))).status, 200);
      const handle = hub.client.workflow.getHandle(callWorkflowId(callId));
      const ringing = await handle.fetchHistory();
      const start = ringing.events?.[0]?.workflowExecutionStartedEventAttributes;
      assert.equal(Number(start?.firstWorkflowTaskBackoff?.seconds), RING_DELAY_MS / 1000);
      assert.deepEqual(eventTypes(ringing), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED'], 'no workflow task while it rings');
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      assert.deepEqual(espoWrites(), []);

      assert.equal((await postEvent(endedEvent(callId, 20, 'answered'))).status, 202);
      const result = await callResult(callId);
      assert.equal(result.status, 'Held');
      assert.equal(oneCall(callId).parentId, id);
      const ended = await handle.fetchHistory();
      assert.deepEqual(eventTypes(ended).slice(0, 4), [
        'WORKFLOW_EXECUTION_STARTED',
        'WORKFLOW_EXECUTION_SIGNALED',
        'WORKFLOW_EXECUTION_SIGNALED',
        'WORKFLOW_TASK_SCHEDULED',
      ]);
      const at = (i: number) => Number(ended.events?.[i]?.eventTime?.seconds ?? 0);
      assert.ok(at(3) - at(2) < RING_DELAY_MS / 1000 / 2, 'the first task came with the end, not after the delay');
    });

    it('call.ended whose call.started never comes: logged after the bounded wait with what is known', async () => {
      const callId = `lonely-${randomUUID()}`;
      const sent = Date.now();
      assert.equal((await postEvent(endedEvent(callId, 0, 'missed'))).status, 202);
      const result = await callResult(callId);
      assert.ok(Date.now() - sent >= 2_000, 'waited THREECX_CALL_START_WAIT_SECONDS for the start');
      assert.deepEqual(result.gaps, ['call.started never arrived']);
      const call = oneCall(callId);
      assert.equal(call.status, 'Not Held');
      assert.match(String(call.description), /Logged incomplete: call\.started never arrived/);
      assert.equal(tasksOf(callId).length, 1, 'a missed call is followed up even without its start');
    });
  });

  describe('the webhook route', () => {
    it('401 for a bad or missing signature; the hub API key is accepted instead', async () => {
      const callId = `auth-${randomUUID()}`;
      const body = JSON.stringify(endedEvent(callId, 1, 'answered'));
      assert.equal((await postEvent(body, { [THREECX_SIGNATURE_HEADER]: signThreeCxBody('wrong-secret', body) })).status, 401);
      assert.equal((await postEvent(body, {})).status, 401);
      const viaKey = await postEvent(startedEvent(callId, freshNumber()), { 'X-API-Key': TEST_API_KEY });
      assert.equal(viaKey.status, 200);
      assert.equal(((await viaKey.json()) as Record_).known, false);
      await postEvent(body);
      await callResult(callId);
    });

    it('400 for malformed JSON, an unknown event type, or an event failing its schema (naming the field); 413 when too large', async () => {
      const bad = await postEvent('{not json');
      assert.equal(bad.status, 400);
      const unknown = await postEvent({ event: 'call.parked', call_id: 'x' });
      assert.equal(unknown.status, 400);
      assert.match(((await unknown.json()) as { error: string }).error, /unknown event type "call\.parked"/);
      const noType = await postEvent({ call_id: 'x' });
      assert.equal(noType.status, 400);
      const missing = await postEvent({ event: 'call.started', call_id: 'x', from: '030 1', to: FIRM_NUMBER, started_at: '2026-03-02T09:00:00Z' });
      assert.equal(missing.status, 400);
      assert.match(((await missing.json()) as { error: string }).error, /extension/);
      const negative = await postEvent({ event: 'call.ended', call_id: 'x', duration: -1 });
      assert.match(((await negative.json()) as { error: string }).error, /duration/);
      const badTime = await postEvent({ ...startedEvent('x', '030 1'), started_at: 'yesterday' });
      assert.match(((await badTime.json()) as { error: string }).error, /started_at/);
      const huge = await postEvent({ ...endedEvent('x', 1, 'answered'), padding: 'x'.repeat(200_000) });
      assert.equal(huge.status, 413);
    });

    it('503 within the deadline when Temporal refuses connections, never 2xx', async () => {
      const deadTemporal = Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 });
      const offline = await startTestGateway({
        advowareUrl: 'http://127.0.0.1:9',
        tokenRedis: redis,
        overrides: {
          threecx: {
            ...threecxDeps,
            callEvents: new CallEventRequester(new Client({ connection: deadTemporal, dataConverter: testDataConverter() }), hub.taskQueue, 1_000),
          },
        },
      });
      try {
        const started = Date.now();
        const res = await postEvent(startedEvent(`offline-${randomUUID()}`, freshNumber()), undefined, offline.url);
        assert.equal(res.status, 503);
        assert.ok(Date.now() - started < 2_000);
      } finally {
        await offline.close();
        await deadTemporal.close().catch(() => undefined);
      }
    });
  });

  describe('outbound calls', () => {
    const dial = (body: unknown, url = gateway.url) =>
      fetch(`${url}/3cx/calls`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': TEST_API_KEY },
        body: JSON.stringify(body),
      });

    it("dials from the party's user's extension, answers 200 {call_id}, and logs the call it polled to its end", async () => {
      const number = freshNumber();
      const id = await party(number);
      const res = await dial({ to: number.replace('+49', '0'), beteiligte_id: id });
      assert.equal(res.status, 200);
      const { call_id: callId } = (await res.json()) as { call_id: string };
      const dialled = threecx.getCall(callId);
      assert.equal(dialled?.from, '201', "the assigned user's extension (STAFF_DIRECTORY)");
      assert.equal(dialled?.to, number, 'E.164');

      // 3CX sends no webhook for it: the call workflow polls the status until the call ended.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      threecx.answerCall(callId);
      threecx.endCall(callId, { answered: true, duration: 33 });
      const result = await callResult(callId);
      assert.equal(result.direction, 'outbound');
      assert.ok(result.statusPolls >= 1);
      const call = oneCall(callId);
      assert.equal(call.direction, 'Outbound');
      assert.equal(call.status, 'Held');
      assert.equal(call.duration, 33);
      assert.equal(call.parentId, id);
      assert.equal(call.recordingDuration, 33);
      assert.equal(threecx.calls.count('POST /api/v1/calls/initiate'), 1);
    });

    it('a 429 from 3CX is retried after its Retry-After: the request answers 202 {workflowId}, the call id follows', async () => {
      const id = await party(freshNumber());
      // Fill 3CX's window, as other callers of the same key would.
      for (let i = 0; i < RATE_LIMIT; i++)
        await fetch(`${threecx.url}/api/v1/calls/none/status`, { headers: { 'X-Api-Key': SANDBOX_THREECX.apiKey } });
      const res = await dial({ to: freshNumber(), beteiligte_id: id, from_extension: '205' });
      assert.equal(res.status, 202);
      const { workflowId } = (await res.json()) as { workflowId: string };
      assert.match(workflowId, /^outbound-call\//);
      const { call_id: callId } = await hub.run(() => hub.client.workflow.getHandle<OutboundCallWorkflow>(workflowId).result());
      // A 429 is answered by the API's gate, before the route: counted by path.
      const initiations = threecx.calls.filter().filter((c) => c.method === 'POST' && c.path.endsWith('/calls/initiate'));
      assert.ok(initiations.length >= 2);
      assert.equal(initiations[0]?.status, 429);
      assert.equal(initiations.at(-1)?.status, 200);
      assert.ok((initiations.at(-1)?.at ?? 0) - (initiations[0]?.at ?? 0) >= 900, 'waited for the Retry-After');
      assert.equal(threecx.getCall(callId)?.from, '205', 'the requested extension');
      threecx.endCall(callId, { answered: false });
      const result = await callResult(callId);
      assert.equal(result.status, 'Not Held');
      assert.equal(tasksOf(callId).length, 0, 'no follow-up Task for an unanswered outbound call');
    });

    it('400 for a bad number or body, 404 for an unknown party, 503 when 3CX is not configured', async () => {
      const badNumber = await dial({ to: 'not a number' });
      assert.equal(badNumber.status, 400);
      assert.match(((await badNumber.json()) as { error: string }).error, /to:/);
      assert.equal((await dial({ to: '030 1234567', beteiligte_id: 'x', lead_id: 'y' })).status, 400);
      assert.equal((await dial({ to: '030 1234567', extra: true })).status, 400);
      assert.equal((await dial({ to: '030 1234567', from_extension: 'abc' })).status, 400);
      const unknownParty = await dial({ to: '030 1234567', beteiligte_id: 'missing-party' });
      assert.equal(unknownParty.status, 404);
      assert.equal(threecx.calls.count('POST /api/v1/calls/initiate'), 0, 'nothing dialled');
      const noKey = await fetch(`${gateway.url}/3cx/calls`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"to":"0301234567"}',
      });
      assert.equal(noKey.status, 401);

      const unconfigured = await startTestGateway({
        advowareUrl: 'http://127.0.0.1:9',
        tokenRedis: redis,
        overrides: { threecx: { ...threecxDeps, apiConfigured: false } },
      });
      try {
        const res = await dial({ to: '030 1234567' }, unconfigured.url);
        assert.equal(res.status, 503);
        assert.match(((await res.json()) as { error: string }).error, /3CX is not configured/);
      } finally {
        await unconfigured.close();
      }
      assert.ok(outboundCallWorkflowId('x').startsWith('outbound-call/'));
    });
  });
});
