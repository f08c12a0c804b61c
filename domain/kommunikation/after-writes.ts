import type { Kommunikation } from '../../contracts/advoware';
import type { AdvowareKommunikationAction } from './actions';

/** What an Advoware Kommunikation write answered, as far as the hash needs it. */
export interface KommunikationWritten {
  entryId: number;
  /** Null when the answer carried none (the real API's answers are not documented to): then only a re-read knows. */
  rowId: string | null;
}

/**
 * The Beteiligte's entries as Advoware holds them after the run's writes, from the GET at the start of the run and
 * the writes' answers (`answers[i]` is the answer to `actions[i]`), so the new kommunikationHash needs no re-read
 * (SPEC §5.3). An entry a user changed in Advoware meanwhile keeps its old rowId here, so the next run sees the
 * change instead of this run swallowing it. Null when an answer carried no rowId.
 */
export function entriesAfterWrites(
  before: readonly Kommunikation[],
  actions: readonly AdvowareKommunikationAction[],
  answers: readonly KommunikationWritten[],
): Kommunikation[] | null {
  if (actions.length !== answers.length) throw new Error(`${actions.length} Kommunikation writes but ${answers.length} answers`);
  const after = new Map(before.map((entry) => [entry.id, { ...entry }]));
  for (const [i, action] of actions.entries()) {
    const answer = answers[i];
    if (!answer?.rowId) return null;
    const { tlf, bemerkung, online } = action.body;
    if (action.kind === 'createEntry') {
      after.set(answer.entryId, { id: answer.entryId, rowId: answer.rowId, kommKz: action.kommKz, tlf, bemerkung, online });
    } else {
      const entry = after.get(action.entryId);
      if (!entry) throw new Error(`Kommunikation ${action.entryId} was written but not read`);
      after.set(action.entryId, { ...entry, rowId: answer.rowId, tlf, bemerkung, online });
    }
  }
  return [...after.values()];
}
