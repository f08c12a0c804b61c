import type { LeadSubmission } from '../../contracts/leads';
import { normaliseEmail, normalisePhone } from '../contact-values';
import type { VermieterheldenWebhook } from './schema';

/**
 * The validated webhook as the workflow's signal (SPEC §7): e-mail lower case, phone in E.164 (German by default),
 * the form's own fields in `details`. The schema already refused values these cannot normalise.
 */
export function toSubmission(body: VermieterheldenWebhook, receivedAt: string, decideAt?: string): LeadSubmission {
  const { lead } = body;
  const details: Record<string, string | number | boolean> = {};
  let message: string | null = null;
  switch (lead.type) {
    case 'mieter':
      details.concern = lead.concern;
      if (lead.address !== undefined) details.address = lead.address;
      if (lead.monthly_rent !== undefined) details.monthlyRent = lead.monthly_rent;
      message = lead.message ?? null;
      break;
    case 'vermieter':
      details.concern = lead.concern;
      if (lead.property_address !== undefined) details.propertyAddress = lead.property_address;
      if (lead.units !== undefined) details.units = lead.units;
      message = lead.message ?? null;
      break;
    case 'kontakt':
      if (lead.subject !== undefined) details.subject = lead.subject;
      message = lead.message;
      break;
    case 'newsletter':
      break;
  }
  const phoneRaw = 'phone' in lead && lead.phone !== undefined ? lead.phone : null;
  return {
    event: body.event,
    type: lead.type,
    externalId: body.id ?? null,
    firstName: lead.first_name ?? null,
    lastName: lead.last_name ?? null,
    // The schema checked both; the fallbacks are never taken.
    email: normaliseEmail(lead.email) ?? lead.email.toLowerCase(),
    phone: normalisePhone(phoneRaw),
    phoneRaw,
    message,
    details,
    consent: { privacy: lead.consent.privacy, newsletter: lead.consent.newsletter, phoneContact: lead.consent.phone_contact },
    receivedAt,
    ...(decideAt !== undefined && { decideAt }),
  };
}
