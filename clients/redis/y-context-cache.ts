import type { Redis } from 'ioredis';

/** The hub's keys; tests pass their own prefix so parallel files never see each other's profiles. */
export const Y_CONTEXT_KEY_PREFIX = 'y_context:';

/**
 * The AI assistant's party profiles (SPEC §9), cached briefly by EspoCRM id. The cache is an answer-time shortcut,
 * never a source: whatever changes a party (its sync, a logged call) drops the entry, and the TTL bounds what a
 * missed invalidation can cost.
 */
export class YContextCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = Y_CONTEXT_KEY_PREFIX,
  ) {}

  async get(espoId: string): Promise<string | null> {
    return this.redis.get(this.key(espoId));
  }

  /** Stores the profile as JSON text for `ttlSeconds`. */
  async set(espoId: string, json: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(espoId), json, 'EX', ttlSeconds);
  }

  /** Drops the profile of each party; the next request builds it afresh. */
  async invalidate(...espoIds: string[]): Promise<void> {
    if (espoIds.length > 0) await this.redis.unlink(...espoIds.map((id) => this.key(id)));
  }

  private key(espoId: string): string {
    return `${this.prefix}${espoId}`;
  }
}
