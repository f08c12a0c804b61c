/**
 * The Kommunikation sync of SPEC §5.3 as one pure function: what one run must write to Advoware and EspoCRM so
 * both hold the same e-mail addresses and phone numbers, in the fewest calls. The Beteiligte workflow performs it.
 *
 * Per value (compared in normal form, written as typed; model.ts):
 * - marked entry, value unchanged in Advoware: EspoCRM has it → nothing, or Var5 (primary flag) ; EspoCRM has it
 *   under another type → Var2 here + Var1 under the new kommKz (kommKz is read-only on PUT); EspoCRM lost it → Var2.
 * - marked entry, value changed in Advoware → Var6: EspoCRM takes the new value, the marker follows; when EspoCRM
 *   wins it is reverted to EspoCRM's value (or emptied when EspoCRM no longer has it).
 * - unmarked entry: EspoCRM has the equal value → only the marker is written (initial sync, SPEC §5.3; later runs
 *   the same, an equal value typed on both sides is one value); else Var4: EspoCRM gets it, or, when EspoCRM wins,
 *   the entry becomes a slot.
 * - EspoCRM value without an entry → Var1 (POST, or reuse an entry of its kommKz: first one this run would empty,
 *   merging Var2 + Var1 into one PUT, then an empty slot); or Var3 (removed from EspoCRM) when only Advoware
 *   changed since the last sync. When EspoCRM wins, Var3 is Var1.
 * - whatever this run would empty and did not reuse → makeSlot.
 * Unusable values (an e-mail without `@`, no possible phone number) and repeated ones are skipped and reported;
 * the rest are synced as usual.
 */
import type { Kommunikation } from '../../contracts/advoware';
import { maskValue } from '../contact-values';
import type { AdvowareKommunikationAction, KommunikationPlan } from './actions';
import { decideKommunikation, type StoredKommunikationHashes } from './decision';
import { buildEspoWrite, type EspoEdit } from './espo-write';
import { espoKommunikationHash, kommunikationHash } from './hash';
import { espoPlaceOf, fitsEspo, recoverKommKz, type KommKz } from './kommkz';
import { formatMarker, formatSlot } from './marker';
import {
  readAdvoware,
  readEspo,
  type AdvowareEntry,
  type ContactKind,
  type EspoContact,
  type EspoKommunikationData,
  type SkippedValue,
} from './model';

export interface KommunikationPlanInput {
  /** The Beteiligte's EspoCRM data as read at the start of the run. */
  espo: EspoKommunikationData;
  /** The Beteiligte's Kommunikation entries as Advoware's GET answered (kommKz 0 and all). */
  advoware: readonly Kommunikation[];
  stored: StoredKommunikationHashes;
  /** EspoCRM wins whatever the hashes say: the Stammdaten run ended in a conflict (SPEC §5.2). */
  forceEspoWins?: boolean;
}

type Marked = Extract<AdvowareEntry, { state: 'marked' }>;
type Unmarked = Extract<AdvowareEntry, { state: 'unmarked' }>;

/** An entry this run would empty; a Var1 of the same kommKz takes it over instead (one PUT). */
interface Emptied {
  entry: Kommunikation;
  kommKz: KommKz;
  case: 'Var2' | 'Var4' | 'Var6';
  /** The value being emptied, for the summary. */
  value: string;
  /** The user's remark, kept when a new value takes the entry over (an edit in EspoCRM is delete + add). */
  userText: string;
  note: string;
}

/** An Advoware value EspoCRM takes over; its primary flag is settled once all of them are known. */
interface Adoption {
  entry: Kommunikation;
  kind: ContactKind;
  kommKz: KommKz;
  value: string;
  userText: string;
  case: 'Var4' | 'Var6';
}

