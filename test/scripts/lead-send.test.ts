import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { vermieterheldenWebhook } from '../../domain/leads/schema';
import { verifyVermieterheldenSecret, verifyVermieterheldenSignature } from '../../lib/vermieterhelden-signature';

const ROOT = resolve(__dirname, '../..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const SECRET = 'lead-send-test-secret';

interface Received {
  body: unknown;
  signed: boolean;
}

/**
 * `npm run lead:send` as a child process against a stand-in gateway that checks exactly what the real one checks
 * first: the signature (or the secret) and the schema. The real route's Temporal path is test/workflows/leads.test.ts.
 */
describe('lead:send (child process, sandbox configuration from sandbox.json)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'lead-send-sandbox-'));
  const received: Received[] = [];
  let server: Server;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const signed =
          verifyVermieterheldenSignature(SECRET, raw, req.headers['x-webhook-signature'] as string | undefined) ||
          verifyVermieterheldenSecret(SECRET, req.headers['x-webhook-secret'] as string | undefined);
        const body: unknown = JSON.parse(raw.toString('utf8'));
        received.push({ body, signed });
        const valid = vermieterheldenWebhook.safeParse(body).success;
        res.statusCode = !signed ? 401 : valid ? 200 : 400;
        res.end(JSON.stringify({ accepted: signed && valid }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      join(stateDir, 'sandbox.json'),
      JSON.stringify({ gateway: { url: `http://127.0.0.1:${port}` }, hubEnv: { VERMIETERHELDEN_WEBHOOK_SECRET: SECRET } }),
    );
  });
  after(() => {
    server.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cwd = mkdtempSync(join(tmpdir(), 'lead-send-cwd-'));
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'scripts', 'lead-send.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', SANDBOX_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((done, fail) => {
      child.once('error', fail);
      child.once('close', (code) => {
        rmSync(cwd, { recursive: true, force: true });
        done({ code, stdout, stderr });
      });
    });
  }

  it('sends a signed, valid lead of every type and exits 0', async () => {
    for (const type of ['mieter', 'vermieter', 'kontakt', 'newsletter']) {
      const r = await run('--type', type);
      assert.equal(r.code, 0, `${type}: ${r.stdout}${r.stderr}`);
      assert.equal(received.at(-1)?.signed, true);
    }
    const r = await run('--type', 'mieter', '--secret-header', '--email', 'Erika@Example.de', '--phone', '030 1234567');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const body = received.at(-1)?.body as { lead: { email: string; phone: string } };
    assert.deepEqual([body.lead.email, body.lead.phone], ['Erika@Example.de', '030 1234567']);
  });

  it('exits 1 when the gateway refuses the lead, 2 for a wrong type', async () => {
    assert.equal((await run('--type', 'mieter', '--no-consent')).code, 1, 'a request without privacy consent is a 400');
    assert.equal((await run('--type', 'makler')).code, 2);
  });
});
