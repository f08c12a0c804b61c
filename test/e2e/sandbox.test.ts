import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DEMO_IDS } from '../../simulators/espocrm/seed';
import { eventually } from '../support/eventually';
import { cliCodecFlags } from '../support/services';
import { sandboxEnvironment } from './npm-start';

const run = promisify(execFile);

interface AdvowareParty {
  name: string;
  vorname?: string;
}

interface SandboxDescription {
  gateway: { url: string; apiKey: string };
  temporal: { address: string; uiUrl: string };
  simulators: { advoware: { url: string }; espocrm: { url: string; keys: { apiKey: string } }; threecx: { url: string } };
}

/** `npm start` as a newcomer runs it, on free ports and a state folder of the test's own. */
describe('npm start (sandbox mode), end to end', () => {
  let child: ChildProcess;
  let stateDir: string;
  let sandbox: SandboxDescription;
  let output = '';

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'hub-sandbox-'));
    const { env } = await sandboxEnvironment(stateDir);
    // A short sweep interval is not needed: the test triggers the sweep by hand, like an operator.
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const file = join(stateDir, 'sandbox.json');
    await eventually(() => Promise.resolve(existsSync(file) ? true : undefined), 150_000, `sandbox.json (output so far:\n${output})`);
    sandbox = JSON.parse(readFileSync(file, 'utf8')) as SandboxDescription;
  });

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  const gateway = (path: string, init: RequestInit = {}, apiKey: string | null = sandbox.gateway.apiKey) =>
    fetch(`${sandbox.gateway.url}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(apiKey ? { 'X-API-Key': apiKey } : {}), ...(init.headers ?? {}) },
    });
  const espoAdmin = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${sandbox.simulators.espocrm.url}/__admin${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const advowareParty = async (betNr: number) => {
    const res = await gateway(`/advoware/proxy?path=api/v1/advonet/Beteiligte/${betNr}`);
    if (res.status !== 200) return undefined;
    const body = (await res.json()) as AdvowareParty | AdvowareParty[];
    return Array.isArray(body) ? body[0] : body;
  };
  const espoParty = async (id: string) => (await (await espoAdmin(`/entities/CBeteiligte/${id}`)).json()) as { betnr?: number; syncStatus?: string };

  it('prints the URLs and the API key and writes them to sandbox.json', () => {
    assert.ok(output.includes(sandbox.gateway.url));
    assert.ok(output.includes(sandbox.temporal.uiUrl));
    assert.ok(output.includes(sandbox.gateway.apiKey));
    assert.equal(sandbox.gateway.apiKey, 'sandbox-hub-key');
  });

  it('serves the Temporal Web UI and a healthy gateway', async () => {
    assert.equal((await fetch(sandbox.temporal.uiUrl)).status, 200);
    assert.equal((await fetch(`${sandbox.gateway.url}/health`)).status, 200);
  });

  it('proxies to the Advoware simulator with the demo data, and guards the proxy', async () => {
    const res = await gateway('/advoware/proxy?path=api/v1/advonet/Mitarbeiter');
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as unknown[]).length >= 3);
    assert.equal((await gateway('/advoware/proxy?path=api/v1/advonet/Mitarbeiter', {}, null)).status, 401);
    assert.equal((await gateway('/advoware/proxy?path=http://evil.example/')).status, 400);
    assert.equal((await gateway('/advoware/proxy?path=../x')).status, 400);
    assert.equal((await gateway('/advoware/proxy?path=api/%2e%2e/x')).status, 400);
  });

  it('a Beteiligte created and then edited in EspoCRM reaches Advoware on its own (webhooks)', async () => {
    const created = (await (await espoAdmin('/entities/CBeteiligte', 'POST', { firstName: 'Sandra', lastName: 'Sandbox' })).json()) as { id: string };
    const betNr = await eventually(async () => (await espoParty(created.id)).betnr ?? undefined, 30_000, 'betnr written back');
    assert.equal((await advowareParty(betNr))?.name, 'Sandbox');

    await espoAdmin(`/entities/CBeteiligte/${created.id}`, 'PATCH', { lastName: 'Sandkasten' });
    await eventually(async () => ((await advowareParty(betNr))?.name === 'Sandkasten' ? true : undefined), 30_000, 'the edit in Advoware');
  });

  it('a phone number added to a demo Beteiligte in EspoCRM reaches Advoware with a marker; removed, it leaves an empty slot', async () => {
    // Schmidt Immobilien GmbH (betNr 100003) has an empty mobile slot in Advoware's demo data (README walkthrough).
    const id = DEMO_IDS.schmidtImmobilien;
    const office = { phoneNumber: '+49 89 5550100', type: 'Office', primary: true };
    const fax = { phoneNumber: '+49 89 5550199', type: 'Fax', primary: false };
    const kommunikationen = async () => {
      const res = await gateway('/advoware/proxy?path=api/v1/advonet/Beteiligte/100003/Kommunikationen');
      assert.equal(res.status, 200);
      return (await res.json()) as { id: number; tlf: string; bemerkung: string | null; online: boolean }[];
    };
    const slotId = (await kommunikationen()).find((k) => k.bemerkung === '[ESPOCRM-SLOT:3]')?.id;
    assert.ok(slotId, 'the demo data has the slot');

    await espoAdmin(`/entities/CBeteiligte/${id}`, 'PATCH', {
      phoneNumberData: [office, fax, { phoneNumber: '0170 5551234', type: 'Mobile', primary: false }],
    });
    const filled = await eventually(async () => (await kommunikationen()).find((k) => k.tlf === '0170 5551234'), 30_000, 'the number in Advoware');
    assert.equal(filled.id, slotId, 'the slot was reused, no new entry');
    assert.equal(filled.bemerkung, `[ESPOCRM:${Buffer.from('0170 5551234').toString('base64')}:3]`);
    const zentrale = (await kommunikationen()).find((k) => k.tlf === '+49 89 5550100');
    assert.match(zentrale?.bemerkung ?? '', /^\[ESPOCRM:[^\]]+:1\] Zentrale$/, "the first sync marked the office number and kept the user's remark");

    await espoAdmin(`/entities/CBeteiligte/${id}`, 'PATCH', { phoneNumberData: [office, fax] });
    const emptied = await eventually(
      async () => (await kommunikationen()).find((k) => k.id === slotId && k.tlf === ''),
      30_000,
      'the entry emptied into a slot',
    );
    assert.deepEqual({ bemerkung: emptied.bemerkung, online: emptied.online }, { bemerkung: '[ESPOCRM-SLOT:3]', online: false });
  });

  it('an inbound call from a Beteiligte synced moments ago pops it up in the webhook answer and is logged as a Call', async () => {
    const created = (await (
      await espoAdmin('/entities/CBeteiligte', 'POST', {
        firstName: 'Carla',
        lastName: 'Caller',
        phoneNumberData: [{ phoneNumber: '0171 4455667', type: 'Mobile', primary: true }],
      })
    ).json()) as { id: string };
    const betNr = await eventually(async () => (await espoParty(created.id)).betnr ?? undefined, 30_000, 'the party synced');

    // No rebuild: the sync that created the party put its number into the caller index.
    const res = await fetch(`${sandbox.simulators.threecx.url}/__admin/inbound-call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '+49 171 4455667', to: '+4930999000', extension: '201', duration: 90 }),
    });
    assert.equal(res.status, 200);
    const played = (await res.json()) as { call_id: string; deliveries: { event: string; status: number; body: Record<string, unknown> }[] };
    const pop = played.deliveries[0];
    assert.equal(pop?.event, 'call.started');
    assert.equal(pop?.status, 200);
    assert.deepEqual(
      { known: pop?.body.known, name: pop?.body.name, betNr: pop?.body.betNr },
      { known: true, name: 'Carla Caller', betNr },
      JSON.stringify(pop?.body),
    );
    assert.deepEqual(
      played.deliveries.map((d) => d.status),
      [200, 202],
      'call.ended recorded too',
    );

    const call = await eventually(
      async () => {
        const list = (await (await espoAdmin(`/entities/Call`)).json()) as { list?: Record<string, unknown>[] } | Record<string, unknown>[];
        const rows = Array.isArray(list) ? list : (list.list ?? []);
        return rows.find((c) => c.threecxCallId === played.call_id);
      },
      30_000,
      'the Call in EspoCRM',
    );
    assert.deepEqual(
      { parentType: call.parentType, parentId: call.parentId, status: call.status, direction: call.direction, duration: call.duration },
      { parentType: 'CBeteiligte', parentId: created.id, status: 'Held', direction: 'Inbound', duration: 90 },
    );
  });

  it('a Beteiligte made dirty without a webhook is picked up by a manually triggered sweep', async () => {
    const webhooks = (await (await espoAdmin('/webhooks')).json()) as { id: string }[];
    for (const hook of webhooks) await espoAdmin(`/webhooks/${hook.id}`, 'DELETE');
    const created = (await (await espoAdmin('/entities/CBeteiligte', 'POST', { firmenname: 'Ohne Webhook GmbH' })).json()) as { id: string };
    await sleep(1_000);
    assert.equal((await espoParty(created.id)).syncStatus, 'pending_sync', 'no webhook, no sync yet');

    const cli = process.env.TEMPORAL_CLI ?? 'temporal';
    await run(cli, ['schedule', 'trigger', '--schedule-id', 'beteiligte-sync-sweep', '--address', sandbox.temporal.address]);
    const betNr = await eventually(async () => (await espoParty(created.id)).betnr ?? undefined, 30_000, 'the sweep to sync the Beteiligte');
    assert.equal((await advowareParty(betNr))?.name, 'Ohne Webhook GmbH');
  });

  it('POST /advoware/calendar/sync {"kuerzel":"ALL"} syncs every calendar, and calendar:audit finds no differences', async () => {
    const res = await gateway('/advoware/calendar/sync', { method: 'POST', body: JSON.stringify({ kuerzel: 'ALL' }) });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { workflowIds: ['calendar-sync-all'] });
    const cli = process.env.TEMPORAL_CLI ?? 'temporal';
    const { stdout } = await run(cli, [
      'workflow',
      'result',
      '--workflow-id',
      'calendar-sync-all',
      '--address',
      sandbox.temporal.address,
      ...cliCodecFlags(sandbox.gateway.url, sandbox.gateway.apiKey),
      '--output',
      'json',
    ]);
    assert.match(stdout, /"synced":\s*3/, `three active employees synced: ${stdout}`);

    // The audit reads the sandbox's addresses from sandbox.json, as it does after a newcomer's `npm start`.
    const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_STATE_DIR: stateDir };
    delete env.REDIS_URL;
    for (const kuerzel of ['ABC', 'DEF', 'GHI']) {
      const audit = await run('npm', ['run', '--silent', 'calendar:audit', '--', '--kuerzel', kuerzel, '--json'], { env });
      const report = JSON.parse(audit.stdout) as { inSync: boolean; differences: unknown[] };
      assert.equal(report.inSync, true, `${kuerzel}: ${audit.stdout}`);
      assert.deepEqual(report.differences, []);
    }
  });

  it('a Temporal dev server and a worker killed outright come back on their own, with the state they had', async () => {
    // The sweep test above removed EspoCRM's webhooks: the sweep, triggered like an operator does, does the syncing.
    const cli = process.env.TEMPORAL_CLI ?? 'temporal';
    const sweep = () => run(cli, ['schedule', 'trigger', '--schedule-id', 'beteiligte-sync-sweep', '--address', sandbox.temporal.address]);
    const created = (await (await espoAdmin('/entities/CBeteiligte', 'POST', { firstName: 'Rita', lastName: 'Restart' })).json()) as { id: string };
    await sweep();
    const betNr = await eventually(async () => (await espoParty(created.id)).betnr ?? undefined, 30_000, 'the party synced');
    const pidOf = (name: string) => (JSON.parse(readFileSync(join(stateDir, 'run', `${name}.json`), 'utf8')) as { pid: number }).pid;

    const temporalPid = pidOf('temporal');
    process.kill(temporalPid, 'SIGKILL');
    await eventually(() => Promise.resolve(output.includes('temporal restarted') ? true : undefined), 30_000, 'the dev server restarted');
    assert.notEqual(pidOf('temporal'), temporalPid);
    await eventually(async () => ((await gateway('/health')).status === 200 ? true : undefined), 60_000, 'the gateway healthy again');
    // The SQLite file kept the history: the workflow of the sync before the crash is still there.
    await run(cli, ['workflow', 'describe', '--workflow-id', `beteiligte-sync/${created.id}`, '--address', sandbox.temporal.address]);

    const workerPid = pidOf('worker');
    process.kill(workerPid, 'SIGKILL');
    await eventually(() => Promise.resolve(output.includes('worker restarted') ? true : undefined), 30_000, 'the worker restarted');
    await espoAdmin(`/entities/CBeteiligte/${created.id}`, 'PATCH', { lastName: 'Restarted' });
    await eventually(async () => ((await sweep().then(() => true)) ? true : undefined), 30_000, 'a sweep after the worker came back');
    await eventually(
      async () => ((await advowareParty(betNr))?.name === 'Restarted' ? true : undefined),
      60_000,
      'the edit in Advoware after both restarts',
    );
    assert.equal(child.exitCode, null, 'npm start still runs');
  });

  it('Ctrl-C stops every process it started', async () => {
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    await assert.rejects(fetch(`${sandbox.gateway.url}/health`));
    await assert.rejects(fetch(sandbox.temporal.uiUrl));
  });
});
