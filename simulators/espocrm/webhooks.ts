import { postJson } from '../core/post-json.js';
import { signWebhookBody } from './delivery.js';
import type { EntityData } from './model.js';
import { WebhookRegistry, type Webhook, type WebhookDefaults, type WebhookSpec } from './webhook-registry.js';

export type { Webhook, WebhookDefaults, WebhookSpec } from './webhook-registry.js';

export type WebhookAction = 'create' | 'update' | 'delete';

export interface WebhookDelivery {
  webhookId: string;
  event: string;
  url: string;
  status: 'delivered' | 'failed';
  /** Status of the last attempt; null when it never got an answer (connection error, timeout). */
  httpStatus: number | null;
  error?: string;
  attempts: number;
  /** Entity ids in the batch, in order. */
  ids: string[];
  /** ISO timestamp when the delivery ended. */
  at: string;
}

/** Counts of batches (not items) by outcome, and what is still on its way. */
export interface WebhookStats {
  delivered: number;
  failed: number;
  /** Items collected but not yet sent. */
  pendingItems: number;
  /** Batches being sent or waiting for a retry. */
  inFlight: number;
}

export interface WebhookDispatcherOptions {
  batchDelayMs: number;
  /** A batch that reaches this many items goes out at once instead of waiting for the delay. */
  maxBatchSize: number;
  /** Pauses before each retry; their count is the number of retries. */
  retryDelaysMs: readonly number[];
  requestTimeoutMs: number;
  defaults?: WebhookDefaults;
  now: () => Date;
}

interface Batch {
  items: EntityData[];
  timer?: NodeJS.Timeout;
}

/**
 * Registered webhooks and their outgoing batches. Each webhook collects items for
 * `batchDelayMs` and then sends them as one JSON array; batches of one webhook go out one
 * after the other, as EspoCRM's queue job does.
 */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly registry: WebhookRegistry;
  private readonly batches = new Map<string, Batch>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.registry = new WebhookRegistry(options.defaults);
  }

  register(spec: WebhookSpec): Webhook {
    return this.registry.register(spec);
  }

  list(): Webhook[] {
    return this.registry.list();
  }

  get(id: string): Webhook | undefined {
    return this.registry.get(id);
  }

  /** Unregisters every webhook with this id and drops their unsent items. */
  remove(id: string): boolean {
    const keys = this.registry.remove(id);
    for (const key of keys) {
      const batch = this.batches.get(key);
      if (batch?.timer) clearTimeout(batch.timer);
      this.batches.delete(key);
    }
    return keys.length > 0;
  }

  /** Queues one item for every webhook subscribed to `<entityType>.<action>`. */
  emit(entityType: string, action: WebhookAction, item: EntityData): void {
    for (const { key } of this.registry.subscribers(`${entityType}.${action}`)) {
      let batch = this.batches.get(key);
      if (!batch) {
        const fresh: Batch = { items: [] };
        fresh.timer = setTimeout(() => this.send(key), this.options.batchDelayMs);
        // A forgotten batch must not keep a test process alive.
        fresh.timer.unref();
        this.batches.set(key, fresh);
        batch = fresh;
      }
      batch.items.push(structuredClone(item));
      if (batch.items.length >= this.options.maxBatchSize) this.send(key);
    }
  }

  stats(): WebhookStats {
    let pendingItems = 0;
    for (const batch of this.batches.values()) pendingItems += batch.items.length;
    return {
      delivered: this.deliveries.filter((d) => d.status === 'delivered').length,
      failed: this.deliveries.filter((d) => d.status === 'failed').length,
      pendingItems,
      inFlight: this.inFlight.size,
    };
  }

  /** Sends every pending batch now and resolves when all deliveries (with retries) are done. */
  async flush(): Promise<void> {
    while (this.batches.size > 0 || this.inFlight.size > 0) {
      for (const key of [...this.batches.keys()]) this.send(key);
      await Promise.all([...this.inFlight]);
    }
  }

  /** Drops pending batches and abandons deliveries in progress (their timers included). */
  cancelPending(): void {
    for (const batch of this.batches.values()) if (batch.timer) clearTimeout(batch.timer);
    this.batches.clear();
    this.abort.abort();
    this.abort = new AbortController();
  }

  /** Back to no webhooks, nothing pending, an empty delivery log. */
  clear(): void {
    this.cancelPending();
    this.registry.clear();
    this.queues.clear();
    this.deliveries.length = 0;
  }

  private send(key: string): void {
    const batch = this.batches.get(key);
    this.batches.delete(key);
    if (batch?.timer) clearTimeout(batch.timer);
    // Read at send time: a webhook re-registered meanwhile delivers to its new target.
    const hook = this.registry.byKey(key);
    if (!batch || !hook || batch.items.length === 0) return;
    const snapshot = { ...hook };
    const signal = this.abort.signal;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous
      .then(() => this.deliver(snapshot, batch.items, signal))
      .catch((err: unknown) => console.error(`espocrm simulator: webhook ${hook.id} delivery crashed`, err));
    this.queues.set(key, run);
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      if (this.queues.get(key) === run) this.queues.delete(key);
    });
  }

  private async deliver(hook: Webhook, items: EntityData[], signal: AbortSignal): Promise<void> {
    const body = JSON.stringify(items);
    const headers = { 'X-Signature': signWebhookBody(hook.id, hook.secretKey, body) };
    const retries = this.options.retryDelaysMs;
    let httpStatus: number | null = null;
    let error: string | undefined;
    let attempts = 0;
    for (;;) {
      if (signal.aborted) return;
      attempts += 1;
      try {
        httpStatus = (await postJson(hook.url, body, headers, { timeoutMs: this.options.requestTimeoutMs, signal })).status;
        error = undefined;
        if (isOk(httpStatus)) break;
      } catch (err) {
        if (signal.aborted) return;
        httpStatus = null;
        error = err instanceof Error ? err.message : String(err);
      }
      const pause = retries[attempts - 1];
      if (pause === undefined) break;
      if (!(await sleep(pause, signal))) return;
    }
    this.deliveries.push({
      webhookId: hook.id,
      event: hook.event,
      url: hook.url,
      status: httpStatus !== null && isOk(httpStatus) ? 'delivered' : 'failed',
      httpStatus,
      ...(error !== undefined ? { error } : {}),
      attempts,
      ids: items.map((i) => String(i.id)),
      at: this.options.now().toISOString(),
    });
  }
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
