/**
 * What one Kommunikation sync does, as data (SPEC §5.3): plan.ts decides, the Beteiligte workflow performs. Every
 * Advoware action touches its own entry (or POSTs a new one), so their order among themselves is free; EspoCRM
 * gets at most one write, the complete arrays. Bodies are ready to send: the executor needs no mapping knowledge.
 *
 * The EspoCRM write goes first, the Advoware actions after it. A run that stops in between then heals in the next
 * one: a value EspoCRM took over but whose marker is missing is matched again, and a Var6 whose marker is stale is
 * resolved in EspoCRM's favour. The other order could lose data: a Var4 entry marked in Advoware whose EspoCRM add
 * failed would look "deleted in EspoCRM" next time and be emptied.
 */
import type { KommunikationCreate, KommunikationWrite } from '../../contracts/advoware';
import type { EspoEmailAddress, EspoPhoneNumber } from '../../contracts/espocrm';
import { maskValue } from '../contact-values';
import type { KommKz } from './kommkz';
import type { ContactKind, SkippedValue } from './model';

/**
 * The six cases of SPEC §5.3, plus the two ways an equal value on both sides is taken over:
 * `initialMatch` (no stored hash yet) and `match` (a later run: the same value typed on both sides is one value).
 * `Var2+Var1`: a value deleted and one added of the same kommKz in one run, merged into one PUT of the entry.
 */
export type KommunikationCase = 'Var1' | 'Var2' | 'Var3' | 'Var4' | 'Var5' | 'Var6' | 'Var2+Var1' | 'initialMatch' | 'match';

interface EntryActionBase {
  case: KommunikationCase;
  /** The entry's code (GET hides it; the plan recovered it). */
  kommKz: KommKz;
  /** `PUT …/Kommunikationen/{entryId}` with `body`. */
  entryId: number;
  body: KommunikationWrite;
  /** The value the action is about, as typed (for makeSlot: the one emptied); the summary masks it. */
  value: string;
  /** Why, in one line, for the run's log; no values in it. */
  note: string;
}

export type AdvowareKommunikationAction =
  /** Var1 without a free entry of its kommKz: `POST …/Kommunikationen` with `body`. */
  | { kind: 'createEntry'; case: 'Var1'; kommKz: KommKz; body: KommunikationCreate; value: string; note: string }
  /** Var1 into an empty slot, or (`Var2+Var1`) into an entry this run would otherwise have emptied. */
  | (EntryActionBase & { kind: 'reuseSlot'; case: 'Var1' | 'Var2+Var1' })
  /** Var5 (EspoCRM's primary flag), or Var6 reverted to EspoCRM's value because EspoCRM wins. */
  | (EntryActionBase & { kind: 'updateEntry'; case: 'Var5' | 'Var6' })
  /** Var2 (deleted in EspoCRM, or moved to another type), or Var4/Var6 discarded because EspoCRM wins. */
  | (EntryActionBase & { kind: 'makeSlot'; case: 'Var2' | 'Var4' | 'Var6' })
  /** The value stays, only the marker (and the primary flag) is written: a match, Var4 or Var6 taken over. */
  | (EntryActionBase & { kind: 'writeMarker'; case: 'initialMatch' | 'match' | 'Var4' | 'Var6' });

export type AdvowareKommunikationActionKind = AdvowareKommunikationAction['kind'];

/** One change inside the EspoCRM write, for the summary. */
export interface EspoKommunikationChange {
  case: 'Var3' | 'Var4' | 'Var6';
  change: 'remove' | 'add' | 'replace';
  kind: ContactKind;
  /** The value written (add, replace) or removed, as typed. */
  value: string;
  /** The entry the change comes from; absent for Var3, whose entry is gone. */
  entryId?: number;
}

/** `PUT /CBeteiligte/{id}` with both arrays: EspoCRM replaces them whole, so they carry every value, optOut/invalid as read. */
export interface EspoKommunikationWrite {
  emailAddressData: EspoEmailAddress[];
  phoneNumberData: EspoPhoneNumber[];
  changes: EspoKommunikationChange[];
}

export interface KommunikationDecision {
  /** No kommunikationHash stored: the first sync of this pair (SPEC §5.3). */
  initialSync: boolean;
  advowareChanged: boolean;
  /** Null when no kommunikationEspoHash is stored (a Beteiligte last synced by the original system): unknown. */
  espoChanged: boolean | null;
  espoWins: boolean;
  /** One sentence for logs and the workflow result. */
  reason: string;
}

export interface KommunikationPlan {
  decision: KommunikationDecision;
  advoware: AdvowareKommunikationAction[];
  /** Null: EspoCRM's values stay as they are. */
  espo: EspoKommunikationWrite | null;
  skipped: SkippedValue[];
  /** Store as `kommunikationEspoHash` at the end of the run: EspoCRM's data as this plan leaves it. */
  espoHashAfter: string;
  /**
   * Store as `kommunikationHash`. Null when the plan writes to Advoware: every write changes an entry's rowId, so
   * the executor re-reads the Beteiligte and hashes that (`kommunikationHash`); without writes, no re-read (SPEC §5.3).
   */
  advowareHashAfter: string | null;
}

/** One line per write, for the run's log and result: values masked to their last four characters. */
export interface KommunikationSummaryLine {
  case: KommunikationCase;
  action: AdvowareKommunikationActionKind | `espo:${EspoKommunikationChange['change']}`;
  kommKz?: KommKz;
  entryId?: number;
  value: string;
}

export function summarizeKommunikationPlan(plan: KommunikationPlan): KommunikationSummaryLine[] {
  const lines: KommunikationSummaryLine[] = plan.advoware.map((action) => {
    const line: KommunikationSummaryLine = { case: action.case, action: action.kind, kommKz: action.kommKz, value: maskValue(action.value) };
    if (action.kind !== 'createEntry') line.entryId = action.entryId;
    return line;
  });
  for (const change of plan.espo?.changes ?? []) {
    const line: KommunikationSummaryLine = { case: change.case, action: `espo:${change.change}`, value: maskValue(change.value) };
    if (change.entryId !== undefined) line.entryId = change.entryId;
    lines.push(line);
  }
  return lines;
}
