import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { createGoogleCalendarApi } from '../../clients/google/calendar-api';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { googleEnv, parseEnv } from '../../config/env';
import { readTags } from '../../domain/calendar/tags';
import type { HubEvent } from '../../domain/calendar/types';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE, googleEnvFor } from '../../simulators/sandbox-credentials';
import { EspoCrmClient } from '../../clients/espocrm/client';
import {
  CALENDAR_SYNC_ALL_WORKFLOW_ID,
  calendarSyncWorkflowId,
  type CalendarSyncAllResult,
  type CalendarSyncResult,
} from '../../workflows/calendar/definitions';
import { advowareClientFor } from '../support/gateway';
import { testRedis } from '../support/services';
import { createTestWorker, testCalendarSyncConfig, type TestWorker } from '../support/worker';

const MITARBEITER = [
  { kuerzel: 'ABC', name: 'Becker', vorname: 'Anna', email: null, aktiv: true },
  { kuerzel: 'DEF', name: 'Fischer', vorname: 'Daniel', email: null, aktiv: true },
  { kuerzel: 'OLD', name: 'Alt', vorname: 'Otto', email: null, aktiv: false },
];

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

describe('calendar sync workflows (Advoware Termine ⇄ Google Calendar) on the real Temporal server', () => {
  const advoware = new AdvowareSimulator({ credentials: SANDBOX_ADVOWARE_CREDENTIALS, seed: { beteiligte: [], mitarbeiter: MITARBEITER, termine: [] } });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  let redis: Redis;
  let hub: TestWorker;
  const prefix = `T${randomUUID().slice(0, 6)}-`;

  before(async () => {
    const [advowareUrl, espocrmUrl, googleUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start()]);
    redis = testRedis();
    const calendarSync = testCalendarSyncConfig({ CALENDAR_SYNC_CALENDAR_PREFIX: prefix });
    hub = await createTestWorker({
      advoware: advowareClientFor(advowareUrl, redis, `test:${randomUUID()}`),
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      google: createGoogleCalendarApi({ ...parseEnv(googleEnv, googleEnvFor(googleUrl)), ...calendarSync }, redis),
      calendarState: new CalendarStateStore(redis),
      calendarSync,
    });
  });
  after(async () => {
    await hub.close();
    await Promise.all([advoware.stop(), espocrm.stop(), google.stop()]);
    redis.disconnect();
  });
  beforeEach(async () => {
    advoware.reset();
    advoware.setMitarbeiter(MITARBEITER);
    google.reset();
    const state = new CalendarStateStore(redis);
    await Promise.all(MITARBEITER.map((m) => state.clear(m.kuerzel)));
  });

  const calendarOf = (kuerzel: string) => {
    const found = google.listCalendars().filter((c) => c.summary === `${prefix}${kuerzel}`);
    assert.equal(found.length, 1, `one calendar for ${kuerzel}`);
    return found[0]!.id;
  };
  const liveEvents = (kuerzel: string): HubEvent[] => google.listEvents(calendarOf(kuerzel)) as HubEvent[];

  async function syncEmployee(kuerzel: string, fullContent?: boolean): Promise<CalendarSyncResult> {
    return hub.run(() =>
      hub.client.workflow.execute('calendarSyncWorkflow', {
        taskQueue: hub.taskQueue,
        workflowId: calendarSyncWorkflowId(kuerzel),
        args: [{ kuerzel, ...(fullContent !== undefined && { fullContent }) }],
      }),
    );
  }

  it('creates the calendar and one tagged event per Termin; the next run costs 2 calls and writes nothing', async () => {
    const timed = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Mandant', datum: day(3), uhrzeitVon: '10:00:00', datumBis: day(3), uhrzeitBis: '11:00:00' });
    const allDay = advoware.addTermin({ kuerzel: 'ABC', betreff: 'Frist', datum: day(4), dauertermin: true });
    advoware.addTermin({ kuerzel: 'DEF', betreff: 'Not ABC', datum: day(4), dauertermin: true });

    const first = await syncEmployee('ABC');
    assert.equal(first.mode, 'full');
    assert.equal(first.calendarCreated, true);
    assert.equal(first.actions.createEvent, 2);
    const events = liveEvents('ABC');
    assert.deepEqual(events.map((e) => readTags(e)?.frNr).sort(), [timed.frNr, allDay.frNr].sort());
    assert.ok(events.every((e) => e.summary === 'Advoware-Termin'), 'neutral titles without full_content');

    advoware.calls.reset();
    google.calls.reset();
    const second = await syncEmployee('ABC');
    assert.equal(second.mode, 'incremental');
    assert.equal(second.actions.total, 0);
    assert.equal(second.googleCalls + second.advowareCalls, 2);
    const seen = [...advoware.calls.filter(), ...google.calls.filter()].filter((c) => !c.route.includes('Token'));
    assert.equal(seen.length, 2, `API calls seen: ${seen.map((c) => c.route).join(', ')}`);
  });

  it('calendar-sync-all syncs every active employee and skips the inactive one', async () => {
    advoware.addTermin({ kuerzel: 'ABC', datum: day(2), dauertermin: true });
    advoware.addTermin({ kuerzel: 'DEF', datum: day(2), dauertermin: true });
    advoware.addTermin({ kuerzel: 'OLD', datum: day(2), dauertermin: true });
    const result: CalendarSyncAllResult = await hub.run(() =>
      hub.client.workflow.execute('calendarSyncAllWorkflow', { taskQueue: hub.taskQueue, workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-${randomUUID()}`, args: [{}] }),
    );
    assert.equal(result.synced, 2);
    assert.equal(result.failed, 0);
    assert.equal(liveEvents('ABC').length, 1);
    assert.equal(liveEvents('DEF').length, 1);
    assert.equal(google.listCalendars().filter((c) => c.summary === `${prefix}OLD`).length, 0);
  });
});
