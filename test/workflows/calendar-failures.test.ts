import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import {
  calendarSyncAllRef,
  calendarSyncWorkflowId,
  type CalendarSyncAllResult,
  type CalendarSyncAllWorkflow,
  type CalendarSyncResult,
  type EmployeeOutcome,
} from '../../contracts/calendar';
import { FAILING_NOW_QUERY, HUB_STATUS_MEMO, type HubStatus } from '../../contracts/hub-status';
import { HubOutcome } from '../../contracts/search-attributes';
import { readTags } from '../../domain/calendar/tags';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_GOOGLE } from '../../simulators/sandbox-credentials';
import { testRedis } from '../support/services';
import { createCalendarTestWorker } from '../support/calendar-worker';
import type { TestWorker } from '../support/worker';

/** The retry pause of a failing employee (workflows/calendar/sync.ts): nextRetryAt lies this far ahead. */
const RETRY_MS = 15 * 60_000;

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

/** Polls `read` until `done` holds (visibility and workflow state follow a signal by a moment). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a failing calendar employee: one open workflow with HubOutcome failed, until a run succeeds', () => {
  // Workflow IDs (`calendar-sync/<kuerzel>`) and the failure query span the namespace: kuerzel of this run only.
  const run = randomUUID().slice(0, 4).toUpperCase();
  const [A, B] = [`FA${run}`, `FB${run}`] as const;
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: {
      beteiligte: [],
      mitarbeiter: [A, B].map((kuerzel) => ({ kuerzel, name: 'Failing', vorname: kuerzel, email: null, aktiv: true })),
      termine: [],
    },
  });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const prefix = `F${randomUUID().slice(0, 6)}-`;
  let redis: Redis;
  let hub: TestWorker;
  let requester: CalendarSyncRequester;

  before(async () => {
    const [advowareUrl, googleUrl] = await Promise.all([advoware.start(), google.start()]);
    redis = testRedis();
    hub = await createCalendarTestWorker({ advowareUrl, googleUrl, redis, prefix });
    requester = new CalendarSyncRequester(hub.client, hub.taskQueue);
  });
  after(async () => {
    await hub.close();
    await Promise.all([advoware.stop(), google.stop()]);
    redis.disconnect();
  });
  beforeEach(async () => {
    advoware.reset();
    google.reset();
    const state = new CalendarStateStore(redis);
    await Promise.all([A, B].map((k) => state.clear(k)));
  });
  // A failing employee's workflow waits for its retry; none may outlive its test (or show in others' failure queries).
  afterEach(async () => {
    await Promise.all(
      [A, B].map((k) =>
        handleOf(k)
          .terminate('test over')
          .catch(() => undefined),
      ),
    );
  });

  const handleOf = (kuerzel: string): WorkflowHandle => hub.client.workflow.getHandle(calendarSyncWorkflowId(kuerzel));
  const addAllDay = (kuerzel: string, days: number) => advoware.addTermin({ kuerzel, datum: day(days), dauertermin: true });
  const calendarPathOf = (kuerzel: string): string => {
    const found = google.listCalendars().filter((c) => c.summary === `${prefix}${kuerzel}`);
    assert.equal(found.length, 1, `one calendar for ${kuerzel}`);
    return found[0]!.id.split('@')[0]!;
  };
  const liveFrNrs = (kuerzel: string): number[] =>
    google
      .listCalendars()
      .filter((c) => c.summary === `${prefix}${kuerzel}`)
      .flatMap((c) => google.listEvents(c.id))
      .map((e) => readTags(e)?.frNr ?? -1)
      .sort();
  const frNrsOf = (kuerzel: string): number[] =>
    advoware
      .listTermine(kuerzel)
      .map((t) => t.frNr)
      .sort();

  async function syncAll(): Promise<{ result: CalendarSyncAllResult; description: WorkflowExecutionDescription }> {
    const handle = await hub.client.workflow.start<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
      taskQueue: hub.taskQueue,
      workflowId: `calendar-sync-all-${randomUUID()}`,
      args: [{}],
    });
    const result = await hub.run(() => handle.result());
    return { result, description: await handle.describe() };
  }
  const outcomeOf = (result: CalendarSyncAllResult, kuerzel: string): EmployeeOutcome => {
    const found = result.employees.find((o) => o.kuerzel === kuerzel);
    assert.ok(found, `an outcome for ${kuerzel}`);
    return found;
  };

  /** The workflow IDs of this file's employees that the operators' failure query lists (once each, if at all). */
  async function failingNow(): Promise<string[]> {
    const ids: string[] = [];
    for await (const info of hub.client.workflow.list({ query: FAILING_NOW_QUERY })) {
      if ([A, B].some((k) => info.workflowId === calendarSyncWorkflowId(k))) ids.push(info.workflowId);
    }
    return ids.sort();
  }

  /** The employee's workflow as the Web UI shows it: status, HubOutcome, hubStatus memo, summary. */
  async function shown(kuerzel: string) {
    const d = await handleOf(kuerzel).describe();
    return {
      runId: d.runId,
      status: d.status.name,
      outcome: d.typedSearchAttributes.get(HubOutcome),
      hubStatus: d.memo?.[HUB_STATUS_MEMO] as HubStatus | undefined,
      summary: await d.staticSummary(),
    };
  }

  it('calendar-sync-all names the failing call and marks partial failure; the employee stays the one failing now until the fault clears', async () => {
    addAllDay(A, 2);
    addAllDay(B, 2);
    const first = await syncAll();
    assert.equal(first.result.outcome, 'all_synced');
    assert.equal(first.description.typedSearchAttributes.get(HubOutcome), 'all_synced');
    addAllDay(A, 3);
    addAllDay(B, 3);
    // 403 Forbidden is non-retryable: the run fails at once instead of after six retries of a 5xx.
    google.faults.add({ path: `/calendars/${calendarPathOf(A)}[^/]*/events$`, method: 'GET', status: 403 });

    const failing = await syncAll();
    assert.deepEqual([failing.result.outcome, failing.result.synced, failing.result.failed], ['partial_failure', 1, 1]);
    assert.equal(failing.description.typedSearchAttributes.get(HubOutcome), 'partial_failure');
    const failed = outcomeOf(failing.result, A);
    assert.equal(failed.status, 'failed');
    assert.ok(failed.status === 'failed');
    assert.deepEqual(
      { ...failed.reason, message: undefined },
      {
        type: 'GoogleForbidden',
        system: 'Google',
        kind: 'Forbidden',
        call: 'googleListEvents',
        httpStatus: 403,
        message: undefined,
      },
    );
    assert.match(failed.reason.message, /^GoogleForbidden: Google GET calendars\/.*\/events: Forbidden/);
    assert.equal(failed.attempts, 1);
    const retryIn = Date.parse(failed.nextRetryAt ?? '') - Date.now();
    assert.ok(retryIn > RETRY_MS - 60_000 && retryIn <= RETRY_MS, `next retry in ${retryIn} ms`);
    assert.equal(outcomeOf(failing.result, B).status, 'synced');

    const open = await shown(A);
    assert.deepEqual([open.status, open.outcome, open.summary], ['RUNNING', 'failed', `Calendar of ${A}`]);
    assert.deepEqual(open.hubStatus && { ...open.hubStatus, since: undefined }, {
      entityType: 'Calendar',
      entityId: A,
      name: A,
      status: 'failed',
      reason: failed.reason,
      attempts: 1,
      nextRetryAt: failed.nextRetryAt,
      since: undefined,
    });
    const other = await shown(B);
    assert.deepEqual([other.status, other.outcome], ['COMPLETED', 'changed']);
    assert.deepEqual(await eventually(failingNow, (ids) => ids.length > 0, 'the failure query'), [calendarSyncWorkflowId(A)]);
    assert.deepEqual(liveFrNrs(A), frNrsOf(A).slice(0, 1), `${A} keeps what it had`);

    // Still failing: the next calendar-sync-all wakes the same open workflow, which reports its second failure.
    const again = await syncAll();
    const second = outcomeOf(again.result, A);
    assert.ok(second.status === 'failed', `second run of ${A}: ${second.status}`);
    assert.deepEqual([second.reason.type, second.attempts], ['GoogleForbidden', 2]);
    const stillOpen = await shown(A);
    assert.deepEqual([stillOpen.runId, stillOpen.status, stillOpen.hubStatus?.attempts], [open.runId, 'RUNNING', 2]);
    assert.equal(stillOpen.hubStatus?.since, open.hubStatus?.since, 'failing since the first failure');
    assert.deepEqual(await failingNow(), [calendarSyncWorkflowId(A)], 'listed once, however often it failed');

    google.faults.clear();
    const healed = await syncAll();
    assert.deepEqual([healed.result.outcome, healed.result.synced, healed.result.failed], ['all_synced', 2, 0]);
    const recovered = outcomeOf(healed.result, A);
    assert.ok(recovered.status === 'synced');
    assert.equal(recovered.result.actions.createEvent, 1);
    // The report reaches calendar-sync-all a moment before the employee's workflow completes.
    assert.equal(((await handleOf(A).result()) as CalendarSyncResult).actions.createEvent, 1, 'the workflow completes with the recovering run');
    const done = await shown(A);
    assert.deepEqual([done.runId, done.status, done.outcome, done.hubStatus?.status], [open.runId, 'COMPLETED', 'changed', 'changed']);
    assert.equal(done.hubStatus?.reason, undefined);
    await eventually(failingNow, (ids) => ids.length === 0, 'the failure query after recovery');
    assert.deepEqual(liveFrNrs(A), frNrsOf(A));
    assert.deepEqual(liveFrNrs(B), frNrsOf(B));
  });

  it('a change that does not land fails the run with its call; the manual trigger wakes the waiting employee', async () => {
    addAllDay(A, 2);
    await requester.requestEmployee(A, undefined);
    await hub.run(() => handleOf(A).result());
    addAllDay(A, 3);
    google.faults.add({ path: `/calendars/${calendarPathOf(A)}[^/]*/events$`, method: 'POST', status: 400 });

    assert.equal(await requester.requestEmployee(A, undefined), calendarSyncWorkflowId(A));
    const open = await eventually(
      () => shown(A),
      (s) => s.outcome === 'failed',
      `${A} failing`,
    );
    assert.deepEqual([open.status, open.summary, open.hubStatus?.attempts], ['RUNNING', `Calendar of ${A}`, 1]);
    const reason = open.hubStatus?.reason;
    assert.deepEqual([reason?.type, reason?.call, reason?.httpStatus], ['GoogleBadRequest', 'googleInsertEvent', 400]);
    assert.match(reason?.message ?? '', /^1 of 1 calendar changes failed; the next run tries them again\. First: GoogleBadRequest: /);
    assert.deepEqual(await eventually(failingNow, (ids) => ids.length > 0, 'the failure query'), [calendarSyncWorkflowId(A)]);

    google.faults.clear();
    assert.equal(await requester.requestEmployee(A, undefined), calendarSyncWorkflowId(A));
    const result = (await hub.run(() => handleOf(A).result())) as CalendarSyncResult;
    assert.equal(result.actions.createEvent, 1);
    const done = await shown(A);
    assert.deepEqual([done.runId, done.status, done.outcome], [open.runId, 'COMPLETED', 'changed']);
    assert.deepEqual(liveFrNrs(A), frNrsOf(A));
    await eventually(failingNow, (ids) => ids.length === 0, 'the failure query after recovery');
  });

  it('every employee failing: calendar-sync-all reports none_synced, and the failure query lists each once', async () => {
    addAllDay(A, 2);
    addAllDay(B, 2);
    google.faults.add({ path: '/events$', method: 'GET', status: 403 });
    const { result, description } = await syncAll();
    assert.deepEqual([result.outcome, result.synced, result.failed], ['none_synced', 0, 2]);
    assert.equal(description.typedSearchAttributes.get(HubOutcome), 'none_synced');
    assert.deepEqual(
      result.employees.map((o) => [o.kuerzel, o.status === 'failed' && o.reason.call]),
      [
        [A, 'googleListEvents'],
        [B, 'googleListEvents'],
      ],
    );
    const expected = [A, B].map(calendarSyncWorkflowId).sort();
    assert.deepEqual(await eventually(failingNow, (ids) => ids.length === 2, 'the failure query'), expected);
  });
});
