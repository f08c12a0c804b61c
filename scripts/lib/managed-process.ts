import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';

/** A child process whose output goes to a log file, stopped with SIGTERM and, if it lingers, SIGKILL. */
export class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: { env?: NodeJS.ProcessEnv; logFile: string; stopTimeoutMs?: number },
  ) {}

  start(onUnexpectedExit: (name: string, code: number | null) => void): void {
    mkdirSync(dirname(this.options.logFile), { recursive: true });
    const log = createWriteStream(this.options.logFile, { flags: 'a' });
    const child = spawn(this.command, this.args, {
      env: this.options.env ?? process.env,
      // Own process group: a terminal Ctrl-C reaches only the supervisor, which stops children in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
    void this.exited.then((code) => {
      if (this.child === child) onUnexpectedExit(this.name, code);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.child = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
