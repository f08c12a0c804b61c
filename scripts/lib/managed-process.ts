import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { forgetProcess, recordProcess, signalGroup } from './process-record';

export interface ManagedProcessOptions {
  env?: NodeJS.ProcessEnv;
  logFile: string;
  stopTimeoutMs?: number;
  /** Where to record the child (pid, start time, executable), so a later run can stop it if we die first. */
  recordFile?: string;
}

/**
 * A child process in a process group of its own, writing its output to a log file. Stopped with SIGTERM and,
 * if it lingers, SIGKILL to its whole group, so helpers it started go with it.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private done = false;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: ManagedProcessOptions,
  ) {}

  /** Starts the process; called again after it exited, it starts a new one (the supervisor's restart). */
  start(onUnexpectedExit: (name: string, code: number | null) => void): void {
    this.done = false;
    mkdirSync(dirname(this.options.logFile), { recursive: true });
    // The child writes to the file itself, not through a pipe to us: when the supervisor is killed, a child
    // writing to a broken pipe would die of SIGPIPE or EPIPE at some random moment instead of being stopped.
    const logFd = openSync(this.options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.command, this.args, {
        env: this.options.env ?? process.env,
        // Own process group: a terminal Ctrl-C reaches only the supervisor, which stops children in order.
        detached: true,
        stdio: ['ignore', logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    // A failed exec (missing binary) arrives as 'error' and would otherwise crash the supervisor.
    child.on('error', (err) => appendFileSync(this.options.logFile, `[supervisor] ${this.name}: ${err.message}\n`));
    const { recordFile } = this.options;
    if (recordFile && child.pid !== undefined) recordProcess(recordFile, this.name, child.pid, [this.command, ...this.args]);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => {
        if (child.pid === undefined) resolve(null);
      });
    });
    void this.exited.then((code) => {
      this.done = true;
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      if (recordFile) forgetProcess(recordFile);
      if (this.child === child) onUnexpectedExit(this.name, code);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True once the process has exited (or could not be started at all). */
  get hasExited(): boolean {
    return this.done;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || !this.exited) return;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const pid = child.pid;
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.options.stopTimeoutMs ?? 15_000);
      await this.exited;
      clearTimeout(timer);
    } else {
      await this.exited;
    }
  }
}
