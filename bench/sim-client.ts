import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { SimHandlers, SimMethod, SimReady, SimRequest, SimResponse } from './sim-process';

type Result<M extends SimMethod> = Awaited<ReturnType<SimHandlers[M]>>;

/** The parent's side of `bench/sim-process.ts`: typed calls over the IPC channel. */
export class SimProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: SimReady,
  ) {
    child.on('message', (message: SimResponse) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`simulators: ${message.error}`));
    });
    child.once('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`simulator process exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(): Promise<SimProcess> {
    // Structured clone over IPC keeps `undefined` and numbers exact.
    const child = fork(require.resolve('./sim-process'), [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<SimReady>((resolve, reject) => {
      child.once('message', (message: SimReady) => resolve(message));
      child.once('exit', (code) => reject(new Error(`simulator process exited (${code}) before it was ready`)));
    });
    return new SimProcess(child, ready);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  call<M extends SimMethod>(method: M, ...args: Parameters<SimHandlers[M]>): Promise<Result<M>> {
    const id = this.nextId++;
    const request: SimRequest = { id, method, args };
    return new Promise<Result<M>>((resolve, reject) => {
      // The child answers with what the handler of `method` returned.
      this.pending.set(id, { resolve: (value) => resolve(value as Result<M>), reject });
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
