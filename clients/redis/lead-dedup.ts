import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export const LEAD_DEDUP_KEY_PREFIX = 'lead_dedup:';

/**
 * One atomic step for the whole rule (SPEC §7: the same e-mail or phone within the window is the same lead):
 * the e-mail's key decides, then the phone's; when neither is held, the candidate becomes the lead's key. Each of
 * the submission's keys that is free is set to the chosen lead, each that already holds it gets its window renewed
 * (the window runs from the lead's latest submission); a key held by another lead is left with it.
 * KEYS: e-mail key[, phone key]; ARGV: candidate, window in seconds. Returns {dedup key, 1 when it existed, by}.
 */
const CLAIM = `
local chosen = redis.call('GET', KEYS[1])
local by = 'email'
if not chosen and KEYS[2] then
  chosen = redis.call('GET', KEYS[2])
  by = 'phone'
end
local existed = 1
if not chosen then
  chosen = ARGV[1]
  existed = 0
  by = ''
end
for i = 1, #KEYS do
  local held = redis.call('GET', KEYS[i])
  if not held then
    redis.call('SET', KEYS[i], chosen, 'EX', ARGV[2])
  elseif held == chosen then
    redis.call('EXPIRE', KEYS[i], ARGV[2])
  end
end
return {chosen, existed, by}
`;

export interface LeadClaim {
  /** The lead's key: the workflow `lead/<dedupKey>` takes every submission resolved to it. */
  dedupKey: string;
  /** False for a new lead. */
  existing: boolean;
  /** Which of the submission's values found the existing lead. */
  matchedBy: 'email' | 'phone' | null;
}

/**
 * The lead dedup claims in Redis (SPEC §7). Keys hold a hash of the normalised value, never the address or number
 * itself. The claim is what makes concurrent duplicates one lead: Redis runs the script for one submission at a time,
 * so the second of two simultaneous submissions sees the first one's key, and both go to the same workflow.
 */
export class LeadDedupStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = LEAD_DEDUP_KEY_PREFIX,
  ) {}

  /** `email` lower case, `phone` E.164 or null; `windowSeconds` the dedup window (24 h). */
  async claim(values: { email: string; phone: string | null }, windowSeconds: number, receivedAt: Date): Promise<LeadClaim> {
    const keys = [this.key('email', values.email)];
    if (values.phone !== null) keys.push(this.key('phone', values.phone));
    const reply = (await this.redis.eval(CLAIM, keys.length, ...keys, candidateKey(values.email, receivedAt), String(windowSeconds))) as [
      string,
      number,
      string,
    ];
    const [dedupKey, existed, by] = reply;
    return { dedupKey, existing: existed === 1, matchedBy: by === 'email' || by === 'phone' ? by : null };
  }

  private key(kind: 'email' | 'phone', value: string): string {
    return `${this.prefix}${kind}:${digest(value)}`;
  }
}

/**
 * A new lead's key: a hash of its e-mail (no personal data in workflow IDs and the Web UI), the day it came and a
 * random part, so a lead after the window is a new workflow and a new Lead rather than the closed one again.
 */
function candidateKey(email: string, receivedAt: Date): string {
  const day = receivedAt.toISOString().slice(0, 10).replaceAll('-', '');
  return `${digest(email).slice(0, 12)}-${day}-${randomBytes(3).toString('hex')}`;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
