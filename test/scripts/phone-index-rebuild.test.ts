import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CallerIndexStore } from '../../clients/redis/caller-index';
import { EspoCrmSimulator } from '../../simulators/espocrm/simulator';
import { espocrmEnvFor, SANDBOX_ESPOCRM } from '../../simulators/sandbox-credentials';
import { redisUrl } from '../support/services';

const ROOT = resolve(__dirname, '../..');
/** tsx by file URL: the command runs in an empty directory, so no `.env` or `var/` of the checkout leaks in. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** Redis database of this file: the command writes the hub's own keys (`caller_index:`), kept apart here. */
const REDIS_DB = 10;

/** More than one EspoCRM page (200), so the id cursor is exercised. */
const PARTIES = 230;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(env: Record<string, string>): Promise<Result> {
  const cwd = mkdtempSync(join(tmpdir(), 'phone-index-cwd-'));
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'scripts', 'phone-index-rebuild.ts')], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      done({ code, stdout, stderr });
    });
  });
}

/** `030 1000000 + i`: every party its own number, written in varying formats. */
function ownNumber(i: number): string {
  const local = String(1_000_000 + i);
  return ['030 ' + local, '+49 30 ' + local, '+4930' + local][i % 3] as string;
}

describe('phone-index:rebuild (child process against the EspoCRM simulator)', () => {
  const espocrm = new EspoCrmSimulator({ apiKey: SANDBOX_ESPOCRM.apiKey });
  const stateDir = mkdtempSync(join(tmpdir(), 'phone-index-sandbox-'));
  let env: Record<string, string> = {};
  let redis: Redis;
  const ids: string[] = [];

  before(async () => {
    const url = new URL(redisUrl());
    url.pathname = `/${REDIS_DB}`;
    env = { ...espocrmEnvFor(await espocrm.start()), REDIS_URL: url.toString(), PATH: process.env.PATH ?? '' };
    redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    for (let i = 0; i < PARTIES; i++) {
      // Every tenth party also shares the office line 089 5555555; one number per 23 parties is a typo.
      const numbers = [ownNumber(i), ...(i % 10 === 0 ? ['089 5555555'] : []), ...(i % 23 === 0 ? ['12'] : [])];
      const record = espocrm.userCreate('CBeteiligte', {
        name: `Party ${i}`,
        betnr: 10_000 + i,
        assignedUserId: `user-${i % 4}`,
        phoneNumberData: numbers.map((phoneNumber, n) => ({ phoneNumber, type: 'Office', primary: n === 0 })),
      });
      ids.push(record.id);
    }
    espocrm.userCreate('CBeteiligte', { name: 'Ohne Telefon' });
  });
  after(async () => {
    await espocrm.stop();
    redis.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('rebuilds the index from every Beteiligte page by page, dropping what was there, and prints a summary', async () => {
    const index = new CallerIndexStore(redis);
    // A stale entry from before: the rebuild starts from nothing.
    await index.replaceParty('gone', [
      { number: '+497111234567', party: { espoId: 'gone', betNr: null, name: 'Gelöscht', assignedUserId: null, source: 'beteiligte' } },
    ]);
    espocrm.calls.reset();

    // Like `npm start` in sandbox mode: only the state dir in the environment, the rest in sandbox.json.
    writeFileSync(join(stateDir, 'sandbox.json'), JSON.stringify({ mode: 'sandbox', hubEnv: env }));
    const result = await run({ PATH: env.PATH ?? '', SANDBOX_STATE_DIR: stateDir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');

    const shared = PARTIES / 10;
    const typos = Math.ceil(PARTIES / 23);
    const lines = result.stdout.trim().split('\n');
    // Pages follow EspoCRM's ids, not creation order: how many numbers the first page held depends on which parties it had.
    assert.equal(lines.length, 3, result.stdout);
    assert.match(lines[0] ?? '', new RegExp(`^200/${PARTIES + 1} Beteiligte, \\d+ numbers indexed$`));
    assert.equal(lines[1], `${PARTIES + 1}/${PARTIES + 1} Beteiligte, ${PARTIES + shared} numbers indexed`);
    assert.equal(lines[2], `Summary: ${PARTIES + 1} Beteiligte read, ${PARTIES + shared} numbers indexed, ${typos} unusable numbers skipped.`);
    assert.equal(espocrm.calls.count('GET /api/v1/:entityType'), 2, 'two pages');
    assert.equal(espocrm.calls.count(), 2, 'EspoCRM is only read');

    assert.deepEqual(await index.lookup('+49 711 1234567'), { matches: [] }, 'the stale entry is gone');
    for (const i of [0, 1, 2, 199, 200, PARTIES - 1]) {
      assert.deepEqual(await index.lookup(`+4930${1_000_000 + i}`), {
        matches: [{ espoId: ids[i], betNr: 10_000 + i, name: `Party ${i}`, assignedUserId: `user-${i % 4}`, source: 'beteiligte' }],
      });
    }
    const sharing = (await index.lookup('+49 89 5555555')).matches.map((p) => p.espoId);
    assert.deepEqual(sharing, ids.filter((_, i) => i % 10 === 0).sort(), 'the shared line answers every party on it');
  });

  it('exits 2 without configuration', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'phone-index-empty-'));
    try {
      const result = await run({ PATH: env.PATH ?? '', SANDBOX_STATE_DIR: empty });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no configuration: set ESPOCRM_API_BASE_URL.*start the sandbox with npm start/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
