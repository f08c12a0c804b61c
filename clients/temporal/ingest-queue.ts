import type { IngestItem } from '../../contracts/ingest';
import { normaliseIngestItems } from './ingest-workflow-id';
import type { SyncRequester } from './sync-requests';

/** What the queue needs from Temporal: one signal-with-start, or one hand-over start for a group. */
export type IngestTarget = Pick<SyncRequester, 'requestBeteiligteSync' | 'handOverBeteiligte'>;

export interface IngestQueueOptions {
  /** A submit rejects when its items are not recorded this long after it arrived. */
  deadlineMs: number;
  /** Items per Temporal call; a larger submit is split, and resolves when all its parts are recorded. */
  maxGroupSize?: number;
  /** Told about each group that went out, for metrics and logs. */
  onGroup?: (group: { items: number; path: 'direct' | 'hand-over'; ms: number; ok: boolean }) => void;
}

export class IngestDeadlineError extends Error {
  override name = 'IngestDeadlineError';
}

interface Waiter {
  /** Parts not yet recorded. */
  remaining: number;
  settled: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
  timer?: NodeJS.Timeout;
}

interface Part {
  items: readonly IngestItem[];
  waiter: Waiter;
  deadline: number;
}

const DEFAULT_MAX_GROUP_SIZE = 500;

/**
 * Group commit for webhook items (SPEC §2: a 2xx means the work is durably in Temporal). While a Temporal
 * call is in flight, the items of concurrent requests collect and go out together in the next call; with
 * nothing in flight a request's items go out at once, so there is no waiting window. A group of several
 * items is one start of the hand-over workflow; a group of one item goes straight to its Beteiligte's workflow
 * with signal-with-start: the same single call, but it spares an idle gateway's lone edit (the usual case)
 * a second workflow and the hand-over's extra round trips (on the dev server the Beteiligte's run began about
 * 8 ms after the webhook this way, about 55 ms through a hand-over). Each submit resolves only once the call that
 * carries its items succeeded, and rejects when that call failed or its deadline passed first.
 */
export class IngestQueue {
  private pending: Part[] = [];
  private pendingItems = 0;
  private inFlight = 0;
  private readonly maxGroupSize: number;

  constructor(
    private readonly target: IngestTarget,
    private readonly options: IngestQueueOptions,
  ) {
    this.maxGroupSize = options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE;
  }

  submit(items: readonly IngestItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + this.options.deadlineMs;
      const waiter: Waiter = { remaining: 0, settled: false, resolve, reject };
      waiter.timer = setTimeout(
        () => this.fail(waiter, new IngestDeadlineError(`Temporal did not record the items within ${this.options.deadlineMs} ms`)),
        this.options.deadlineMs,
      );
      for (let i = 0; i < items.length; i += this.maxGroupSize) {
        const chunk = items.slice(i, i + this.maxGroupSize);
        this.pending.push({ items: chunk, waiter, deadline });
        this.pendingItems += chunk.length;
        waiter.remaining++;
      }
      this.pump();
    });
  }

  /** Items waiting for a call and calls in flight, for tests and metrics. */
  stats(): { pendingItems: number; inFlight: number } {
    return { pendingItems: this.pendingItems, inFlight: this.inFlight };
  }

  private pump(): void {
    // A full group need not wait: waiting would only add latency, it would not make the group larger.
    while (this.pending.length > 0 && (this.inFlight === 0 || this.pendingItems >= this.maxGroupSize)) {
      void this.send(this.takeGroup());
    }
  }

  private takeGroup(): Part[] {
    const group: Part[] = [];
    let size = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Part;
      if (group.length > 0 && size + next.items.length > this.maxGroupSize) break;
      this.pending.shift();
      group.push(next);
      size += next.items.length;
    }
    this.pendingItems -= size;
    return group;
  }

  private async send(group: Part[]): Promise<void> {
    this.inFlight++;
    const started = Date.now();
    const items = normaliseIngestItems(group.flatMap((part) => part.items));
    // The latest deadline of the group: an earlier request already got its 503, a later one may still get 200.
    const deadline = Math.max(...group.map((part) => part.deadline));
    const path = items.length === 1 ? 'direct' : 'hand-over';
    try {
      const [only] = items;
      if (only && items.length === 1) await this.target.requestBeteiligteSync(only.espoId, only.reason, deadline);
      else await this.target.handOverBeteiligte(items, deadline);
      this.options.onGroup?.({ items: items.length, path, ms: Date.now() - started, ok: true });
      for (const part of group) this.partRecorded(part.waiter);
    } catch (err) {
      this.options.onGroup?.({ items: items.length, path, ms: Date.now() - started, ok: false });
      for (const part of group) this.fail(part.waiter, err);
    } finally {
      this.inFlight--;
      // What collected during this call goes out now, even while a full group is still in flight.
      if (this.pending.length > 0) void this.send(this.takeGroup());
      this.pump();
    }
  }

  private partRecorded(waiter: Waiter): void {
    waiter.remaining--;
    if (waiter.remaining > 0 || waiter.settled) return;
    waiter.settled = true;
    clearTimeout(waiter.timer);
    waiter.resolve();
  }

  private fail(waiter: Waiter, err: unknown): void {
    if (waiter.settled) return;
    waiter.settled = true;
    clearTimeout(waiter.timer);
    // Its other parts need not go out: the sender gets 503 and delivers the whole batch again.
    const kept = this.pending.filter((part) => part.waiter !== waiter);
    if (kept.length !== this.pending.length) {
      this.pendingItems = kept.reduce((sum, part) => sum + part.items.length, 0);
      this.pending = kept;
    }
    waiter.reject(err);
  }
}
