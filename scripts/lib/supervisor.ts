import { join } from 'node:path';
import { ManagedProcess } from './managed-process';

/**
 * How a child that dies on its own is started again: after each delay in turn; once it ran `healthyAfterMs` the count
 * starts over. When the delays are used up (a crash loop) the supervisor gives up and reports the exit.
 */
export interface RestartPolicy {
  delaysMs: readonly number[];
  healthyAfterMs: number;
}

export interface SupervisorOptions {
  /** Progress messages ("stopping worker"). */
  log: (message: string) => void;
  /** A child exited although nobody asked it to, and it is not (or no longer) restarted. */
  onUnexpectedExit: (name: string, code: number | null) => void;
  /** Restart children that die on their own; without it the first unexpected exit is reported at once. */
  restart?: RestartPolicy;
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
  private readonly restartTimers = new Set<NodeJS.Timeout>();

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
    let restarts = 0;
    let startedAt = Date.now();
    const onExit = (childName: string, code: number | null): void => {
      if (this.stopping) return;
      const policy = this.options.restart;
      if (policy && Date.now() - startedAt >= policy.healthyAfterMs) restarts = 0;
      const delay = policy?.delaysMs[restarts];
      if (delay === undefined) return this.options.onUnexpectedExit(childName, code);
      restarts++;
      this.options.log(
        `${childName} exited unexpectedly (code ${code}); restarting it in ${delay / 1000} s (restart ${restarts} of ${policy?.delaysMs.length}; see its log)`,
      );
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (this.stopping) return;
        startedAt = Date.now();
        child.start(onExit);
        this.options.log(`${childName} restarted (pid ${child.pid ?? 'unknown'})`);
      }, delay);
      this.restartTimers.add(timer);
    };
    child.start(onExit);
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
      for (const timer of this.restartTimers) clearTimeout(timer);
      this.restartTimers.clear();
      while (this.stoppers.length > 0) {
        const { name, stop } = this.stoppers.pop() as { name: string; stop: () => Promise<void> };
        this.options.log(`stopping ${name}`);
        await stop().catch((err: unknown) => this.options.log(`${name}: ${err instanceof Error ? err.message : String(err)}`));
      }
    })();
    return this.stopping;
  }
}
