import { join } from 'node:path';
import { ManagedProcess } from './managed-process';

export interface SupervisorOptions {
  /** Progress messages ("stopping worker"). */
  log: (message: string) => void;
  /** A child exited although nobody asked it to. */
  onUnexpectedExit: (name: string, code: number | null) => void;
  /** Where each child is recorded while it runs (see process-record.ts); none when omitted. */
  recordDir?: string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  logFile: string;
  stopTimeoutMs?: number;
}

/**
 * Owns everything a run started and stops it in reverse order, once: a second stop request (npm relays
 * Ctrl-C, a child dies during the stop) waits for the first instead of cutting it short.
 */
export class Supervisor {
  private readonly stoppers: { name: string; stop: () => Promise<void> }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly options: SupervisorOptions) {}

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * Starts a child and registers it for the stop at once, before it is ready: an interrupt during a
   * slow start-up must stop it too.
   */
  spawn(name: string, command: string, args: string[], options: SpawnOptions): ManagedProcess {
    if (this.stopping) throw new Error(`not starting ${name}: stopping`);
    const child = new ManagedProcess(name, command, args, {
      ...options,
      recordFile: this.options.recordDir ? join(this.options.recordDir, `${name}.json`) : undefined,
    });
    child.start((childName, code) => {
      if (!this.stopping) this.options.onUnexpectedExit(childName, code);
    });
    this.stoppers.push({ name, stop: () => child.stop() });
    return child;
  }

  /** Registers something started in-process (the simulators). */
  add(name: string, stop: () => Promise<void>): void {
    if (this.stopping) {
      void stop();
      return;
    }
    this.stoppers.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      while (this.stoppers.length > 0) {
        const { name, stop } = this.stoppers.pop() as { name: string; stop: () => Promise<void> };
        this.options.log(`stopping ${name}`);
        await stop().catch((err: unknown) => this.options.log(`${name}: ${err instanceof Error ? err.message : String(err)}`));
      }
    })();
    return this.stopping;
  }
}
