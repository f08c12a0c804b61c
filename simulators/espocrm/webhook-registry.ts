import { badRequest } from './errors.js';
import { newEspoId, newSecretKey } from './ids.js';

export interface Webhook {
  /** Signs every delivery (`X-Signature`); may be shared by the webhooks of several events. */
  id: string;
  /** `<EntityType>.<create|update|delete>`. */
  event: string;
  url: string;
  secretKey: string;
}

export interface WebhookSpec {
  event: string;
  url: string;
  secretKey?: string;
  id?: string;
}

/** Identity and secret given to webhooks registered without their own. */
export interface WebhookDefaults {
  id?: string;
  secretKey?: string;
}

const EVENT_PATTERN = /^[A-Za-z][A-Za-z0-9]*\.(create|update|delete)$/;

/**
 * The registered webhooks. One id may serve several events, because the hub verifies every
 * batch against a single `ESPOCRM_WEBHOOK_ID`/`ESPOCRM_WEBHOOK_SECRET`; per id and event
 * there is one target, and registering again moves it.
 */
export class WebhookRegistry {
  private readonly hooks = new Map<string, Webhook>();

  constructor(private readonly defaults: WebhookDefaults = {}) {}

  register(spec: WebhookSpec): Webhook {
    if (typeof spec.event !== 'string' || !EVENT_PATTERN.test(spec.event)) {
      throw badRequest('event must look like "<EntityType>.create|update|delete"');
    }
    if (typeof spec.url !== 'string' || !/^https?:\/\//.test(spec.url)) throw badRequest('url must be an http(s) URL');
    const id = spec.id ?? this.defaults.id ?? newEspoId();
    const secretKey = spec.secretKey ?? this.secretOf(id) ?? this.defaults.secretKey ?? newSecretKey();
    const hook: Webhook = { id, event: spec.event, url: spec.url, secretKey };
    this.hooks.set(webhookKey(hook), hook);
    return { ...hook };
  }

  list(): Webhook[] {
    return [...this.hooks.values()].map((h) => ({ ...h }));
  }

  get(id: string): Webhook | undefined {
    const hook = [...this.hooks.values()].find((h) => h.id === id);
    return hook && { ...hook };
  }

  /** Removes every webhook with this id; answers the keys removed. */
  remove(id: string): string[] {
    const keys = [...this.hooks.entries()].filter(([, h]) => h.id === id).map(([key]) => key);
    for (const key of keys) this.hooks.delete(key);
    return keys;
  }

  /** Webhooks subscribed to `event`, with the key their batches are collected under. */
  subscribers(event: string): { key: string; hook: Webhook }[] {
    return [...this.hooks.entries()].filter(([, h]) => h.event === event).map(([key, hook]) => ({ key, hook }));
  }

  byKey(key: string): Webhook | undefined {
    return this.hooks.get(key);
  }

  clear(): void {
    this.hooks.clear();
  }

  private secretOf(id: string): string | undefined {
    return [...this.hooks.values()].find((h) => h.id === id)?.secretKey;
  }
}

export function webhookKey(hook: Pick<Webhook, 'id' | 'event'>): string {
  return `${hook.id} ${hook.event}`;
}
