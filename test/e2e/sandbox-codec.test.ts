/**
 * `npm start`'s encryption of client data (issue 16): the sandbox generates its payload key once into its state dir,
 * points the Web UI at the gateway's codec, and the history it wrote stays readable after a restart.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually';
import { sandboxEnvironment } from './npm-start';

const run = promisify(execFile);

interface SandboxDescription {
  gateway: { url: string; apiKey: string };
  temporal: { address: string; uiUrl: string };
  codec: { endpoint: string };
  hubEnv: Record<string, string>;
}

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

describe('npm start (sandbox mode): client data encrypted, decoded through the gateway', () => {
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;
  let output = '';
  let sandbox: SandboxDescription;

  async function start(): Promise<SandboxDescription> {
    const file = join(stateDir, 'sandbox.json');
    rmSync(file, { force: true });
    output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => Promise.resolve(existsSync(file) ? true : undefined), 150_000, `sandbox.json (output so far:\n${output})`);
    return JSON.parse(readFileSync(file, 'utf8')) as SandboxDescription;
  }
  async function stop(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
    }
  }
  const secrets = () => JSON.parse(readFileSync(join(stateDir, 'payload-encryption.json'), 'utf8')) as { payloadKeys: string; codecUiToken: string };
  const result = (codec: boolean) =>
    run(
      process.env.TEMPORAL_CLI ?? 'temporal',
      ['workflow', 'result', '--workflow-id', 'calendar-sync-all', '--address', sandbox.temporal.address, '--output', 'json'],
      {
        env: codec
          ? { ...process.env, TEMPORAL_CODEC_ENDPOINT: sandbox.codec.endpoint, TEMPORAL_CODEC_AUTH: `Bearer ${sandbox.gateway.apiKey}` }
          : process.env,
      },
    );

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'hub-sandbox-codec-'));
    ({ env } = await sandboxEnvironment(stateDir));
    // The sandbox's own key, as on a developer's machine (the test run's key would otherwise be inherited).
    delete env.HUB_PAYLOAD_KEYS;
    sandbox = await start();
  });
  after(async () => {
    await stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("generates a key into the state dir, gives it to the hub and the commands, and points the Web UI at the gateway's codec", async () => {
    const { payloadKeys, codecUiToken } = secrets();
    assert.match(payloadKeys, /^sandbox:[A-Za-z0-9+/]{43}=$/);
    assert.equal(sandbox.hubEnv.HUB_PAYLOAD_KEYS, payloadKeys, 'commands reading sandbox.json decrypt with it');
    assert.equal(sandbox.codec.endpoint, `${sandbox.gateway.url}/codec`);
    const settings = (await (await fetch(`${sandbox.temporal.uiUrl}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    assert.equal(settings.Codec?.Endpoint, `${sandbox.gateway.url}/codec/ui/${codecUiToken}`);
  });

  it('a workflow result is ciphertext for the CLI without the codec; the CLI with it and the Web UI route read it', async () => {
    const res = await fetch(`${sandbox.gateway.url}/advoware/calendar/sync`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': sandbox.gateway.apiKey },
      body: JSON.stringify({ kuerzel: 'ALL' }),
    });
    assert.equal(res.status, 202);
    const decoded = await result(true);
    assert.match(decoded.stdout, /"synced":\s*3/);

    const raw = JSON.parse((await result(false)).stdout) as { result: JsonPayload };
    assert.equal(Buffer.from(raw.result.metadata.encoding ?? '', 'base64').toString(), 'binary/encrypted');
    assert.doesNotMatch(Buffer.from(raw.result.data, 'base64').toString('latin1'), /synced/);

    // What the UI's JavaScript does in the operator's browser: a preflight, then the decode from the UI's origin.
    const endpoint = `${sandbox.gateway.url}/codec/ui/${secrets().codecUiToken}`;
    const origin = sandbox.temporal.uiUrl;
    const preflight = await fetch(`${endpoint}/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    const ui = await fetch(`${endpoint}/decode`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [raw.result] }),
    });
    assert.equal(ui.status, 200);
    const [payload] = ((await ui.json()) as { payloads: JsonPayload[] }).payloads;
    assert.match(Buffer.from(payload?.data ?? '', 'base64').toString(), /"synced":3/);
  });

  it('a restart reuses the key, so the history written before it still decodes', async () => {
    const before = secrets();
    await stop();
    sandbox = await start();
    assert.deepEqual(secrets(), before);
    assert.match((await result(true)).stdout, /"synced":\s*3/);
  });
});
