/**
 * Records the histories of test/replay/histories/ (run it with `npm run histories:record`, which starts a
 * private Temporal and Redis): every scenario is driven against the simulators and the production worker
 * (createTestWorker), and the closed workflow's history is written as `<type>.<path>.json`. Files of
 * scenarios that no longer exist are removed, so the folder is exactly what the scenarios produce.
 *
 * Only re-record when no execution of the old workflow code runs anywhere any more (see the README).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE, SANDBOX_THREECX, threecxEnvFor } from '../../simulators/sandbox-credentials';
import { ThreeCxSimulator } from '../../simulators/threecx/simulator';
import { testRedis } from '../support/services';
import { createTestWorker } from '../support/worker';
import { eventTypesOf, HISTORIES_DIR, historyFileName } from './histories';
import { historyToJson } from './history-json';
import { bankverbindungenScenarios } from './scenarios/bankverbindungen';
import { beteiligteScenarios } from './scenarios/beteiligte';
import { calendarScenarios, MITARBEITER } from './scenarios/calendar';
import { CALL_RECORDING_ENV, callScenarios } from './scenarios/calls';
import { ingestScenarios } from './scenarios/ingest';
import { leadScenarios } from './scenarios/leads';
import type { RecordingEnv } from './scenarios/scenario';

/** The call scenarios dial and end calls in it, so it is theirs to hold; main() starts it with the others. */
const threecx = new ThreeCxSimulator({ apiKey: SANDBOX_THREECX.apiKey, webhookSecret: SANDBOX_THREECX.webhookSecret, rateLimit: 1_000 });

const scenarios = [
  ...beteiligteScenarios,
  ...ingestScenarios,
  ...calendarScenarios,
  ...bankverbindungenScenarios,
  ...leadScenarios(threecx),
  ...callScenarios(threecx),
];

/** How the new recording compares with the file it replaces, by shape (event types in order). */
function comparedWithPrevious(file: string, json: string): string {
  const path = join(HISTORIES_DIR, file);
  if (!existsSync(path)) return 'new';
  const before = eventTypesOf(JSON.parse(readFileSync(path, 'utf8')));
  const after = eventTypesOf(JSON.parse(json));
  if (before.join() === after.join()) return 'same shape';
  const at = after.findIndex((type, i) => type !== before[i]);
  const from = at === -1 ? before.length : at;
  return `CHANGED shape from event ${from + 1}: ${before.slice(from, from + 3).join(', ') || '(end)'} → ${after.slice(from, from + 3).join(', ') || '(end)'}`;
}

async function main(): Promise<void> {
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], mitarbeiter: MITARBEITER, termine: [] },
  });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken, defaultTimeZone: 'Europe/Berlin' });
  const [advowareUrl, espocrmUrl, googleUrl, threecxUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start(), threecx.start()]);
  const redis = testRedis();
  const calendarState = new CalendarStateStore(redis);
  // The production clients from the configuration; only the children of calendar-sync-all run one at a time,
  // because parallel children finish in a racing order and a re-recording should give the same history.
  const hub = await createTestWorker({
    urls: { advoware: advowareUrl, espocrm: espocrmUrl, google: googleUrl },
    // A lead workflow closes 1 s after its last submission instead of an hour, so its history can be recorded.
    env: { CALENDAR_SYNC_CONCURRENCY: '1', LEAD_WORKFLOW_IDLE_SECONDS: '1', ...threecxEnvFor(threecxUrl), ...CALL_RECORDING_ENV },
  });
  const env: RecordingEnv = { hub, advoware, espocrm, google, requester: new SyncRequester(hub.client, hub.taskQueue) };

  // Written only when every scenario passed, so a failed recording leaves the committed histories as they were.
  const recorded = new Map<string, string>();
  try {
    for (const scenario of scenarios) {
      const file = historyFileName(scenario.workflowType, scenario.path);
      if (recorded.has(file)) throw new Error(`two scenarios record ${file}`);
      advoware.reset();
      espocrm.reset();
      google.reset();
      threecx.reset();
      await Promise.all(MITARBEITER.map((m) => calendarState.clear(m.kuerzel)));

      const started = Date.now();
      const handle = await scenario.run(env);
      const json = `${historyToJson(await handle.fetchHistory())}\n`;
      recorded.set(file, json);
      const events = eventTypesOf(JSON.parse(json)).length;
      console.log(
        `${file.padEnd(52)} ${String(events).padStart(3)} events ${String(Date.now() - started).padStart(6)} ms  ${comparedWithPrevious(file, json)}`,
      );
    }
  } finally {
    await hub.close();
    await Promise.all([advoware.stop(), espocrm.stop(), google.stop(), threecx.stop()]);
    redis.disconnect();
  }

  mkdirSync(HISTORIES_DIR, { recursive: true });
  for (const [file, json] of recorded) writeFileSync(join(HISTORIES_DIR, file), json);
  for (const stale of readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json') && !recorded.has(f))) {
    rmSync(join(HISTORIES_DIR, stale));
    console.log(`${stale.padEnd(52)} removed: no scenario records it any more`);
  }
  console.log(`${recorded.size} histories in ${HISTORIES_DIR}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
