import { LEAD_SOURCE, LEAD_TYPE_LABELS, type LeadSubmission, type LeadType } from '../../contracts/leads';
import { isMobileNumber } from '../contact-values';

/** An EspoCRM `Lead` as the hub reads it: the attributes below, as stored. */
export type LeadRecord = { id: string } & Record<string, unknown>;

/** The party a lead was linked to. */
export interface PartyMatch {
  espoId: string;
  by: 'email' | 'phone';
  assignedUserId: string | null;
}

/** What a lead's write depends on besides the submission. */
export interface LeadWriteContext {
  dedupKey: string;
  /** Set on create only: an update never takes the lead from the user who has it. */
  assignedUserId: string;
  party: PartyMatch | null;
}

/** The custom Lead attributes that record the follow-up (SPEC §7: exactly once per lead, across runs too). */
export const FOLLOW_UP_FIELDS = { kind: 'vmhFollowUp', id: 'vmhFollowUpId', at: 'vmhFollowUpAt' } as const;

/** Requests outrank a contact message, which outranks a newsletter sign-up: a lead keeps the strongest type it had. */
const RANK: Readonly<Record<LeadType, number>> = { newsletter: 0, kontakt: 1, mieter: 2, vermieter: 2 };

const TYPE_BY_LABEL = new Map(Object.entries(LEAD_TYPE_LABELS).map(([type, label]) => [label, type as LeadType]));

/** `concern` → `vmhConcern`: the form's own fields as custom Lead attributes. */
export const detailAttribute = (key: string): string => `vmh${key.charAt(0).toUpperCase()}${key.slice(1)}`;

interface EmailItem {
  emailAddress: string;
  primary: boolean;
}
interface PhoneItem {
  phoneNumber: string;
  type: string;
  primary: boolean;
}

/**
 * The attributes to write for `submission` (SPEC §7): every attribute of a new Lead, or only what changes on an
 * existing one (`current`). Names, the form's fields and the external id take the newest value; e-mail addresses and
 * phone numbers are added, never replaced; consents, once given, stay given (withdrawal is the unsubscribe link's
 * business, not a form's); the message is added to the description.
 */
export function leadWrite(current: LeadRecord | null, submission: LeadSubmission, ctx: LeadWriteContext): Record<string, unknown> {
  const desired: Record<string, unknown> = {};
  if (submission.firstName !== null) desired.firstName = submission.firstName;
  if (submission.lastName !== null) desired.lastName = submission.lastName;
  else if (current === null) desired.lastName = submission.email; // EspoCRM needs a name; the e-mail is what every form has

  const emails = asList<EmailItem>(current?.emailAddressData);
  if (!emails.some((e) => e.emailAddress.toLowerCase() === submission.email)) {
    desired.emailAddressData = [...emails, { emailAddress: submission.email, primary: emails.length === 0 }];
  }
  if (submission.phone !== null) {
    const phones = asList<PhoneItem>(current?.phoneNumberData);
    if (!phones.some((p) => p.phoneNumber === submission.phone)) {
      desired.phoneNumberData = [
        ...phones,
        { phoneNumber: submission.phone, type: isMobileNumber(submission.phone) ? 'Mobile' : 'Office', primary: phones.length === 0 },
      ];
    }
  }

  const currentType = typeof current?.vmhLeadType === 'string' ? TYPE_BY_LABEL.get(current.vmhLeadType) : undefined;
  if (currentType === undefined || RANK[submission.type] >= RANK[currentType]) desired.vmhLeadType = LEAD_TYPE_LABELS[submission.type];
  for (const [key, value] of Object.entries(submission.details)) desired[detailAttribute(key)] = value;
  if (submission.externalId !== null) desired.vmhExternalId = submission.externalId;

  desired.vmhConsentPrivacy = current?.vmhConsentPrivacy === true || submission.consent.privacy;
  desired.vmhConsentNewsletter = current?.vmhConsentNewsletter === true || submission.consent.newsletter;
  desired.vmhConsentPhoneContact = current?.vmhConsentPhoneContact === true || submission.consent.phoneContact;

  if (submission.message !== null) {
    const line = `${LEAD_TYPE_LABELS[submission.type]} (${submission.receivedAt.slice(0, 10)}): ${submission.message}`;
    const before = typeof current?.description === 'string' ? current.description : '';
    if (!before.includes(line)) desired.description = before ? `${before}\n\n${line}` : line;
  }
  if (ctx.party !== null && !current?.vmhBeteiligteId) desired.vmhBeteiligteId = ctx.party.espoId;

  if (current === null) {
    return { ...desired, source: LEAD_SOURCE, status: 'New', vmhDedupKey: ctx.dedupKey, assignedUserId: ctx.assignedUserId };
  }
  return Object.fromEntries(Object.entries(desired).filter(([key, value]) => !sameValue(current[key], value)));
}

/** The follow-up recorded on the Lead by an earlier run, e.g. `task:<id>`; null when none was done. */
export function recordedFollowUp(lead: LeadRecord | null): string | null {
  const kind = lead?.[FOLLOW_UP_FIELDS.kind];
  if (typeof kind !== 'string' || kind === '') return null;
  const id = lead?.[FOLLOW_UP_FIELDS.id];
  return typeof id === 'string' && id !== '' ? `${kind}:${id}` : kind;
}

/** The Lead's phone numbers in E.164 (the caller index learns them). */
export function leadPhones(lead: LeadRecord): string[] {
  return asList<PhoneItem>(lead.phoneNumberData).map((p) => p.phoneNumber);
}

function asList<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as T[]) : [];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
