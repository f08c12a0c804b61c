import type { Express, Router } from 'express';
import { Simulator } from '../core/simulator.js';
import { registerEspoAdminRoutes } from './admin-routes.js';
import { registerApiRoutes, type RouteContext } from './api-routes.js';
import { EspoCrmCore } from './crm.js';
import type { EntityData, EntityRecord } from './model.js';
import { notificationsOf } from './notifications.js';
import type { ListQuery, ListResult } from './query.js';
import type { EspoSeed } from './seed.js';
import { WebhookDispatcher, type Webhook, type WebhookDelivery, type WebhookSpec, type WebhookStats } from './webhooks.js';

export { SYNC_METADATA_FIELDS, ENTITY_TYPES, SYNC_STATUSES } from './model.js';
export type { EntityData, EntityRecord, EntityType, SyncMetadataField, SyncStatus } from './model.js';
export type { ListQuery, ListResult } from './query.js';
export type { WhereClause } from './where.js';
export type { Webhook, WebhookDelivery, WebhookSpec, WebhookStats } from './webhooks.js';
export type { EspoSeed } from './seed.js';
export { demoSeed, DEMO_ADMIN_USER_ID, DEMO_IDS, DEMO_USER_ID } from './seed.js';
export { signWebhookBody } from './delivery.js';

export interface EspoCrmSimulatorOptions {
  apiKey: string;
  /** How long events for one webhook are collected before the batch is sent. */
  webhookBatchDelayMs?: number;
  /** A batch this large is sent without waiting for the delay (EspoCRM's default: 50). */
  webhookMaxBatchSize?: number;
  /** Pauses before the retries of a failed delivery; their count is the number of retries. */
  webhookRetryDelaysMs?: number[];
  /** Id that signs webhooks registered without their own (the hub's `ESPOCRM_WEBHOOK_ID`). */
  webhookId?: string;
  /** Secret of webhooks registered without their own (the hub's `ESPOCRM_WEBHOOK_SECRET`). */
  webhookSecret?: string;
  /** Empty CRM when absent; `demoSeed()` for the sandbox. */
  seed?: EspoSeed;
  /** The CRM's clock: `createdAt`, `modifiedAt` and delivery times. */
  now?: () => Date;
}

/** Options of an in-process webhook registration; the simulator's defaults apply to what is left out. */
export type WebhookOptions = Pick<WebhookSpec, 'id' | 'secretKey'>;

/**
 * EspoCRM ("VMH") as the hub sees it: the REST API, the CRM's own sync hooks and batched,
 * signed webhooks. The in-process `user*` methods act as a person working in the CRM: not
 * counted as API calls, but hooks, `modifiedAt` and webhooks behave exactly as for API writes.
 */
export class EspoCrmSimulator extends Simulator {
  private readonly apiKey: string;
  private readonly seed?: EspoSeed;
  private readonly dispatcher: WebhookDispatcher;
  private readonly crm: EspoCrmCore;

  constructor(options: EspoCrmSimulatorOptions) {
    super('espocrm');
    this.apiKey = options.apiKey;
    // A snapshot, so reset() restores the same data even if the caller mutates theirs.
    this.seed = options.seed && structuredClone(options.seed);
    const clock = options.now ?? ((): Date => new Date());
    this.dispatcher = new WebhookDispatcher({
      batchDelayMs: options.webhookBatchDelayMs ?? 50,
      maxBatchSize: options.webhookMaxBatchSize ?? 50,
      retryDelaysMs: options.webhookRetryDelaysMs ?? [50, 100, 200],
      requestTimeoutMs: 5_000,
      defaults: { id: options.webhookId, secretKey: options.webhookSecret },
      now: clock,
    });
    this.crm = new EspoCrmCore(this.dispatcher, clock);
    this.resetData();
  }

  /** Creates a record as a CRM user would: validated, hooked, `create` webhooks fire. */
  userCreate(entityType: string, data: EntityData): EntityRecord {
    return this.crm.create(entityType, data);
  }

