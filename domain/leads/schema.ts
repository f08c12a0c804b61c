/**
 * The Vermieterhelden webhook body (SPEC §7), one schema per form. Every message names the field (api/validation.ts
 * joins the path), so the site's developers see which input the hub refused. The gateway alone parses with it.
 */
import { z } from 'zod';
import { normaliseEmail, normalisePhone } from '../contact-values';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const email = z
  .string({ error: 'is required (an e-mail address)' })
  .trim()
  .max(254, 'is too long for an e-mail address')
  .refine((value) => normaliseEmail(value) !== null, 'must be an e-mail address');

const phone = z
  .string({ error: 'must be a phone number as text' })
  .trim()
  .max(40, 'is too long for a phone number')
  .refine((value) => normalisePhone(value) !== null, 'must be a phone number (German numbers without +49 are fine)');

const consent = z
  .object({
    privacy: z.boolean({ error: 'must be true or false' }).default(false),
    newsletter: z.boolean({ error: 'must be true or false' }).default(false),
    phone_contact: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .default({ privacy: false, newsletter: false, phone_contact: false });

/** Requests and contact messages need the privacy notice accepted (the site's form enforces it, the hub checks). */
const privacyAccepted = consent.refine((c) => c.privacy, { message: 'must be true (privacy notice accepted)', path: ['privacy'] });

const person = {
  first_name: text(100),
  last_name: text(100),
  email,
  phone: phone.optional(),
  message: text(5000).optional(),
};

/** What both requests (Mieter, Vermieter) carry: a person, what they need help with, the privacy consent. */
const request = {
  ...person,
  /** What the tenant or landlord needs help with (Mieterhöhung, Kündigung, Mietrückstand …). */
  concern: text(200),
  consent: privacyAccepted,
};

const mieter = z.object({
  type: z.literal('mieter'),
  ...request,
  /** The rented flat. */
  address: text(300).optional(),
  monthly_rent: z.number({ error: 'must be a number (euros)' }).positive('must be positive').max(100_000, 'is implausibly high').optional(),
});

const vermieter = z.object({
  type: z.literal('vermieter'),
  ...request,
  property_address: text(300).optional(),
  units: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'is implausibly high')
    .optional(),
});

const kontakt = z.object({
  type: z.literal('kontakt'),
  first_name: text(100).optional(),
  last_name: text(100).optional(),
  email,
  phone: phone.optional(),
  subject: text(200).optional(),
  message: text(5000),
  consent: privacyAccepted,
});

const newsletter = z.object({
  type: z.literal('newsletter'),
  first_name: text(100).optional(),
  last_name: text(100).optional(),
  email,
  // Consent is checked by the workflow, not here: a sign-up without it is recorded as refused, not a 400.
  consent,
});

const lead = z.discriminatedUnion('type', [mieter, vermieter, kontakt, newsletter], {
  error: 'must be one of mieter, vermieter, kontakt, newsletter',
});

const meta = {
  /** The site's id of the submission. */
  id: text(100).optional(),
};

/**
 * `lead.created` carries any form; `contact.submitted` the contact form, whose `type` may be left out. An unknown
 * event is a 400 naming `event`.
 */
export const vermieterheldenWebhook = z.discriminatedUnion(
  'event',
  [
    z.object({ event: z.literal('lead.created'), ...meta, lead }),
    z.object({
      event: z.literal('contact.submitted'),
      ...meta,
      lead: z.preprocess((value) => (isRecord(value) && value.type === undefined ? { ...value, type: 'kontakt' } : value), kontakt),
    }),
  ],
  { error: 'must be lead.created or contact.submitted' },
);

export type VermieterheldenWebhook = z.infer<typeof vermieterheldenWebhook>;
export type VermieterheldenLead = VermieterheldenWebhook['lead'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
