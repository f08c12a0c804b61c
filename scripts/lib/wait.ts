import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns true; throws `message` after `timeoutMs`, or at once when `givenUp`
 * says waiting is pointless (the process that should answer has exited).
 */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, message: string, givenUp?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (givenUp?.()) break;
    await sleep(250);
  }
  throw new Error(message);
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.body?.cancel();
  return res.ok;
}

/**
 * Ports below the operating systems' ephemeral ranges (Linux 32768-60999, macOS and Windows 49152-65535). A port the
 * OS picks for `listen(0)` comes from the ephemeral range, where any outgoing connection (a gRPC or Redis client)
 * may take it between this check and the server's own listen: EADDRINUSE in a test now and then.
 */
const PORT_RANGE = { from: 20_000, to: 32_000 };

/** A TCP port free on 127.0.0.1 right now, chosen at random outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (await portFree(port)) return port;
  }
  throw new Error(`no free port between ${PORT_RANGE.from} and ${PORT_RANGE.to} after 50 tries`);
}

/** Whether 127.0.0.1:`port` can be bound right now. */
export async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}
