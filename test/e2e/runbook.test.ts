import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduleDescription } from '@temporalio/client';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { EspoCrmClient } from '../../clients/espocrm/client';
import { CalendarStateStore } from '../../clients/redis/calendar-state';
import { CalendarSyncRequester } from '../../clients/temporal/calendar-sync-requests';
import { SyncRequester } from '../../clients/temporal/sync-requests';
import { BANKVERBINDUNGEN_SWEEP_SCHEDULE_ID, bankverbindungenSyncWorkflowId } from '../../contracts/bankverbindungen';
import { BETEILIGTE_SWEEP_SCHEDULE_ID, beteiligteSyncWorkflowId } from '../../contracts/beteiligte';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, CALENDAR_SYNC_SCHEDULE_ID, calendarSyncWorkflowId } from '../../contracts/calendar';
import { FAILING_NOW_QUERY } from '../../contracts/hub-status';
import { HubOutcome } from '../../contracts/search-attributes';
import { temporalEnv } from '../../config/env';
import { AdvowareSimulator } from '../../simulators/advoware/simulator';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { GoogleCalendarSimulator } from '../../simulators/google/simulator';
import { SANDBOX_ADVOWARE_CREDENTIALS, SANDBOX_ESPOCRM, SANDBOX_GOOGLE, advowareEnvFor, googleEnvFor } from '../../simulators/sandbox-credentials';
import { ensureSchedules } from '../../workers/schedules';
import { TEST_API_KEY, advowareClientFor, startTestGateway, type TestGateway } from '../support/gateway';
import { mappingTableCommands, readRunbook, runbookCommands, shellWords, type RunbookCommand } from '../support/runbook-commands';
import { redisUrl, temporalAddress } from '../support/services';
import { createTestWorker, type TestWorker } from '../support/worker';

/**
 * docs/runbook.md works as written: every command of its ```sh blocks runs, in document order, against the run's
 * Temporal dev server, a Redis, the gateway (codec endpoint) and the worker, with the placeholders filled from a
 * fixture made first (a permanently failed party, an invalid bank account, a failing employee calendar, a lead and a
 * call). Commands marked `compose only` or `not in the test` are checked to parse. A failure names the runbook line.
 */

const ROOT = resolve(__dirname, '../..');
const RUNBOOK = join(ROOT, 'docs/runbook.md');
const markdown = readRunbook(RUNBOOK);
/** A Redis database of this test's own: the commands use the hub's default keys (token, rate limit, cursors). */
const REDIS_DB = 11;
/** Workflows started here that no worker runs: the lead and call fixtures only need to exist. */
const PARKED_QUEUE = `runbook-parked-${randomUUID()}`;

