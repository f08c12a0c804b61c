import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricGauge, MetricMeter, MetricTags } from '@temporalio/common';
import { FAILING_NOW_QUERY } from '../../contracts/hub-status';
import { ENTITIES_FAILING, failingQuery, startFailingEntitiesPoller } from '../../workers/failing-entities';

/** A meter that keeps the last value of each gauge series, keyed `name{entity_type,status}`. */
function recordingMeter(): { meter: MetricMeter; values: Map<string, number> } {
  const values = new Map<string, number>();
  const gauge = (name: string): MetricGauge => ({
    name,
    kind: 'gauge',
    valueType: 'int',
    set: (value: number, tags: MetricTags = {}) => values.set(`${name}{${String(tags.entity_type)},${String(tags.status)}}`, value),
    withTags: () => gauge(name),
  });
  const meter = {
    createGauge: gauge,
    createCounter: () => assert.fail('no counters'),
    createHistogram: () => assert.fail('no histograms'),
    withTags: () => meter,
  } as unknown as MetricMeter;
  return { meter, values };
}

describe('failing entities poller', () => {
  it("counts each entity type and status with the runbook's failing-now query, narrowed", async () => {
    const { meter, values } = recordingMeter();
    const queries: string[] = [];
    const counts: Record<string, number> = { [failingQuery('CBeteiligte', 'permanently_failed')]: 2, [failingQuery('Calendar', 'failed')]: 1 };
    const poller = startFailingEntitiesPoller({
      count: async (query) => {
        queries.push(query);
        return { count: counts[query] ?? 0 };
      },
      meter,
      intervalMs: 60_000,
    });
    await poller.refresh();
    poller.stop();
    for (const query of queries) assert.ok(query.startsWith(FAILING_NOW_QUERY), query);
    assert.deepEqual(Object.fromEntries([...values].sort()), {
      [`${ENTITIES_FAILING}{CBankverbindungen,failed}`]: 0,
      [`${ENTITIES_FAILING}{CBankverbindungen,invalid}`]: 0,
      [`${ENTITIES_FAILING}{CBankverbindungen,permanently_failed}`]: 0,
      [`${ENTITIES_FAILING}{CBeteiligte,failed}`]: 0,
      [`${ENTITIES_FAILING}{CBeteiligte,invalid}`]: 0,
      [`${ENTITIES_FAILING}{CBeteiligte,permanently_failed}`]: 2,
      [`${ENTITIES_FAILING}{Calendar,failed}`]: 1,
      [`${ENTITIES_FAILING}{Calendar,invalid}`]: 0,
      [`${ENTITIES_FAILING}{Calendar,permanently_failed}`]: 0,
    });
    assert.equal(failingQuery('Calendar', 'failed'), `${FAILING_NOW_QUERY} AND HubEntityType = 'Calendar' AND HubOutcome = 'failed'`);
  });

  it('keeps the last count when Temporal cannot answer, and reports the error', async () => {
    const { meter, values } = recordingMeter();
    let down = false;
    const errors: unknown[] = [];
    const poller = startFailingEntitiesPoller({
      count: async () => {
        if (down) throw new Error('unavailable');
        return { count: 3 };
      },
      meter,
      intervalMs: 60_000,
      onError: (err) => errors.push(err),
    });
    await poller.refresh();
    down = true;
    await poller.refresh();
    poller.stop();
    assert.equal(errors.length, 9, 'one error per count');
    assert.ok(
      [...values.values()].every((v) => v === 3),
      'the alert does not clear because Temporal was briefly away',
    );
  });

  it('refreshes on its interval until stopped', async () => {
    const { meter } = recordingMeter();
    let calls = 0;
    const poller = startFailingEntitiesPoller({
      count: async () => {
        calls++;
        return { count: 0 };
      },
      meter,
      intervalMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 110));
    poller.stop();
    const stoppedAt = calls;
    assert.ok(stoppedAt >= 6 * 3, `refreshed several times, counted ${stoppedAt}`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(calls, stoppedAt, 'nothing after stop');
  });
});
