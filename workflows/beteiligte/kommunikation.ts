import type { Kommunikation } from '../../contracts/advoware';
import type { KommunikationOutcome } from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import type { AdvowareKommunikationAction } from '../../domain/kommunikation/actions';
import { summarizeKommunikationPlan } from '../../domain/kommunikation/actions';
import { entriesAfterWrites, type KommunikationWritten } from '../../domain/kommunikation/after-writes';
import { espoKommunikationHash, kommunikationHash, pendingEspoHash } from '../../domain/kommunikation/hash';
import { planKommunikationSync } from '../../domain/kommunikation/plan';
import { describeSkipped } from '../../domain/kommunikation/report';
import type { SyncCalls } from './activities';
import type { CallCounter } from './call-counter';

export interface KommunikationStepInput {
  espoId: string;
  entity: EspoBeteiligte;
  betNr: number;
  /** Advoware's entries as the run read them (the Beteiligte GET embeds them). */
  kommunikation: Kommunikation[];
  /** The Stammdaten step ended in a conflict: EspoCRM wins here too (SPEC §5.2). */
  forceEspoWins: boolean;
}

export interface KommunikationStep {
  outcome: KommunikationOutcome;
  /**
   * A user changed EspoCRM's e-mail/phone data after the run read them: the step wrote nothing (its EspoCRM write
   * would have overwritten the edit) and the workflow runs again at once.
   */
  editedDuringRun: boolean;
  /** For the run's final EspoCRM write: changed hashes, and EspoCRM's arrays when they did not go earlier. */
  patch: Partial<EspoBeteiligte>;
  /** EspoCRM's e-mail/phone content hash after the run; the final write's answer showing another means a user edited meanwhile. */
  espoHashAfter: string;
  /** Values left alone, for `syncErrorMessage` and a notification; null when every value was synced. */
  problem: string | null;
  /** EspoCRM's phone numbers as the step leaves them, for the caller index. */
  phoneNumberData: EspoBeteiligte['phoneNumberData'];
}

/**
 * The Kommunikation step of a run (SPEC §5.3): the pure planner decides, this performs it in the order that
 * survives a stop half-way (domain/kommunikation/actions.ts): EspoCRM's arrays first, then Advoware's entries,
 * and the hashes last, with the run's final write. No change on either side costs no call at all.
 */
export async function syncKommunikation(input: KommunikationStepInput, api: SyncCalls, calls: CallCounter): Promise<KommunikationStep> {
  const { espoId, entity, betNr, kommunikation } = input;
  const plan = planKommunikationSync({ espo: entity, advoware: kommunikation, stored: entity, forceEspoWins: input.forceEspoWins });
  const patch: Partial<EspoBeteiligte> = {};
  const outcome: KommunikationOutcome = {
    reason: plan.decision.reason,
    espoWins: plan.decision.espoWins,
    actions: summarizeKommunikationPlan(plan),
    skipped: plan.skipped,
  };

  // EspoCRM takes the arrays whole: written from the run's first read they would undo a user's edit saved since.
  // One more read tells; the window left is that read's answer to the write, milliseconds instead of the run.
  if (plan.espo && (await editedSinceRead(input, api, calls))) {
    return {
      outcome: { ...outcome, actions: [], reason: EDITED_REASON },
      editedDuringRun: true,
      patch,
      espoHashAfter: plan.espoHashAfter,
      problem: null,
      phoneNumberData: entity.phoneNumberData,
    };
  }

  if (plan.espo) {
    const arrays = { emailAddressData: plan.espo.emailAddressData, phoneNumberData: plan.espo.phoneNumberData };
    if (plan.advoware.length === 0) Object.assign(patch, arrays);
    // Before Advoware: a run stopped in between must not find an Advoware-only value marked but missing in EspoCRM.
    else await calls.call(() => api.espoUpdateBeteiligte(espoId, { ...arrays, kommunikationEspoHash: pendingEspoHash(plan.espoHashAfter) }));
  }

  const answers: KommunikationWritten[] = [];
  // One after the other: each touches its own entry, but Advoware is not known to take parallel writes to one Beteiligte.
  for (const action of plan.advoware) answers.push(await calls.call(() => perform(api, betNr, action)));

  let advowareHashAfter = plan.advowareHashAfter;
  if (advowareHashAfter === null) {
    const after = entriesAfterWrites(kommunikation, plan.advoware, answers);
    // An answer without rowId: only Advoware knows the entries' new rowIds.
    advowareHashAfter = kommunikationHash(after ?? (await calls.call(() => api.advowareGetBeteiligte(betNr)))?.kommunikation ?? []);
  }
  if (advowareHashAfter !== entity.kommunikationHash) patch.kommunikationHash = advowareHashAfter;
  if (plan.espoHashAfter !== entity.kommunikationEspoHash) patch.kommunikationEspoHash = plan.espoHashAfter;

  return {
    outcome,
    editedDuringRun: false,
    patch,
    espoHashAfter: plan.espoHashAfter,
    problem: describeSkipped(plan.skipped),
    phoneNumberData: plan.espo ? plan.espo.phoneNumberData : entity.phoneNumberData,
  };
}

const EDITED_REASON = "EspoCRM's e-mail or phone data changed during the run: nothing written, the next run syncs them";

async function editedSinceRead({ espoId, entity }: KommunikationStepInput, api: SyncCalls, calls: CallCounter): Promise<boolean> {
  const fresh = await calls.call(() => api.espoGetBeteiligte(espoId));
  return !fresh || espoKommunikationHash(fresh.entity) !== espoKommunikationHash(entity);
}

async function perform(api: SyncCalls, betNr: number, action: AdvowareKommunikationAction): Promise<KommunikationWritten> {
  if (action.kind === 'createEntry') return api.advowareCreateKommunikation(betNr, action.body);
  return api.advowareUpdateKommunikation(betNr, action.entryId, action.body);
}