const temporalCli = (): string => {
  const cli = process.env.TEMPORAL_CLI;
  assert.ok(cli && existsSync(cli), 'TEMPORAL_CLI names the temporal CLI (scripts/test.sh sets it)');
  return cli;
};

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runShell(text: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Outcome> {
  return new Promise((resolvePromise) => {
    const child = spawn('bash', ['-c', text], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** `temporal <subcommand …> --help` exists and lists every flag the command uses. */
function checkTemporalSyntax(where: string, words: string[]): void {
  const path: string[] = [];
  for (const word of words) {
    if (!/^[a-z][a-z-]*$/.test(word)) break;
    path.push(word);
  }
  const help = spawnSync(temporalCli(), [...path, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, `${where}: "temporal ${path.join(' ')}" is no command of the CLI: ${help.stderr}`);
  // An unknown subcommand prints its parent's help; a command's own help shows its usage line.
  assert.ok(help.stdout.includes(`Usage:\n  temporal ${path.join(' ')} [flags]`), `${where}: "temporal ${path.join(' ')}" is a command of the CLI`);
  for (const word of words) {
    const flag = /^(--[a-z-]+)/.exec(word)?.[1];
    if (flag) assert.ok(new RegExp(`${flag}(?![a-z-])`).test(help.stdout), `${where}: "temporal ${path.join(' ')}" has no flag ${flag}`);
  }
}

const composeServices = (): Set<string> => {
  const file = parse(readFileSync(join(ROOT, 'temporal-docker/docker-compose.yml'), 'utf8')) as { services: Record<string, unknown> };
  return new Set(Object.keys(file.services));
};

/** A compose-only or not-in-the-test command parses: its compose file and services exist, its temporal command too. */
function checkOnly(command: RunbookCommand): void {
  const where = `docs/runbook.md:${command.line} (${command.text})`;
  const words = shellWords(command.text);
  if (words[0] === 'temporal') return checkTemporalSyntax(where, words.slice(1));
  if (words[0] === 'export') return;
  assert.deepEqual(words.slice(0, 2), ['docker', 'compose'], `${where}: a check-only command is temporal, docker compose or export`);
  const file = words[words.indexOf('-f') + 1] ?? '';
  assert.ok(existsSync(join(ROOT, file)), `${where}: ${file} exists`);
  const services = composeServices();
  const verb = words.find((w) => ['ps', 'logs', 'up', 'exec', 'run', 'restart'].includes(w)) ?? '';
  assert.ok(verb, `${where}: a docker compose subcommand`);
  if (verb === 'ps') return;
  const entrypoint = words.indexOf('--entrypoint');
  if (entrypoint > 0) {
    // `run … --entrypoint temporal <service> <temporal arguments>`
    assert.equal(words[entrypoint + 1], 'temporal', `${where}: the entrypoint is the temporal CLI`);
    assert.ok(services.has(words[entrypoint + 2] ?? ''), `${where}: ${words[entrypoint + 2]} is a service of temporal-docker/docker-compose.yml`);
    checkTemporalSyntax(where, words.slice(entrypoint + 3));
    return;
  }
  const named = words.slice(words.indexOf(verb) + 1).filter((w) => services.has(w));
  assert.ok(named.length > 0, `${where}: names a service of temporal-docker/docker-compose.yml`);
}

describe('docs/runbook.md, command by command', () => {
  const kuerzel = `RB${randomUUID().slice(0, 4).toUpperCase()}`;
  const advoware = new AdvowareSimulator({
    credentials: SANDBOX_ADVOWARE_CREDENTIALS,
    seed: { beteiligte: [], termine: [], mitarbeiter: [{ kuerzel, name: 'Runbook', vorname: 'Rita', email: null, aktiv: true }] },
  });
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const google = new GoogleCalendarSimulator({ accessToken: SANDBOX_GOOGLE.accessToken });
  const stateRoot = mkdtempSync(join(tmpdir(), 'runbook-'));
  const commandsRedisUrl = (() => {
    const url = new URL(redisUrl());
    url.pathname = `/${REDIS_DB}`;
    return url.toString();
  })();
  let redis: Redis;
  let hub: TestWorker;
  let gateway: TestGateway;
  const fixture: Record<string, string> = {};
  const fixtureWorkflows: string[] = [];
  let env: NodeJS.ProcessEnv = {};

  before(async () => {
    const tools: [string, string][] = [
      ['redis-cli', "the runbook's Redis commands (Debian: apt-get install redis-tools)"],
      ['curl', "the runbook's gateway calls"],
    ];
    for (const [tool, why] of tools) {
      assert.equal(spawnSync(tool, ['--version']).status, 0, `${tool} is needed for ${why}`);
    }
    const [advowareUrl, espocrmUrl, googleUrl] = await Promise.all([advoware.start(), espocrm.start(), google.start()]);
    redis = new Redis(commandsRedisUrl, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    hub = await createTestWorker({
      urls: { google: googleUrl },
      advoware: advowareClientFor(advowareUrl, redis, `test:${randomUUID()}`),
      espocrm: new EspoCrmClient({ baseUrl: `${espocrmUrl}/api/v1`, apiKey: SANDBOX_ESPOCRM.apiKey, timeoutMs: 5_000 }),
      calendarState: new CalendarStateStore(redis),
      env: { ESPOCRM_ADMIN_USER_ID: 'admin-user' },
    });
    // The schedules as the worker creates them at start-up, for this worker's queue; a day apart, so only triggers run.
    await ensureSchedules(hub.client, hub.taskQueue, { sweepIntervalSeconds: 86_400, calendarIntervalSeconds: 86_400 });
    gateway = await startTestGateway({
      advowareUrl,
      tokenRedis: redis,
      taskQueue: hub.taskQueue,
    });
    const requester = new SyncRequester(hub.client, hub.taskQueue);

    // A party Advoware rejects (400): permanently failed, its workflow open and waiting for the next request.
    const party = espocrm.userCreate('CBeteiligte', { firstName: 'Rita', lastName: 'Runbook', salutationName: 'Ms.', dateOfBirth: '1980-02-03' }).id;
    await requester.requestBeteiligteSync(party, 'create');
    const betNr = await waitFor(() => espocrm.getRecord('CBeteiligte', party)?.betnr as number | undefined, 'the party was created in Advoware');
    await waitForOutcome(beteiligteSyncWorkflowId(party), 'create', false);
    espocrm.userUpdate('CBeteiligte', party, { lastName: 'Runbookneu' });
    advoware.faults.add({ method: 'PUT', path: `Beteiligte/${betNr}$`, status: 400, body: { Message: 'Validierung fehlgeschlagen' } });
    await requester.requestBeteiligteSync(party, 'update');
    await waitForOutcome(beteiligteSyncWorkflowId(party), 'permanently_failed', true);
    // A bank account with a typo in its IBAN: invalid, open until it is corrected.
    const account = espocrm.userCreate('CBankverbindungen', { name: 'Girokonto', iban: 'DE89 3704 0044 0532 0130 01', cBeteiligteId: party }).id;
    await requester.requestBankverbindungSync(account, 'create');
    await waitForOutcome(bankverbindungenSyncWorkflowId(account), 'invalid', true);
    // An employee whose appointment Google refuses: the calendar workflow fails and stays open.
    const datum = `${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
    advoware.addTermin({ kuerzel, datum, dauertermin: true });
    google.faults.add({ method: 'POST', path: '/events$', status: 400 });
    await new CalendarSyncRequester(hub.client, hub.taskQueue).requestEmployee(kuerzel, undefined);
    await waitForOutcome(calendarSyncWorkflowId(kuerzel), 'failed', true);
    // A lead and a call: existing workflows are all their commands need.
    const dedupKey = `email:runbook-${randomUUID().slice(0, 8)}@example.org`;
    const callId = `runbook-${randomUUID().slice(0, 8)}`;
    for (const [workflowId, type, input] of [
      [`lead/${dedupKey}`, 'leadWorkflow', { dedupKey }],
      [`call/${callId}`, 'callWorkflow', { callId }],
    ] as const) {
      await hub.client.workflow.start(type, { workflowId, taskQueue: PARKED_QUEUE, args: [input] });
      fixtureWorkflows.push(workflowId);
    }
    fixtureWorkflows.push(beteiligteSyncWorkflowId(party), bankverbindungenSyncWorkflowId(account), calendarSyncWorkflowId(kuerzel));
    Object.assign(fixture, {
      partyId: party,
      accountId: account,
      kuerzel,
      workflowId: beteiligteSyncWorkflowId(party),
      dedupKey,
      leadId: 'lead-runbook-1',
      callId,
      seconds: '42',
      now: new Date().toISOString(),
      email: dedupKey.slice('email:'.length),
      phone: '+491701234567',
      version: '0.1.1',
      apiKey: TEST_API_KEY,
    });

    // What `npm start` writes (scripts/start.ts), pointing at this test's services.
    const stateDir = join(stateRoot, 'var');
    mkdirSync(stateDir, { recursive: true });
    const hubEnv = {
      ...advowareEnvFor(advowareUrl),
      ...googleEnvFor(googleUrl),
      REDIS_URL: commandsRedisUrl,
      HUB_PAYLOAD_KEYS: process.env.HUB_PAYLOAD_KEYS ?? '',
    };
    writeFileSync(
      join(stateDir, 'sandbox.json'),
      JSON.stringify({
        mode: 'sandbox',
        gateway: { url: gateway.url, apiKey: TEST_API_KEY },
        temporal: { address: temporalAddress(), uiUrl: '', namespace: 'default' },
        codec: { endpoint: `${gateway.url}/codec` },
        redis: { url: commandsRedisUrl },
        hubEnv,
      }),
    );
    // The runbook's PATH line finds the CLI of this run under XDG_CACHE_HOME, as npm start's build would leave it.
    const cacheBin = join(stateRoot, 'cache/bitbylaw-hub/bin');
    mkdirSync(cacheBin, { recursive: true });
    symlinkSync(temporalCli(), join(cacheBin, 'temporal'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? stateRoot,
      XDG_CACHE_HOME: join(stateRoot, 'cache'),
      // The runbook's commands use the CLI's default address (the sandbox's); here the run's dev server.
      TEMPORAL_ADDRESS: temporalAddress(),
      HUB_PAYLOAD_KEYS: process.env.HUB_PAYLOAD_KEYS ?? '',
      SANDBOX_STATE_DIR: stateDir,
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    };
  });

  after(async () => {
    const ids = [...fixtureWorkflows, CALENDAR_SYNC_ALL_WORKFLOW_ID];
    await Promise.all(
      ids.map((id) =>
        hub?.client.workflow
          .getHandle(id)
          .terminate('runbook test over')
          .catch(() => undefined),
      ),
    );
    for (const id of [BETEILIGTE_SWEEP_SCHEDULE_ID, BANKVERBINDUNGEN_SWEEP_SCHEDULE_ID, CALENDAR_SYNC_SCHEDULE_ID]) {
      await hub?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
    await gateway?.close();
    await hub?.close();
    await Promise.all([advoware.stop(), espocrm.stop(), google.stop()]);
    redis?.disconnect();
    rmSync(stateRoot, { recursive: true, force: true });
  });

  async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const value = read();
      if (value !== undefined && value !== null) return value;
      await sleep(100);
    }
    assert.fail(`timed out: ${what}`);
  }

  async function waitForOutcome(workflowId: string, outcome: string, running: boolean): Promise<void> {
    let last = '';
    for (let i = 0; i < 300; i++) {
      const described = await hub.client.workflow
        .getHandle(workflowId)
        .describe()
        .catch(() => undefined);
      const value = described?.typedSearchAttributes.get(HubOutcome);
      last = `${described?.status.name} ${value}`;
      if (value === outcome && (described?.status.name === 'RUNNING') === running) return;
      await sleep(100);
    }
    assert.fail(`${workflowId}: expected HubOutcome ${outcome} (${running ? 'running' : 'closed'}), still ${last}`);
  }

  /**
   * What the runbook says of `schedule trigger`: it starts a run at once, also while the schedule is paused (which it
   * stays), and skips it while the previous run still goes (overlap policy Skip).
   */
  async function assertTriggered(scheduleId: string, before: ScheduleDescription, where: string): Promise<void> {
    const acted = (d: ScheduleDescription) => d.info.numActionsTaken + d.info.numActionsSkippedOverlap;
    let after = before;
    for (let i = 0; i < 100 && acted(after) === acted(before); i++) {
      await sleep(100);
      after = await hub.client.schedule.getHandle(scheduleId).describe();
    }
    assert.ok(acted(after) > acted(before), `${where}: the trigger started a run (or skipped one that overlapped)`);
    assert.equal(after.state.paused, before.state.paused, `${where}: a trigger neither pauses nor unpauses`);
    if (before.state.paused) pausedTriggers += 1;
  }
  let pausedTriggers = 0;

  it("the failing-now query of the runbook is the hub's, in the Web UI block and on the command line", () => {
    assert.ok(markdown.includes(`\`\`\`text\n${FAILING_NOW_QUERY}\n\`\`\``), 'the Web UI query block is FAILING_NOW_QUERY');
    assert.ok(
      runbookCommands(markdown).some((c) => c.text === `temporal workflow list --query "${FAILING_NOW_QUERY}"`),
      'temporal workflow list with FAILING_NOW_QUERY',
    );
  });

  it('every temporal command of the tctl table exists in the CLI with its flags', () => {
    const rows = mappingTableCommands(markdown);
    assert.ok(rows.length >= 10, 'the tctl → temporal table');
    for (const row of rows) {
      checkTemporalSyntax(`docs/runbook.md:${row.line} (${row.text})`, shellWords(row.text).slice(1));
    }
  });

  it('every sh command runs (or, compose only, parses) and ends with its documented exit code', async () => {
    const commands = runbookCommands(markdown);
    assert.ok(commands.length > 40, `the runbook's commands were found (${commands.length})`);
    const defaultQueue = temporalEnv.shape.TEMPORAL_TASK_QUEUE.parse(undefined);
    const expectations: { match: (text: string) => boolean; check: (out: Outcome, where: string) => void }[] = [
      {
        match: (t) => t === 'npm run hub:failures',
        check: (out, where) => {
          assert.equal(out.code, 1, `${where}: something is failing`);
          for (const id of [fixture.partyId, fixture.accountId, kuerzel]) assert.ok(out.stdout.includes(id ?? '?'), `${where}: lists ${id}`);
        },
      },
      {
        match: (t) => t === `temporal workflow list --query "${FAILING_NOW_QUERY}"`,
        check: (out, where) => {
          for (const id of fixtureWorkflows.slice(2)) assert.ok(out.stdout.includes(id), `${where}: lists ${id}\n${out.stdout}`);
        },
      },
      {
        match: (t) => t.startsWith('temporal workflow show --detailed --workflow-id beteiligte-sync/'),
        check: (out, where) => {
          assert.match(out.stdout, /Runbookneu/, `${where}: the payloads are decoded (the party's name)`);
          assert.match(out.stdout, /Validierung fehlgeschlagen/, `${where}: the error text`);
        },
      },
      {
        match: (t) => t.startsWith('temporal workflow describe --workflow-id beteiligte-sync/'),
        check: (out, where) => assert.match(out.stdout, /permanently_failed/, `${where}: the outcome and memo`),
      },
    ];

    for (const command of commands) {
      const where = `docs/runbook.md:${command.line}: ${command.text}`;
      if (command.checkOnly) {
        checkOnly(command);
        continue;
      }
      let text = command.text.replace(/<([A-Za-z]+)>/g, (whole, name: string) => {
        const value = fixture[name];
        assert.ok(value !== undefined, `${where}: placeholder ${whole} has no value (the runbook's placeholders are listed in "Before you start")`);
        return value;
      });
      if (text.includes('--task-queue ')) {
        assert.ok(text.includes(`--task-queue ${defaultQueue} `), `${where}: the hub's task queue is ${defaultQueue}`);
        text = text.replace(`--task-queue ${defaultQueue} `, `--task-queue ${hub.taskQueue} `);
      }
      const words = shellWords(text);
      if (words[0] === 'temporal') checkTemporalSyntax(where, words.slice(1));
      const scheduleId = /^temporal schedule trigger --schedule-id (\S+)$/.exec(text)?.[1];
      const scheduleBefore = scheduleId ? await hub.client.schedule.getHandle(scheduleId).describe() : undefined;
      const cwd = text.includes('./var/sandbox.json') ? stateRoot : ROOT;
      const exported = text.startsWith('export ');
      const out = await runShell(exported ? `${text}\nenv -0` : text, cwd, env);
      assert.ok(
        command.exitCodes.includes(out.code ?? -1),
        `${where}\nexited ${out.code}, the runbook allows ${command.exitCodes.join(' or ')}\nstdout: ${out.stdout.slice(-2000)}\nstderr: ${out.stderr.slice(-2000)}`,
      );
      if (exported) {
        env = Object.fromEntries(
          out.stdout
            .split('\0')
            .filter((entry) => entry.includes('='))
            .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
        );
      }
      if (scheduleId && scheduleBefore) await assertTriggered(scheduleId, scheduleBefore, where);
      for (const expectation of expectations) if (expectation.match(command.text)) expectation.check(out, where);
    }
    assert.ok(pausedTriggers > 0, 'the runbook triggers a paused schedule, as it describes');
    // The set-up lines gave what the sandbox file says.
    assert.equal(env.HUB_GATEWAY, gateway.url);
    assert.equal(env.HUB_API_KEY, TEST_API_KEY);
    assert.equal(env.REDIS_URL, commandsRedisUrl);
    assert.equal(env.TEMPORAL_CODEC_ENDPOINT, `${gateway.url}/codec`);
  });
});
