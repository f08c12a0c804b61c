import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '@temporalio/client';
import { CallEventRequester } from '../../clients/temporal/call-events';
import type { CallEvent } from '../../contracts/calls';

/** The options of each signal-with-start, as the requester hands them to the Temporal client. */
function recordingClient(): { client: Client; starts: Record<string, unknown>[] } {
  const starts: Record<string, unknown>[] = [];
  const workflow = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    signalWithStart: (_type: string, options: Record<string, unknown>) => {
      starts.push(options);
      return Promise.resolve();
    },
  };
  // Only `workflow.withDeadline` and `workflow.signalWithStart` are used by `record`.
  return { client: { workflow } as unknown as Client, starts };
}

const receivedAt = '2026-03-02T09:00:00.000Z';
const started = (direction: 'inbound' | 'outbound'): CallEvent => ({
  kind: 'started',
  callId: `c-${direction}`,
  direction,
  from: '+4930123456',
  to: '+4930999000',
  extension: '201',
  startedAt: receivedAt,
  parties: [],
  receivedAt,
});
const ended: CallEvent = { kind: 'ended', callId: 'c-ended', duration: 12, outcome: 'answered', receivedAt };
const transferred: CallEvent = {
  kind: 'transferred',
  callId: 'c-t',
  fromExtension: '201',
  toExtension: '202',
  transferredAt: receivedAt,
  receivedAt,
};

test('only the start of an inbound call is recorded with the start delay; every other event starts its workflow at once', async () => {
  const { client, starts } = recordingClient();
  const requester = new CallEventRequester(client, 'q', 1_000, 60_000);
  for (const event of [started('inbound'), started('outbound'), ended, transferred]) await requester.record(event);
  assert.deepEqual(
    starts.map((options) => [options.workflowId, options.startDelay]),
    [
      ['call/c-inbound', 60_000],
      ['call/c-outbound', undefined],
      ['call/c-ended', undefined],
      ['call/c-t', undefined],
    ],
  );
});

test('without a start delay (the worker, or THREECX_CALL_START_DELAY_SECONDS=0) no event is delayed', async () => {
  const { client, starts } = recordingClient();
  await new CallEventRequester(client, 'q', 1_000, 0).record(started('inbound'));
  await new CallEventRequester(client, 'q').record(started('inbound'));
  assert.deepEqual(
    starts.map((options) => 'startDelay' in options),
    [false, false],
  );
});
