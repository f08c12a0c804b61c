/**
 * The party profile the AI assistant Y gets (SPEC §9): master data, Kommunikation, addresses, recent calls, the
 * assigned employee's upcoming appointments and open sync problems, in one compact JSON.
 *
 * Built by whitelisting: every field of the answer is named here and copied from its source, so a field EspoCRM
 * gains tomorrow (or a hash, a rowId, a secret) never reaches the assistant by accident. Bank data is never read into
 * it: a Bankverbindung contributes only its id and sync status, and IBAN-like text in sync messages is masked.
 */
import type { EspoBankverbindung } from '../../contracts/bankverbindungen';
import type { EspoBeteiligte } from '../../contracts/espocrm';
import { ADDRESS_KINDS, type AddressKind } from '../adressen/model';
import type { TerminWrite } from '../calendar/types';
import { normaliseEmail, normalisePhone } from '../contact-values';
import { parseEspoDateTime } from '../espocrm-datetime';
import { upcomingAppointments, type AppointmentSlot } from './appointments';
import type { DateWindow } from '../calendar/span';

/** EspoCRM `Call` as the profile reads it (EspoCRM's standard call entity; linked to a party by parent). */
export interface EspoCall {
  id: string;
  name?: string | null;
  /** `Planned | Held | Not Held` */
  status?: string | null;
  /** `Inbound | Outbound` */
  direction?: string | null;
  /** EspoCRM DateTime (UTC). */
  dateStart?: string | null;
  /** Seconds. */
  duration?: number | null;
}

/** The attributes of a call the profile shows; the reader selects exactly these. */
export const CALL_ATTRIBUTES = ['id', 'name', 'status', 'direction', 'dateStart', 'duration'] as const satisfies readonly (keyof EspoCall)[];

/** The status part of a bank account; the reader selects only these, so no IBAN, BIC or holder is even fetched. */
export type BankverbindungStatus = Pick<
  EspoBankverbindung,
  'id' | 'syncStatus' | 'syncErrorMessage' | 'syncRetryCount' | 'syncNextRetry' | 'modifiedAt'
>;
export const BANKVERBINDUNG_STATUS_ATTRIBUTES = [
  'id',
  'syncStatus',
  'syncErrorMessage',
  'syncRetryCount',
  'syncNextRetry',
  'modifiedAt',
] as const satisfies readonly (keyof BankverbindungStatus)[];

/** How many calls the profile lists, newest first. */
export const RECENT_CALLS = 10;

/** Sync messages are for operators and may be long (2000 characters); the assistant needs the gist. */
const MAX_MESSAGE_LENGTH = 300;

/** What the reader found for the assigned employee's appointments. */
export type AppointmentsSource =
  | { kind: 'listed'; kuerzel: string; window: DateWindow; termine: readonly TerminWrite[] }
  /** `transient`: an upstream failure (the answer is then not cached); otherwise a lasting state such as no assignee. */
  | { kind: 'unavailable'; reason: string; transient: boolean };

export interface ProfileSources {
  beteiligte: EspoBeteiligte;
  /** Newest first. */
  calls: readonly EspoCall[];
  bankverbindungen: readonly BankverbindungStatus[];
  /** The assigned EspoCRM user and their Advoware kuerzel from the staff directory, when known. */
  assignee: { userId: string; kuerzel: string | null } | null;
  appointments: AppointmentsSource;
  now: Date;
}

export interface YPhone {
  number: string;
  /** E.164, or null when the value is no phone number. */
  e164: string | null;
  type: string | null;
  primary: boolean;
  /** Do not call (EspoCRM opt-out). */
  doNotCall: boolean;
  invalid: boolean;
}

export interface YEmail {
  address: string;
  primary: boolean;
  optOut: boolean;
  invalid: boolean;
}

export interface YAddress {
  kind: AddressKind;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
}

export interface YCall {
  /** ISO instant (UTC), or null when EspoCRM has none. */
  start: string | null;
  direction: string | null;
  status: string | null;
  durationSeconds: number | null;
  subject: string | null;
}

export type YAppointments = { kuerzel: string; from: string; to: string; items: AppointmentSlot[]; total: number } | { unavailable: string };

export interface YSyncProblem {
  entity: 'CBeteiligte' | 'CBankverbindungen';
  id: string;
  status: string;
  message: string | null;
  /** When the record was last changed (ISO, UTC): for a problem, when the hub recorded it; `deletedInAdvoware` when known. */
  since: string | null;
  nextRetry: string | null;
  retries: number | null;
}

export interface YProfile {
  espoId: string;
  betNr: number | null;
  kind: 'person' | 'company';
  name: string | null;
  salutation: string | null;
  firstName: string | null;
  lastName: string | null;
  firmenname: string | null;
  rechtsform: string | null;
  dateOfBirth: string | null;
  assignedEmployee: { userId: string; kuerzel: string | null } | null;
  kommunikation: { phones: YPhone[]; emails: YEmail[] };
  addresses: YAddress[];
  recentCalls: YCall[];
  appointments: YAppointments;
  syncProblems: YSyncProblem[];
  generatedAt: string;
}

export interface BuiltProfile {
  profile: YProfile;
  /** False when a part is missing for a passing reason (an upstream failure): such an answer is not cached. */
  complete: boolean;
}