export function planKommunikationSync(input: KommunikationPlanInput): KommunikationPlan {
  const decision = decideKommunikation(input.espo, input.advoware, input.stored, input.forceEspoWins);
  const espoSide = readEspo(input.espo);
  const advoSide = readAdvoware(input.advoware);
  const skipped: SkippedValue[] = [...espoSide.skipped, ...advoSide.skipped];
  const run = new Run(espoSide.contacts, decision.espoWins, skipped);

  const marked = advoSide.entries.filter((e): e is Marked => e.state === 'marked');
  const unmarked = advoSide.entries.filter((e): e is Unmarked => e.state === 'unmarked');
  for (const e of advoSide.entries) if (e.state === 'slot') run.addFreeSlot(e.entry, e.kommKz);

  // Each synced value belongs to one entry whose marker names it, preferably one that still holds it; the others
  // are copies (a user copied the entry, or changed one of two entries that held the same value).
  const owners = new Map<string, Marked>();
  const holdsMarkedValue = (m: Marked): number => (m.currentKey === m.syncedKey ? 0 : 1);
  for (const m of [...marked].sort((a, b) => holdsMarkedValue(a) - holdsMarkedValue(b) || a.entry.id - b.entry.id)) {
    if (!owners.has(m.syncedKey)) owners.set(m.syncedKey, m);
    else if (m.currentKey === m.syncedKey || m.currentKey === null) run.skip('advoware', 'duplicate', m.current, m.entry.id);
    // A copy that got a value of its own in Advoware is judged by that value, like an entry without marker.
    else
      unmarked.push({
        state: 'unmarked',
        entry: m.entry,
        kind: m.kind,
        value: m.current,
        key: m.currentKey,
        userText: m.userText,
        knownKommKz: m.kommKz,
      });
  }
  for (const m of owners.values()) run.planMarked(m, owners);
  for (const u of unmarked) run.planUnmarked(u, decision.initialSync);
  const lostMeansDeleted = !decision.espoWins && decision.advowareChanged && decision.espoChanged === false;
  run.planEspoOnly(lostMeansDeleted);

  const advoware = run.finishAdvoware();
  const espo = buildEspoWrite(input.espo, run.espoEdits);
  const after = espo ? { emailAddressData: espo.emailAddressData, phoneNumberData: espo.phoneNumberData } : input.espo;
  return {
    decision,
    advoware,
    espo,
    skipped,
    espoHashAfter: espoKommunikationHash(after),
    advowareHashAfter: advoware.length === 0 ? kommunikationHash(input.advoware) : null,
  };
}

/** The state of one planning run: which EspoCRM values have their entry, what is free, what is written. */
class Run {
  readonly espoEdits: EspoEdit[] = [];
  private readonly actions: AdvowareKommunikationAction[] = [];
  private readonly byKey: Map<string, EspoContact>;
  /** EspoCRM values (normal form) that have their Advoware entry after this run, or leave EspoCRM in it. */
  private readonly settled = new Set<string>();
  /** EspoCRM values whose entry must be created even when Advoware alone changed: they moved to another type. */
  private readonly moved = new Set<string>();
  private readonly freeSlots = new Map<KommKz, Kommunikation[]>();
  private readonly emptied: Emptied[] = [];
  private readonly adoptions: Adoption[] = [];

  constructor(
    private readonly contacts: readonly EspoContact[],
    private readonly espoWins: boolean,
    private readonly skipped: SkippedValue[],
  ) {
    this.byKey = new Map(contacts.map((c) => [c.key, c]));
  }

  skip(side: SkippedValue['side'], reason: SkippedValue['reason'], value: string, entryId?: number): void {
    const masked = maskValue(value);
    this.skipped.push(entryId === undefined ? { side, reason, value: masked } : { side, reason, value: masked, entryId });
  }

  addFreeSlot(entry: Kommunikation, kommKz: KommKz): void {
    this.freeSlots.set(kommKz, [...(this.freeSlots.get(kommKz) ?? []), entry]);
  }

