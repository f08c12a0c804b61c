/**
 * The Adressen sync of SPEC §5.4 as one pure function: what one run writes to Advoware so that it holds EspoCRM's
 * addresses, within what Advoware's API allows (SPEC §3.2), and what it cannot write. EspoCRM is the master.
 *
 * Per EspoCRM address (`<espoId>:billing`, `<espoId>:shipping`), by the marker `EspoCRM-ID: <key>` in `bemerkung`:
 * - no marked address in Advoware → create it with all 11 fields; unless an unmarked address holds the same
 *   content (an address entered in Advoware before the hub): that one counts, nothing is written, no duplicate
 *   that could never be deleted again. The unmarked address is never changed or claimed (bemerkung is read-only).
 * - a marked address → update the writable fields (strasse, plz, ort, zusatz) that differ; a different country
 *   (land is read-only after creation) is a difference Advoware cannot take.
 * - a marked address whose EspoCRM address is gone → a difference too: DELETE answers 403 and gueltigBis is
 *   read-only, so Advoware keeps it.
 * Differences are reported (notified) once: the ids of those notified are stored in EspoCRM (`adressenReported`).
 */
import type { Adresse, AdresseCreate, AdresseWrite } from '../../contracts/advoware';
import type { AdresseDifference } from '../../contracts/beteiligte';
import { differenceId, espoAdressenHash, formatReported, parseReported } from './hash';
import {
  ADDRESS_KINDS,
  addressKey,
  describeAddress,
  formatAdresseMarker,
  landCode,
  markerKey,
  readEspoAddresses,
  text,
  WRITABLE_FIELDS,
  type EspoAddress,
  type EspoAddressFields,
  type WritableField,
} from './model';

export interface AdressenPlanInput {
  espoId: string;
  /** The Beteiligte's EspoCRM addresses as read at the start of the run. */
  espo: EspoAddressFields;
  /** Advoware's addresses of the Beteiligte as the run read them (none for a Beteiligte this run created). */
  advoware: readonly Adresse[];
  /** `adressenReported` as stored: the differences notified before. */
  reported: string | null | undefined;
  /** `gueltigVon` of a new address: the day it is created, `YYYY-MM-DD`. */
  today: string;
}

export type AdresseAction =
  | { kind: 'create'; address: string; body: AdresseCreate }
  /** The PUT finds the address by `marker` in a fresh read: `reihenfolgeIndex` is the index as planned, for the record only. */
  | { kind: 'update'; address: string; marker: string; body: AdresseWrite; fields: WritableField[]; reihenfolgeIndex: number };

export interface AdressenPlan {
  actions: AdresseAction[];
  /** EspoCRM addresses an unmarked Advoware address already holds: nothing written. */
  matched: { address: string; reihenfolgeIndex: number }[];
  /** Every difference Advoware cannot take, as of now. */
  unsyncable: AdresseDifference[];
  /** Of those, the ones not notified before: the run notifies them. */
  toNotify: AdresseDifference[];
  /** `adressenReported` after the run: the differences that are outstanding and notified. */
  reportedAfter: string;
  /** `adressenEspoHash` after the run. */
  espoHashAfter: string;
}

export function planAdressenSync(input: AdressenPlanInput): AdressenPlan {
  const espo = readEspoAddresses(input.espoId, input.espo);
  const marked = new Map<string, Adresse>();
  const unmarked: Adresse[] = [];
  // Lowest index first: should a user have copied a marked address in Advoware, the first one is the hub's.
  for (const adresse of [...input.advoware].sort((a, b) => a.reihenfolgeIndex - b.reihenfolgeIndex)) {
    const key = markerKey(adresse);
    if (key === null) unmarked.push(adresse);
    else if (!marked.has(key)) marked.set(key, adresse);
  }

  const plan: AdressenPlan = {
    actions: [],
    matched: [],
    unsyncable: [],
    toNotify: [],
    reportedAfter: '',
    espoHashAfter: espoAdressenHash(input.espo),
  };
  let standardTaken = input.advoware.some((a) => a.standardAnschrift === true);
  for (const kind of ADDRESS_KINDS) {
    const key = addressKey(input.espoId, kind);
    const wanted = espo.find((a) => a.kind === kind);
    const existing = marked.get(key);
    if (wanted && existing) planUpdate(plan, wanted, existing);
    else if (existing) {
      plan.unsyncable.push({ address: key, field: 'address', advoware: describeAddress(existing), espocrm: '' });
    } else if (wanted) {
      const same = unmarked.find((a) => sameContent(wanted, a));
      if (same) {
        plan.matched.push({ address: key, reihenfolgeIndex: same.reihenfolgeIndex });
        continue;
      }
      // The billing address is the Beteiligte's main address, unless Advoware has one already (it is read-only).
      const standardAnschrift = kind === 'billing' && !standardTaken;
      if (standardAnschrift) standardTaken = true;
      plan.actions.push({ kind: 'create', address: key, body: createBody(wanted, standardAnschrift, input.today) });
    }
  }

  const before = parseReported(input.reported);
  const ids = plan.unsyncable.map(differenceId);
  plan.toNotify = plan.unsyncable.filter((_, i) => !before.has(ids[i] ?? ''));
  plan.reportedAfter = formatReported(ids);
  return plan;
}

function planUpdate(plan: AdressenPlan, wanted: EspoAddress, existing: Adresse): void {
  const fields = WRITABLE_FIELDS.filter((f) => wanted[f] !== text(existing[f]));
  if (fields.length > 0) {
    // All four: the PUT's answer and the next read then show exactly EspoCRM's address.
    const body: AdresseWrite = { strasse: wanted.strasse, plz: wanted.plz, ort: wanted.ort, zusatz: wanted.zusatz };
    const marker = existing.bemerkung ?? formatAdresseMarker(wanted.key);
    plan.actions.push({ kind: 'update', address: wanted.key, marker, body, fields, reihenfolgeIndex: existing.reihenfolgeIndex });
  }
  if (!sameLand(wanted.land, existing.land)) {
    plan.unsyncable.push({ address: wanted.key, field: 'land', advoware: text(existing.land) ?? '', espocrm: wanted.country ?? '' });
  }
}

function sameLand(a: string | null, b: string | null): boolean {
  return (landCode(a) ?? '').toLowerCase() === (landCode(b) ?? '').toLowerCase();
}

function sameContent(wanted: EspoAddress, adresse: Adresse): boolean {
  return WRITABLE_FIELDS.every((f) => wanted[f] === text(adresse[f])) && sameLand(wanted.land, adresse.land);
}

/**
 * All 11 fields (SPEC §3.2): the read-only ones can be set only now. No Postfach (EspoCRM's address has none), and
 * no `anschrift`: a letter head written now would go stale with the first street change, which cannot reach it.
 */
function createBody(wanted: EspoAddress, standardAnschrift: boolean, today: string): AdresseCreate {
  return {
    strasse: wanted.strasse,
    plz: wanted.plz,
    ort: wanted.ort,
    land: wanted.land,
    postfach: null,
    postfachPlz: null,
    zusatz: wanted.zusatz,
    anschrift: null,
    standardAnschrift,
    gueltigVon: `${today}T00:00:00`,
    bemerkung: formatAdresseMarker(wanted.key),
  };
}