  /** Partially updates a record as a CRM user would: may mark it dirty, `update` webhooks fire. */
  userUpdate(entityType: string, id: string, patch: EntityData): EntityRecord {
    return this.crm.update(entityType, id, patch);
  }

  /** Deletes a record as a CRM user would; `delete` webhooks fire. */
  userDelete(entityType: string, id: string): void {
    this.crm.remove(entityType, id);
  }

  /** The stored record as it is, or undefined when it does not exist or was deleted. */
  getRecord(entityType: string, id: string): EntityRecord | undefined {
    return this.crm.store.get(entityType, id);
  }

  /** Every match, unless `query.maxSize` limits the page (no 200 cap in-process). */
  listRecords(entityType: string, query?: ListQuery): ListResult {
    return this.crm.list(entityType, query);
  }

  /** Notifications the CRM stored, oldest first; those of one user when `userId` is given. */
  notifications(userId?: string): EntityData[] {
    return notificationsOf(this.crm, userId);
  }

  /** Same as `userCreate`. */
  create(entityType: string, data: EntityData): EntityRecord {
    return this.userCreate(entityType, data);
  }

  /** Same as `userUpdate`. */
  update(entityType: string, id: string, patch: EntityData): EntityRecord {
    return this.userUpdate(entityType, id, patch);
  }

  /** Same as `userDelete`. */
  remove(entityType: string, id: string): void {
    this.userDelete(entityType, id);
  }

  /** Same as `getRecord`. */
  get(entityType: string, id: string): EntityRecord | undefined {
    return this.getRecord(entityType, id);
  }

  /** Same as `listRecords`. */
  list(entityType: string, query?: ListQuery): ListResult {
    return this.listRecords(entityType, query);
  }

  /**
   * Points `event` (e.g. `CBeteiligte.update`) at `url`. Registering the same id and event
   * again moves the target. Answers the id and secret that sign the deliveries.
   */
  registerWebhook(event: string, url: string, options?: WebhookOptions): Webhook;
  registerWebhook(spec: WebhookSpec): Webhook;
  registerWebhook(eventOrSpec: string | WebhookSpec, url?: string, options: WebhookOptions = {}): Webhook {
    const spec = typeof eventOrSpec === 'string' ? { ...options, event: eventOrSpec, url: url ?? '' } : eventOrSpec;
    return this.dispatcher.register(spec);
  }

  /** Removes every webhook with this id (one id may serve several events). */
  unregisterWebhook(id: string): boolean {
    return this.dispatcher.remove(id);
  }

  listWebhooks(): Webhook[] {
    return this.dispatcher.list();
  }

  /** Delivers every pending batch now; resolves when all deliveries, retries included, are done. */
  flushWebhooks(): Promise<void> {
    return this.dispatcher.flush();
  }

  /** Every finished delivery (one per batch), oldest first. */
  get webhookDeliveries(): readonly WebhookDelivery[] {
    return this.dispatcher.deliveries;
  }

  webhookStats(): WebhookStats {
    return this.dispatcher.stats();
  }

  override async stop(): Promise<void> {
    this.dispatcher.cancelPending();
    await super.stop();
  }

  protected override registerRoutes(app: Express): void {
    registerApiRoutes(app, this.routeContext());
  }

  protected override registerAdminRoutes(admin: Router): void {
    registerEspoAdminRoutes(admin, this.routeContext());
  }

  protected override resetData(): void {
    this.dispatcher.clear();
    this.crm.store.clear();
    for (const [type, rows] of Object.entries(this.seed?.entities ?? {})) this.crm.load(type, rows ?? []);
    for (const spec of this.seed?.webhooks ?? []) this.dispatcher.register(spec);
  }

  private routeContext(): RouteContext {
    // Called from the base constructor, before this class's fields exist: resolve at request time.
    return {
      crm: () => this.crm,
      webhooks: () => this.dispatcher,
      apiKey: () => this.apiKey,
    };
  }
}