  planMarked(m: Marked, owners: ReadonlyMap<string, Marked>): void {
    const contact = this.byKey.get(m.syncedKey);
    if (m.currentKey === null) {
      // Advoware now holds something unusable: neither side is touched until a user fixes it.
      this.skip('advoware', m.kind === 'email' ? 'invalidEmail' : 'invalidPhone', m.current, m.entry.id);
      this.settled.add(m.syncedKey);
      return;
    }
    const fits = contact !== undefined && fitsEspo(m.kommKz, contact.kind, contact.type);
    if (m.currentKey === m.syncedKey) {
      if (contact && fits) return this.keep(m, contact);
      if (contact) this.moved.add(contact.key);
      return this.empty(m, 'Var2', contact ? 'the value moved to another type in EspoCRM' : 'deleted in EspoCRM');
    }
    // Var6: the value was changed in Advoware.
    if (this.espoWins) {
      if (contact && fits) return this.revert(m, contact);
      if (contact) this.moved.add(contact.key);
      return this.empty(m, 'Var6', 'changed in Advoware, but EspoCRM wins and no longer holds the value here');
    }
    const successor = this.byKey.get(m.currentKey);
    // Changed into a value another entry already holds: a copy, reported; the value itself is synced once.
    const copy = (owners.has(m.currentKey) && owners.get(m.currentKey) !== m) || this.settled.has(m.currentKey);
    if (copy) this.skip('advoware', 'duplicate', m.current, m.entry.id);
    this.settled.add(m.currentKey);
    if (successor || copy) {
      // The old value was replaced by one that exists already: EspoCRM drops the old one.
      if (contact) {
        this.espoEdits.push({ case: 'Var6', change: 'remove', kind: contact.kind, key: contact.key, value: contact.value, entryId: m.entry.id });
      }
      const online = successor?.primary ?? m.entry.online;
      this.marker(m.entry, m.kommKz, m.current, m.userText, online, 'Var6', 'changed in Advoware into a value that exists already');
    } else if (contact) {
      this.settled.add(m.syncedKey);
      this.espoEdits.push({ case: 'Var6', change: 'replace', kind: contact.kind, key: contact.key, value: m.current, entryId: m.entry.id });
      this.marker(m.entry, m.kommKz, m.current, m.userText, contact.primary, 'Var6', 'changed in Advoware: EspoCRM takes the new value');
    } else {
      this.adoptions.push({ entry: m.entry, kind: m.kind, kommKz: m.kommKz, value: m.current, userText: m.userText, case: 'Var6' });
    }
  }

  planUnmarked(u: Unmarked, initialSync: boolean): void {
    if (this.settled.has(u.key)) return this.skip('advoware', 'duplicate', u.value, u.entry.id);
    const contact = this.removedFromEspo(u.key) ? undefined : this.byKey.get(u.key);
    const { kommKz } = recoverKommKz({
      markerKommKz: u.knownKommKz ?? null,
      advowareKommKz: u.entry.kommKz,
      value: u.value,
      espoType: contact?.type ?? null,
    });
    this.settled.add(u.key);
    if (contact && fitsEspo(kommKz, contact.kind, contact.type)) {
      const kase = initialSync ? 'initialMatch' : 'match';
      this.marker(u.entry, kommKz, u.value, u.userText, contact.primary, kase, 'the same value on both sides: only the marker is written');
    } else if (contact) {
      // Advoware files it under a code that does not fit EspoCRM's type (kommKz is read-only): EspoCRM, the master, decides.
      this.settled.delete(u.key);
      this.moved.add(u.key);
      this.emptied.push({ entry: u.entry, kommKz, case: 'Var4', value: u.value, userText: '', note: 'filed under another type than in EspoCRM' });
    } else if (this.espoWins) {
      this.emptied.push({ entry: u.entry, kommKz, case: 'Var4', value: u.value, userText: '', note: 'new in Advoware, but EspoCRM wins' });
    } else {
      this.adoptions.push({ entry: u.entry, kind: u.kind, kommKz, value: u.value, userText: u.userText, case: 'Var4' });
    }
  }

  /** EspoCRM values no entry holds: Var1, or Var3 when only Advoware changed since the last sync. */
  planEspoOnly(lostMeansDeleted: boolean): void {
    for (const contact of this.contacts) {
      if (this.settled.has(contact.key) || this.removedFromEspo(contact.key)) continue;
      if (lostMeansDeleted && !this.moved.has(contact.key)) {
        this.espoEdits.push({ case: 'Var3', change: 'remove', kind: contact.kind, key: contact.key, value: contact.value });
        continue;
      }
      this.create(contact);
    }
  }

