import type { Redis } from 'ioredis';
import { answerLookup, type CallerIndexEntry, type CallerLookup, type CallerParty } from '../../domain/caller-index/entries';
import { normalisePhone } from '../../domain/contact-values';

/** The hub's keys; tests pass their own prefix so parallel files never see each other's numbers. */
export const CALLER_INDEX_KEY_PREFIX = 'caller_index:';

/**
 * Removes the party's old numbers (exactly those in its number set) and adds the new ones, atomically, so a lookup
 * never sees a party half replaced. The number keys are built inside the script from the prefix: fine on the hub's
 * single Redis, not on a Redis Cluster.
 * KEYS[1] the party's number set; ARGV[1] prefix, ARGV[2] espoId, then pairs of E.164 number and party JSON.
 */
const REPLACE_PARTY = `
local prefix, espoId = ARGV[1], ARGV[2]
local old = redis.call('SMEMBERS', KEYS[1])
for _, number in ipairs(old) do redis.call('HDEL', prefix .. 'number:' .. number, espoId) end
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 2 do
  redis.call('HSET', prefix .. 'number:' .. ARGV[i], espoId, ARGV[i + 1])
  redis.call('SADD', KEYS[1], ARGV[i])
end
return #old
`;

/**
 * The caller index in Redis (SPEC §8): a hash per E.164 number (field espoId, value the party as JSON), so a lookup
 * is one HGETALL; and a set per party of its numbers, so replacing or removing a party touches exactly its numbers.
 */
export class CallerIndexStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = CALLER_INDEX_KEY_PREFIX,
  ) {}

  /** Sets the party's numbers to `entries` (all of that party); returns how many numbers it had before. */
  async replaceParty(espoId: string, entries: readonly CallerIndexEntry[]): Promise<number> {
    const args: string[] = [this.prefix, espoId];
    for (const entry of entries) {
      if (entry.party.espoId !== espoId) throw new Error(`entry of party ${entry.party.espoId} given to replaceParty(${espoId})`);
      args.push(entry.number, JSON.stringify(entry.party));
    }
    return (await this.redis.eval(REPLACE_PARTY, 1, this.partyKey(espoId), ...args)) as number;
  }

  /** A deleted Beteiligte no longer answers calls. */
  async removeParty(espoId: string): Promise<number> {
    return this.replaceParty(espoId, []);
  }

  /** Every party holding `rawNumber`, normalised as the index keys are; one round trip. */
  async lookup(rawNumber: string | null | undefined): Promise<CallerLookup> {
    const number = normalisePhone(rawNumber);
    if (number === null) return { matches: [] };
    const stored = await this.redis.hgetall(this.numberKey(number));
    return answerLookup(
      Object.values(stored).map((json) => ({ number, party: JSON.parse(json) as CallerParty })),
      number,
    );
  }

  /** Deletes every key under the prefix (the rebuild starts from nothing); returns how many keys went. */
  async clear(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${globEscape(this.prefix)}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  private numberKey(number: string): string {
    return `${this.prefix}number:${number}`;
  }

  private partyKey(espoId: string): string {
    return `${this.prefix}party:${espoId}`;
  }
}

/** SCAN's MATCH is a glob: a prefix with `*` or `[` must not match other keys. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
