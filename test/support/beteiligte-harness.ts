import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import type { Redis } from 'ioredis';
import type { AdvowareClient } from '../../clients/advoware/client';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { YContextCache } from '../../clients/redis/y-context-cache';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { beteiligteSyncWorkflowId, type BeteiligteSyncWorkflow, type RunOutcome, type SyncReason } from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { advowareClientFor } from './gateway';
import { testRedis } from './services';
import { runsOfRequest } from './settled';
import { createTestWorker, type TestWorker } from './worker';

const ENTITY = 'CBeteiligte';

export interface BeteiligteHarness {
  advoware: AdvowareSimulator;
  espocrm: EspoCrmSimulator;
  /** The worker under test; set once the suite's `before` ran. */
  hub: () => TestWorker;
  requester: () => SyncRequester;
  /** The worker's own Advoware client (its token is the workflows' token). */
  advowareClient: () => AdvowareClient;
  /** The Beteiligte as EspoCRM holds it now. */
  entity: (id: string) => EspoBeteiligte;
  /** Requests a sync the way the gateway does and waits for the workflow to finish. */
  sync: (id: string, reason?: SyncReason) => Promise<RunOutcome[]>;
  /** The only run of a sync, with the API calls it made counted at both simulators (token requests excluded). */
  syncCounted: (id: string) => Promise<{ run: RunOutcome; calls: number; writes: number }>;
  /** The token is fetched once per hub, not per run: fetch it first so budgets count only sync calls. */
  warmToken: () => Promise<void>;
  /** The worker's caller index and AI profile cache, under this suite's own Redis prefix. */
  callerIndex: () => CallerIndexStore;
  yContextCache: () => YContextCache;
}

/**
 * The Beteiligte sync on the real Temporal server against in-process Advoware and EspoCRM simulators (empty, reset
 * before each test). Call it inside a `describe`: it registers that suite's before/after hooks.
 */
export function useBeteiligteHarness(): BeteiligteHarness {
  const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: [], termine: [] } });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  let redis: Redis | undefined;
  let hub: TestWorker | undefined;
  let requester: SyncRequester | undefined;
  let advowareClient: AdvowareClient | undefined;
  let callerIndex: CallerIndexStore | undefined;
  let yContextCache: YContextCache | undefined;

  before(async () => {
    const [advowareUrl, espocrmUrl] = await Promise.all([advoware.start(), espocrm.start()]);
    redis = testRedis();
    // The worker's own client instance, so warming its token here warms it for the workflows too.
    advowareClient = advowareClientFor(advowareUrl, redis, `test:${randomUUID()}`);
    const prefix = `test:${randomUUID()}:`;
    callerIndex = new CallerIndexStore(redis, `${prefix}caller_index:`);
    yContextCache = new YContextCache(redis, `${prefix}y_context:`);
    hub = await createTestWorker({
      advoware: advowareClient,
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      env: { ESPOCRM_ADMIN_USER_ID: 'admin-user' },
      callerIndex,
      yContextCache,
    });
    requester = new SyncRequester(hub.client, hub.taskQueue);
  });
  after(async () => {
    await hub?.close();
    await Promise.all([advoware.stop(), espocrm.stop()]);
    redis?.disconnect();
  });
  beforeEach(async () => {
    advoware.reset();
    espocrm.reset();
    await callerIndex?.clear();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    assert.ok(value, `${what} is set up in the suite's before hook`);
    return value;
  };
  const harness: BeteiligteHarness = {
    advoware,
    espocrm,
    hub: () => started(hub, 'the worker'),
    requester: () => started(requester, 'the requester'),
    advowareClient: () => started(advowareClient, 'the Advoware client'),
    entity: (id) => espocrm.getRecord(ENTITY, id) as unknown as EspoBeteiligte,
    sync: async (id, reason = 'manual') => {
      const worker = harness.hub();
      const handle = worker.client.workflow.getHandle<BeteiligteSyncWorkflow>(beteiligteSyncWorkflowId(id));
      return worker.run(() => runsOfRequest(handle, () => harness.requester().requestBeteiligteSync(id, reason)));
    },
    syncCounted: async (id) => {
      await harness.warmToken();
      advoware.calls.reset();
      espocrm.calls.reset();
      const runs = await harness.sync(id);
      assert.equal(runs.length, 1, 'one request, one run');
      const all = [...advoware.calls.filter(), ...espocrm.calls.filter()].filter((c) => !c.route.includes('Token'));
      const writes = all.filter((c) => c.method !== 'GET').length;
      assert.equal(runs[0]?.apiCalls, all.length, 'the outcome counts the calls the simulators saw');
      return { run: runs[0], calls: all.length, writes };
    },
    warmToken: async () => {
      await harness.advowareClient().listMitarbeiter();
    },
    callerIndex: () => started(callerIndex, 'the caller index'),
    yContextCache: () => started(yContextCache, 'the AI profile cache'),
  };
  return harness;
}