/** The profile from what the reader fetched; pure (the clock comes in `now`). */
export function buildProfile(sources: ProfileSources): BuiltProfile {
  const b = sources.beteiligte;
  const firmenname = text(b.firmenname);
  const isCompany = firmenname !== null;
  const profile: YProfile = {
    espoId: b.id,
    betNr: typeof b.betnr === 'number' ? b.betnr : null,
    kind: isCompany ? 'company' : 'person',
    name: displayName(b),
    salutation: isCompany ? null : text(b.salutationName),
    // EspoCRM hides a company's person names (SPEC §4): leftovers there are not the party's.
    firstName: isCompany ? null : text(b.firstName),
    lastName: isCompany ? null : text(b.lastName),
    firmenname,
    rechtsform: text(b.rechtsform),
    dateOfBirth: isCompany ? null : text(b.dateOfBirth),
    assignedEmployee: sources.assignee && { userId: sources.assignee.userId, kuerzel: sources.assignee.kuerzel },
    kommunikation: { phones: phones(b), emails: emails(b) },
    addresses: addresses(b),
    recentCalls: sources.calls.slice(0, RECENT_CALLS).map(call),
    appointments: appointments(sources.appointments, sources.now),
    syncProblems: syncProblems(b, sources.bankverbindungen),
    generatedAt: sources.now.toISOString(),
  };
  const complete = !(sources.appointments.kind === 'unavailable' && sources.appointments.transient);
  return { profile, complete };
}

function displayName(b: EspoBeteiligte): string | null {
  return text(b.name) ?? text(b.firmenname) ?? text([b.firstName, b.lastName].filter((part) => text(part) !== null).join(' '));
}

function phones(b: EspoBeteiligte): YPhone[] {
  return (b.phoneNumberData ?? [])
    .filter((p) => text(p.phoneNumber) !== null)
    .map((p) => ({
      number: p.phoneNumber.trim(),
      e164: normalisePhone(p.phoneNumber),
      type: text(p.type),
      primary: p.primary === true,
      doNotCall: p.optOut === true,
      invalid: p.invalid === true,
    }));
}

function emails(b: EspoBeteiligte): YEmail[] {
  return (b.emailAddressData ?? [])
    .filter((e) => text(e.emailAddress) !== null)
    .map((e) => ({
      address: normaliseEmail(e.emailAddress) ?? e.emailAddress.trim(),
      primary: e.primary === true,
      optOut: e.optOut === true,
      invalid: e.invalid === true,
    }));
}

/** As the Adressen sync reads them (domain/adressen/model.ts): an address without street, postal code, city and country is none. */
function addresses(b: EspoBeteiligte): YAddress[] {
  const out: YAddress[] = [];
  for (const kind of ADDRESS_KINDS) {
    const address: YAddress = {
      kind,
      street: text(b[`${kind}AddressStreet`]),
      postalCode: text(b[`${kind}AddressPostalCode`]),
      city: text(b[`${kind}AddressCity`]),
      state: text(b[`${kind}AddressState`]),
      country: text(b[`${kind}AddressCountry`]),
    };
    if (address.street !== null || address.postalCode !== null || address.city !== null || address.country !== null) out.push(address);
  }
  return out;
}

function call(c: EspoCall): YCall {
  return {
    start: isoOf(c.dateStart),
    direction: text(c.direction),
    status: text(c.status),
    durationSeconds: typeof c.duration === 'number' && Number.isFinite(c.duration) ? c.duration : null,
    subject: maskIbans(text(c.name)),
  };
}

function appointments(source: AppointmentsSource, now: Date): YAppointments {
  if (source.kind === 'unavailable') return { unavailable: source.reason };
  const { items, total } = upcomingAppointments(source.termine, source.window, now);
  return { kuerzel: source.kuerzel, from: source.window.from, to: source.window.to, items, total };
}

/** Every record whose status is set and not `clean` (SPEC §5.6): the party's first, then its bank accounts'. */
function syncProblems(b: EspoBeteiligte, accounts: readonly BankverbindungStatus[]): YSyncProblem[] {
  const out: YSyncProblem[] = [];
  const add = (entity: YSyncProblem['entity'], record: BankverbindungStatus & Pick<EspoBeteiligte, 'advowareDeletedAt'>) => {
    const status = text(record.syncStatus);
    if (status === null || status === 'clean') return;
    out.push({
      entity,
      id: record.id,
      status,
      message: truncate(maskIbans(text(record.syncErrorMessage))),
      since: isoOf(status === 'deleted_in_advoware' ? (record.advowareDeletedAt ?? record.modifiedAt) : record.modifiedAt),
      nextRetry: isoOf(record.syncNextRetry),
      retries: typeof record.syncRetryCount === 'number' ? record.syncRetryCount : null,
    });
  };
  add('CBeteiligte', b);
  for (const account of accounts) add('CBankverbindungen', account);
  return out;
}

/**
 * IBAN-shaped text (country code, check digits, then groups of four, spaces allowed) masked to its last four
 * characters. The hub's own messages mask IBANs already (SPEC §5.5); this holds for text a person typed too.
 */
export function maskIbans(value: string | null): string | null {
  if (value === null) return null;
  // In groups of four as IBANs are printed, so the words after a printed IBAN are not taken for part of it.
  return value.replace(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/gi, (iban) => {
    const compact = iban.replace(/ /g, '');
    return `${'*'.repeat(compact.length - 4)}${compact.slice(-4)}`;
  });
}

function truncate(value: string | null): string | null {
  if (value === null || value.length <= MAX_MESSAGE_LENGTH) return value;
  return `${value.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

/** EspoCRM DateTime → ISO instant; anything else (a value EspoCRM would not write) → null rather than passed on. */
function isoOf(value: string | null | undefined): string | null {
  const date = parseEspoDateTime(value);
  return date === undefined ? null : date.toISOString().replace('.000Z', 'Z');
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
