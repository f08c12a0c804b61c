import { condition, setHandler } from '@temporalio/workflow';
import { syncRequested } from '../contracts/beteiligte';

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
    await condition(() => this.pending, ms);
    this.pending = true;
  }
}
