import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The hub's keys; tests pass their own prefix. */
export const CREATED_BETEILIGTE_KEY_PREFIX = 'beteiligte_created:';

/**
 * Long enough for every retry of one create (the activity's own retries, Temporal retrying it after a lost
 * completion); short enough that an operator's deliberate re-create later is never answered from an old note.
 */
const NOTE_SECONDS = 3600;

export interface CreatedBeteiligte {
  betNr: number;
  rowId: string;
}

/**
 * Advoware's Beteiligte POST has no marker to look for and Advoware no search (SPEC §3.2): a POST that landed but whose
 * completion Temporal never recorded (the worker died, the server was down) would create the Beteiligte again when
 * retried. The activity notes the answer here the moment it has it, and a retry takes the note instead of POSTing.
 * Keyed by Advoware's URL and the EspoCRM id: one note per party and Advoware.
 */
export class CreatedBeteiligteNotes {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = CREATED_BETEILIGTE_KEY_PREFIX,
  ) {}

  async get(advowareUrl: string, espoId: string): Promise<CreatedBeteiligte | null> {
    const json = await this.redis.get(this.key(advowareUrl, espoId));
    return json === null ? null : (JSON.parse(json) as CreatedBeteiligte);
  }

  async note(advowareUrl: string, espoId: string, created: CreatedBeteiligte): Promise<void> {
    await this.redis.set(this.key(advowareUrl, espoId), JSON.stringify(created), 'EX', NOTE_SECONDS);
  }

  private key(advowareUrl: string, espoId: string): string {
    return `${this.prefix}${createHash('sha256').update(`${advowareUrl}\u0000${espoId}`).digest('hex')}`;
  }
}
