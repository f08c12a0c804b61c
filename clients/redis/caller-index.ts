import type { Redis } from 'ioredis';
import { answerLookup, type CallerIndexEntry, type CallerLookup, type CallerParty } from '../../domain/caller-index/entries';
import { normalisePhone } from '../../domain/contact-values';

/** The hub's keys; tests pass their own prefix so parallel files never see each other's numbers. */
export const CALLER_INDEX_KEY_PREFIX = 'caller_index:';

/** A party the lookup found, with the last time the hub logged a call with it (ISO; null when never). */
export type CallerMatch = CallerParty & { lastContact: string | null };

/** `lookup`'s answer: a `CallerLookup` whose matches also carry their last contact. */
export interface CallerLookupWithContact extends CallerLookup {
  matches: CallerMatch[];
}

/**
 * The number's parties and each one's last contact, in one round trip (the screen pop's budget, SPEC §8).
 * KEYS[1] the number's hash; ARGV[1] the last-contact key prefix. Returns party JSON and last contact (or nil) in turn.
 */
const LOOKUP = `
local stored = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #stored, 2 do
  out[#out + 1] = stored[i + 1]
  out[#out + 1] = redis.call('GET', ARGV[1] .. stored[i]) or ''
end
return out
`;

/** Keeps the later of the stored and the given time (ISO strings compare as times), so a late re-run never moves it back. */
const RECORD_CONTACT = `
for i = 1, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if not current or current < ARGV[1] then redis.call('SET', KEYS[i], ARGV[1]) end
end
return #KEYS
`;

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
  /**
   * Last contacts live beside the index, not under its prefix: a rebuild (`clear`) starts the numbers from nothing
   * but must not forget who called when.
   */
  private readonly contactPrefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = CALLER_INDEX_KEY_PREFIX,
  ) {
    this.contactPrefix = `${prefix.replace(/:+$/, '')}_contact:`;
  }

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

  /** `lookup` with each party's last contact (`recordContact`), still one round trip: the 3CX screen pop's read. */
  async lookupWithContact(rawNumber: string | null | undefined): Promise<CallerLookupWithContact> {
    const number = normalisePhone(rawNumber);
    if (number === null) return { matches: [] };
    const reply = (await this.redis.eval(LOOKUP, 1, this.numberKey(number), this.contactPrefix)) as string[];
    const lastContact = new Map<string, string | null>();
    const entries: CallerIndexEntry[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const party = JSON.parse(reply[i]!) as CallerParty;
      entries.push({ number, party });
      lastContact.set(party.espoId, reply[i + 1] || null);
    }
    const { matches } = answerLookup(entries, number);
    return { matches: matches.map((party) => ({ ...party, lastContact: lastContact.get(party.espoId) ?? null })) };
  }

  /** Records a call with the parties at `at`, for the screen pop's last contact; a later time already stored stays. */
  async recordContact(espoIds: readonly string[], at: Date): Promise<void> {
    const unique = [...new Set(espoIds)];
    if (unique.length === 0) return;
    await this.redis.eval(RECORD_CONTACT, unique.length, ...unique.map((id) => this.contactKey(id)), at.toISOString());
  }

  /** The last recorded contact with the party, ISO; null when none. */
  async lastContact(espoId: string): Promise<string | null> {
    return this.redis.get(this.contactKey(espoId));
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

  private contactKey(espoId: string): string {
    return `${this.contactPrefix}${espoId}`;
  }

  private partyKey(espoId: string): string {
    return `${this.prefix}party:${espoId}`;
  }
}

/** SCAN's MATCH is a glob: a prefix with `*` or `[` must not match other keys. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