  /** The Advoware actions, with the adoptions' primary flags settled and what stayed emptied turned into slots. */
  finishAdvoware(): AdvowareKommunikationAction[] {
    const hasPrimary = new Set<ContactKind>();
    for (const c of this.contacts) if (c.primary && !this.removedFromEspo(c.key)) hasPrimary.add(c.kind);
    for (const a of this.adoptions) {
      // EspoCRM allows one primary per kind: an Advoware value takes the flag only when EspoCRM has none.
      const primary = a.entry.online && !hasPrimary.has(a.kind);
      if (primary) hasPrimary.add(a.kind);
      const place = espoPlaceOf(a.kommKz);
      const type = place?.kind === 'phone' ? place.type : undefined;
      this.espoEdits.push({ case: a.case, change: 'add', kind: a.kind, value: a.value, primary, entryId: a.entry.id, ...(type ? { type } : {}) });
      const note = a.case === 'Var4' ? 'new in Advoware: added to EspoCRM' : 'changed in Advoware, gone from EspoCRM: added again';
      this.marker(a.entry, a.kommKz, a.value, a.userText, primary, a.case, note);
    }
    for (const e of this.emptied) {
      const body = { tlf: '', bemerkung: formatSlot(e.kommKz), online: false };
      this.actions.push({ kind: 'makeSlot', case: e.case, kommKz: e.kommKz, entryId: e.entry.id, body, value: e.value, note: e.note });
    }
    return this.actions;
  }

  private removedFromEspo(key: string): boolean {
    return this.espoEdits.some((edit) => edit.change === 'remove' && edit.key === key);
  }

  private keep(m: Marked, contact: EspoContact): void {
    this.settled.add(contact.key);
    if (m.entry.online === contact.primary) return;
    const body = { tlf: m.entry.tlf, bemerkung: m.entry.bemerkung ?? formatMarker(m.syncedValue, m.kommKz), online: contact.primary };
    this.actions.push({
      kind: 'updateEntry',
      case: 'Var5',
      kommKz: m.kommKz,
      entryId: m.entry.id,
      body,
      value: m.current,
      note: 'primary flag changed in EspoCRM',
    });
  }

  private revert(m: Marked, contact: EspoContact): void {
    this.settled.add(contact.key);
    const body = { tlf: contact.value, bemerkung: formatMarker(contact.value, m.kommKz, m.userText), online: contact.primary };
    const note = 'changed in Advoware, but EspoCRM wins: reverted to its value';
    this.actions.push({ kind: 'updateEntry', case: 'Var6', kommKz: m.kommKz, entryId: m.entry.id, body, value: contact.value, note });
  }

  private empty(m: Marked, kase: Emptied['case'], note: string): void {
    this.emptied.push({ entry: m.entry, kommKz: m.kommKz, case: kase, value: m.current, userText: m.userText, note });
  }

  private marker(
    entry: Kommunikation,
    kommKz: KommKz,
    value: string,
    userText: string,
    online: boolean,
    kase: 'initialMatch' | 'match' | 'Var4' | 'Var6',
    note: string,
  ): void {
    const body = { tlf: entry.tlf, bemerkung: formatMarker(value, kommKz, userText), online };
    this.actions.push({ kind: 'writeMarker', case: kase, kommKz, entryId: entry.id, body, value, note });
  }

  /** Var1, in the fewest calls: an entry of its kommKz this run would empty, else an empty slot, else a POST. */
  private create(contact: EspoContact): void {
    const kommKz = contact.kommKz;
    const at = this.emptied.findIndex((e) => e.kommKz === kommKz);
    if (at >= 0) {
      const [taken] = this.emptied.splice(at, 1);
      if (taken) {
        const body = { tlf: contact.value, bemerkung: formatMarker(contact.value, kommKz, taken.userText), online: contact.primary };
        const note = `takes over an entry emptied by ${taken.case} (one PUT instead of slot, then refill)`;
        this.actions.push({ kind: 'reuseSlot', case: 'Var2+Var1', kommKz, entryId: taken.entry.id, body, value: contact.value, note });
        return;
      }
    }
    const slot = this.freeSlots.get(kommKz)?.shift();
    const write = { tlf: contact.value, bemerkung: formatMarker(contact.value, kommKz), online: contact.primary };
    if (slot) {
      this.actions.push({
        kind: 'reuseSlot',
        case: 'Var1',
        kommKz,
        entryId: slot.id,
        body: write,
        value: contact.value,
        note: 'new in EspoCRM: into an empty slot',
      });
    } else {
      this.actions.push({ kind: 'createEntry', case: 'Var1', kommKz, body: { ...write, kommKz }, value: contact.value, note: 'new in EspoCRM' });
    }
  }
}
