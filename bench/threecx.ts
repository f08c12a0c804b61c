import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { signThreeCxBody } from '../lib/threecx-signature';
import { THREECX_SIGNATURE_HEADER } from '../contracts/threecx';
import { SANDBOX_THREECX } from '../simulators/sandbox-credentials';
import type { BenchContext } from './context';
import { BENCH_API_KEY } from './hub-processes';
import { nowMs, round, summarize, type Summary } from './stats';

export interface RebuildFigures {
  parties: number;
  seconds: number;
  espocrmCalls: number;
  callsPer100: number;
}

export interface ScreenPopFigures {
  calls: number;
  concurrency: number;
  latency: Summary;
  /** Answers that named the party the number belongs to / said unknown for an unknown number. */
  correct: number;
  notOk: number;
}

export interface YContextFigures {
  warm: Summary;
  /** API calls (EspoCRM + Advoware) of one cold profile. */
  coldCalls: number;
  coldMs: number;
}

/** `npm run phone-index:rebuild` as an operator runs it, against the bench's EspoCRM simulator and Redis. */
export async function measureRebuild(ctx: BenchContext, parties: number): Promise<RebuildFigures> {
  await ctx.sim.call('resetCalls');
  const start = nowMs();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/phone-index-rebuild.ts'], {
    env: { ...process.env, ...ctx.env.simulators, REDIS_URL: ctx.env.redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`phone-index:rebuild exited ${String(code)}:\n${output.slice(-2000)}`);
  const seconds = (nowMs() - start) / 1000;
  const espocrmCalls = (await ctx.sim.call('apiCalls')).espocrm;
  return { parties, seconds: round(seconds, 2), espocrmCalls, callsPer100: round((espocrmCalls / Math.max(parties, 1)) * 100, 2) };
}

/**
 * `call.started` signed as 3CX signs it, `concurrency` at once, `waves` times: gateway to response, the caller
 * lookup and the durable hand-off to `call/<call_id>` included. Every tenth number is unknown.
 */
export async function measureScreenPop(ctx: BenchContext, numbers: readonly string[], concurrency: number, waves: number): Promise<ScreenPopFigures> {
  let correct = 0;
  let notOk = 0;
  const latency = await ringInWaves(`${ctx.gateway.url}/3cx/webhook`, concurrency, waves, (i) => {
    const unknown = i % 10 === 9;
    const from = unknown ? `+4989${String(1_000_000 + i)}` : (numbers[(i * 7919) % numbers.length] ?? '');
    return {
      from,
      check: (status, answer) => {
        if (status < 200 || status > 299) notOk++;
        else if ((answer as { known?: boolean } | null)?.known === !unknown) correct++;
      },
    };
  });
  return { calls: latency.n, concurrency, latency, correct, notOk };
}

/**
 * The same waves against a bare Node HTTP server in its own process, answering at once: what the machine's HTTP
 * path costs (the bench's client, sockets, a server's parsing) with no hub behind it, so the screen pop's figure
 * can be read against it.
 */
export async function measureHttpFloor(concurrency: number, waves: number): Promise<Summary> {
  const server = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    // Its port, or an error if it dies first (a child that exits never writes, and the bench would wait for ever).
    const exited = once(server, 'exit').then(([code]) => Promise.reject(new Error(`the bare HTTP server exited (${String(code)})`)));
    const [chunk] = (await Promise.race([once(server.stdout, 'data'), exited])) as [Buffer];
    const port = Number(chunk.toString().trim());
    return await ringInWaves(`http://127.0.0.1:${port}/3cx/webhook`, concurrency, waves, () => ({ from: '+4930123456', check: () => undefined }));
  } finally {
    server.kill();
  }
}

/** Reads the body and answers a JSON about the size of a screen pop. */
const BARE_SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ recorded: true, workflowId: 'call/x', known: true, ambiguous: false, name: 'Max Mustermann', betNr: 100001,
  espocrmUrl: 'http://127.0.0.1/#CBeteiligte/view/0123456789abcdef0', lastContact: null, assignedUser: { userId: 'u', kuerzel: 'ABC', extension: '201' } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface Ring {
  from: string;
  check: (status: number, answer: unknown) => void;
}

/** One wave to warm connections, then `waves` waves of `concurrency` signed `call.started` at once; the latencies. */
async function ringInWaves(url: string, concurrency: number, waves: number, ringFor: (i: number) => Ring): Promise<Summary> {
  const samples: number[] = [];
  let measuring = false;
  const ring = async (i: number): Promise<void> => {
    const { from, check } = ringFor(i);
    const body = JSON.stringify({
      event: 'call.started',
      call_id: `bench-${randomUUID()}`,
      from,
      to: '+4930123456',
      extension: '201',
      started_at: new Date().toISOString(),
    });
    const sent = nowMs();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [THREECX_SIGNATURE_HEADER]: signThreeCxBody(SANDBOX_THREECX.webhookSecret, body) },
      body,
    });
    const answer: unknown = await res.json().catch(() => null);
    if (!measuring) return;
    samples.push(nowMs() - sent);
    check(res.status, answer);
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => ring(i)));
  measuring = true;
  for (let wave = 0; wave < waves; wave++) {
    await Promise.all(Array.from({ length: concurrency }, (_, i) => ring(wave * concurrency + i)));
  }
  return summarize(samples);
}

/** One cold profile (its API calls counted), then `samples` warm ones of the same party, one after the other. */
export async function measureYContext(ctx: BenchContext, espoId: string, samples: number): Promise<YContextFigures> {
  const get = async (): Promise<number> => {
    const sent = nowMs();
    const res = await fetch(`${ctx.gateway.url}/y/context?espo_id=${encodeURIComponent(espoId)}`, { headers: { 'X-API-Key': BENCH_API_KEY } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /y/context answered ${res.status}`);
    return nowMs() - sent;
  };
  await ctx.sim.call('resetCalls');
  const coldMs = await get();
  const seen = await ctx.sim.call('apiCalls');
  const warm: number[] = [];
  for (let i = 0; i < samples; i++) warm.push(await get());
  return { warm: summarize(warm), coldCalls: seen.advoware + seen.espocrm, coldMs: round(coldMs, 1) };
}
