import type { AdressenOutcome, NotificationRequest } from '../../contracts/beteiligte';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { storedAdressenHash, espoAdressenHash } from '../../domain/adressen/hash';
import { planAdressenSync, type AdresseAction } from '../../domain/adressen/plan';
import { describeUnsyncable } from '../../domain/adressen/report';
import { berlinToday } from '../../domain/calendar/berlin';
import type { SyncCalls } from './activities';
import type { CallCounter } from './call-counter';

export interface AdressenStepInput {
  espoId: string;
  entity: EspoBeteiligte;
  betNr: number;
  /** The run created the Beteiligte in Advoware: it has no addresses yet, nothing to read. */
  created: boolean;
}

export interface AdressenStep {
  outcome: AdressenOutcome;
  /** For the run's final EspoCRM write: the hash and the notified differences, each only when it changed. */
  patch: Partial<EspoBeteiligte>;
  /** EspoCRM's address hash the run synced; the final write's answer showing another means a user edited meanwhile. */
  espoHashAfter: string;
  /** Sent after the final write: the differences Advoware cannot take that nobody was told about yet. */
  notification: NotificationRequest | null;
}

/**
 * The Adressen step of a run (SPEC §5.4): the pure planner decides, this performs it. Advoware's addresses are read
 * only when EspoCRM's differ from the ones synced last (their hash), so an unchanged Beteiligte costs no call here.
 * Each PUT finds its address by the marker in a read right before it (the reihenfolgeIndex is not stable).
 */
export async function syncAdressen(input: AdressenStepInput, api: SyncCalls, calls: CallCounter): Promise<AdressenStep> {
  const { espoId, entity, betNr } = input;
  const espoHash = espoAdressenHash(entity);
  if (espoHash === storedAdressenHash(entity)) {
    const outcome: AdressenOutcome = {
      reason: 'EspoCRM addresses unchanged since the last sync: nothing read',
      actions: [],
      unsyncable: [],
      notified: 0,
    };
    return { outcome, patch: {}, espoHashAfter: espoHash, notification: null };
  }

  const advoware = input.created ? [] : await calls.call(() => api.advowareListAdressen(betNr));
  const plan = planAdressenSync({ espoId, espo: entity, advoware, reported: entity.adressenReported, today: berlinToday(new Date()) });
  const outcome: AdressenOutcome = {
    reason: entity.adressenEspoHash ? 'EspoCRM addresses changed since the last sync' : 'no adressenEspoHash yet: first sync of the addresses',
    actions: plan.matched.map((m) => ({ address: m.address, action: 'matchedUnmarked' as const, fields: [], reihenfolgeIndex: m.reihenfolgeIndex })),
    unsyncable: plan.unsyncable,
    notified: plan.toNotify.length,
  };
  // One after the other: Advoware is not known to take parallel writes to one Beteiligte, and each write moves indexes.
  for (const action of plan.actions) {
    const written = await perform(api, calls, betNr, action);
    const fields = action.kind === 'create' ? Object.keys(action.body) : action.fields;
    outcome.actions.push({ address: action.address, action: action.kind, fields, reihenfolgeIndex: written.reihenfolgeIndex });
  }

  const patch: Partial<EspoBeteiligte> = {};
  if (plan.espoHashAfter !== entity.adressenEspoHash) patch.adressenEspoHash = plan.espoHashAfter;
  if (plan.reportedAfter !== (entity.adressenReported ?? '')) patch.adressenReported = plan.reportedAfter;
  const message = describeUnsyncable(entity.name ?? espoId, betNr, plan.toNotify);
  const notification = message ? { userId: entity.assignedUserId, relatedId: espoId, message } : null;
  return { outcome, patch, espoHashAfter: plan.espoHashAfter, notification };
}

function perform(api: SyncCalls, calls: CallCounter, betNr: number, action: AdresseAction): Promise<{ reihenfolgeIndex: number }> {
  if (action.kind === 'create') return calls.call(() => api.advowareCreateAdresse(betNr, action.body));
  // A read and the PUT: two calls.
  return calls.call(() => api.advowareUpdateAdresse(betNr, action.marker, action.body), 2);
}
