import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface WorkerProcess {
  child: ChildProcess;
  /** Temporal's default worker identity, `<pid>@<host>`: how history tells processes apart. */
  identityPrefix: string;
  output: () => string;
}

/**
 * The production worker (`workers/main.ts`) in a child process of its own, configured by `env` only, so a test
 * can run several of them or kill one the hard way (SIGKILL: no shutdown hooks), as a crash or OOM would.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker running')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, identityPrefix: `${child.pid}@`, output: () => output };
}

/** SIGTERM (graceful: in-flight activities finish), SIGKILL if it does not stop within 25 s. */
export async function stopWorkerProcess(worker: WorkerProcess): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  await exited;
  clearTimeout(timer);
}
