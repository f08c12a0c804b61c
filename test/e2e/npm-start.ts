/**
 * Drives `npm start` as a user's terminal does: npm in a process group of its own, so a "Ctrl-C" is SIGINT
 * to the whole group (npm, its shell and the start script at once), and a crash can be SIGKILL to it.
 * What it started is found from outside, in /proc, not from the script's own bookkeeping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../support/services';

export const SANDBOX_PORT_VARIABLES = [
  'PORT',
  'SANDBOX_TEMPORAL_PORT',
  'SANDBOX_TEMPORAL_UI_PORT',
  'SANDBOX_REDIS_PORT',
  'SANDBOX_ADVOWARE_PORT',
  'SANDBOX_ESPOCRM_PORT',
  'SANDBOX_GOOGLE_PORT',
  'SANDBOX_THREECX_PORT',
  'WORKER_METRICS_PORT',
] as const;

/** Sandbox mode on free ports with a state folder of the test's own; nothing of the developer's machine. */
export async function sandboxEnvironment(stateDir: string): Promise<{ env: NodeJS.ProcessEnv; ports: number[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX: 'true', SANDBOX_STATE_DIR: stateDir, LOG_LEVEL: 'warn' };
  delete env.REDIS_URL; // the sandbox starts its own Redis
  delete env.TEMPORAL_ADDRESS;
  const ports: number[] = [];
  for (const name of SANDBOX_PORT_VARIABLES) {
    const port = await freePort();
    env[name] = String(port);
    ports.push(port);
  }
  return { env, ports };
}

export interface NpmStart {
  child: ChildProcess;
  /** Resolves when npm itself has exited. */
  exited: Promise<void>;
  output: () => string;
}

export function startNpm(env: NodeJS.ProcessEnv): NpmStart {
  const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => output };
}

export function signalGroup(npm: NpmStart, signal: NodeJS.Signals): void {
  if (npm.child.pid !== undefined) process.kill(-npm.child.pid, signal);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  command: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), state: fields[0] ?? '', command };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, their children, ...), with its command line. */
export function descendants(root: number): ProcInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((info): info is ProcInfo => info !== undefined);
  const found: ProcInfo[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** A zombie (exited, not yet reaped by an init that does not reap) runs nothing and holds no port. */
export function stillRunning(processes: ProcInfo[]): ProcInfo[] {
  return processes.filter((info) => {
    const now = readProc(info.pid);
    return now !== undefined && now.state !== 'Z' && now.state !== 'X' && now.command === info.command;
  });
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function listeningPorts(ports: number[]): Promise<number[]> {
  const answers = await Promise.all(ports.map(async (port) => ((await listening(port)) ? port : undefined)));
  return answers.filter((port): port is number => port !== undefined);
}

/** Test clean-up only: whatever a failed test left running must not disturb the next. */
export function killAll(processes: ProcInfo[]): void {
  for (const info of stillRunning(processes)) {
    try {
      process.kill(info.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
