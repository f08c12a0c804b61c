import { condition, setHandler } from '@temporalio/workflow';
import { syncRequested } from '../contracts/beteiligte';

/** `patched` marker: runs from before it completed after a permanent failure instead of waiting for the next request. */
export const FAILURE_STAYS_OPEN = 'failure-stays-open';

/**
 * The requests an entity's sync workflow folds into runs (SPEC §5.1): webhooks, the sweep and operators send
 * `syncRequested` by signal-with-start, and however many arrive during a run, they make one more run. Construct
 * it first thing in the workflow, so no signal is delivered before its handler is set.
 */
export class SyncRequests {
  /** A start without a signal (an operator's `temporal workflow start`) is a request too. */
  private pending = true;
  /** An EspoCRM delete arrived: recorded by the workflow, never applied in Advoware. */
  deleted = false;
  /** What the workflow waits for between runs (the `syncProgress` query shows it). */
  waitingFor: 'retry' | 'request' | undefined;

  constructor() {
    setHandler(syncRequested, ({ reason }) => {
      this.pending = true;
      if (reason === 'delete') this.deleted = true;
    });
  }

  /** Whether a run is due; it is taken, so requests arriving from now on make the next one. */
  take(): boolean {
    const due = this.pending;
    this.pending = false;
    return due;
  }

  get waiting(): boolean {
    return this.pending;
  }

  /** One more run without a new request: the last one cannot be trusted (a user edited while it wrote). */
  again(): void {
    this.pending = true;
  }

  /** After a failed attempt: a durable timer, cut short by a new request (the user fixed the data); a run follows either way. */
  async retryAfter(ms: number): Promise<void> {
    this.waitingFor = 'retry';
    await condition(() => this.pending, ms);
    this.waitingFor = undefined;
    this.pending = true;
  }

  /**
   * After a failure that waiting cannot heal: the workflow stays open (so the Web UI's failure query finds exactly
   * the entities failing now) until a user's edit, the sweep's reset or an operator asks again.
   */
  async nextRequest(): Promise<void> {
    this.waitingFor = 'request';
    await condition(() => this.pending);
    this.waitingFor = undefined;
  }
}
