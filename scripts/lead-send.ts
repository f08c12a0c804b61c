/**
 * `npm run lead:send -- --type mieter` (SPEC §7): plays the Vermieterhelden site and sends one realistic lead,
 * signed like the site signs it, to the gateway; prints the gateway's answer. Sandbox: the gateway and secret from
 * `var/sandbox.json`; otherwise `.env` (VERMIETERHELDEN_WEBHOOK_SECRET, PORT) or `--url`.
 * Exit 0 accepted, 1 refused by the gateway (4xx), 2 usage or configuration error, 3 gateway unreachable or 5xx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { leadsGatewayEnv, parseEnv, sandboxEnv } from '../config/env';
import { LEAD_TYPES, type LeadType } from '../contracts/leads';
import { signVermieterheldenBody, VERMIETERHELDEN_SECRET_HEADER, VERMIETERHELDEN_SIGNATURE_HEADER } from '../lib/vermieterhelden-signature';
import { COMMAND_EXIT, loadCommandConfig, parseFlags, runCommand, UsageError } from './lib/command';

const USAGE = `usage: npm run lead:send -- --type mieter|vermieter|kontakt|newsletter [options]
  --email <address>     the lead's e-mail (default: a new one each time)
  --phone <number>      the lead's phone, as a person types it (default: a German mobile number)
  --no-phone            leave the phone out
  --no-consent          a newsletter sign-up without consent (or a request without privacy consent: 400)
  --secret-header       send the secret in X-Webhook-Secret instead of signing the body
  --url <gateway>       the gateway (default: the sandbox's, else http://127.0.0.1:$PORT)
exit: 0 accepted, 1 refused by the gateway, 2 usage or configuration error, 3 gateway unreachable or failed`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  type: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  'no-phone': { type: 'boolean' },
  'no-consent': { type: 'boolean' },
  'secret-header': { type: 'boolean' },
  url: { type: 'string' },
} as const;

const configSchema = leadsGatewayEnv.extend({ PORT: z.coerce.number().int().default(3000) });

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), OPTIONS, USAGE);
  if (flags.help) {
    console.log(USAGE);
    return COMMAND_EXIT.ok;
  }
  const type = flags.type as LeadType | undefined;
  if (!type || !LEAD_TYPES.includes(type)) throw new UsageError(`--type must be one of ${LEAD_TYPES.join(', ')}\n${USAGE}`);
  const config = loadCommandConfig(configSchema, 'VERMIETERHELDEN_WEBHOOK_SECRET', 'VERMIETERHELDEN_WEBHOOK_SECRET');
  const secret = config.VERMIETERHELDEN_WEBHOOK_SECRET;
  if (!secret) throw new UsageError('VERMIETERHELDEN_WEBHOOK_SECRET is not set');
  const url = flags.url ?? sandboxGatewayUrl() ?? `http://127.0.0.1:${config.PORT}`;

  const consent = !flags['no-consent'];
  const phone = flags['no-phone'] ? undefined : (flags.phone ?? `0171 ${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`);
  const payload = examplePayload(type, flags.email ?? `lead.${Date.now().toString(36)}@example.de`, phone, consent);
  const body = JSON.stringify(payload);
  const auth: Record<string, string> = flags['secret-header']
    ? { [VERMIETERHELDEN_SECRET_HEADER]: secret }
    : { [VERMIETERHELDEN_SIGNATURE_HEADER]: signVermieterheldenBody(secret, body) };

  let res: Response;
  try {
    res = await fetch(`${url}/api/leads/vermieterhelden`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body });
  } catch (err) {
    throw new Error(`the gateway at ${url} does not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  const answer = await res.text();
  console.log(`${payload.event} (${type}) → ${res.status} ${answer}`);
  if (res.ok) return COMMAND_EXIT.ok;
  return res.status >= 500 ? COMMAND_EXIT.failed : 1;
}

/** What the site's forms send, filled like a person would. */
function examplePayload(type: LeadType, email: string, phone: string | undefined, consent: boolean) {
  const id = `wp-${Date.now().toString(36)}`;
  const person = { first_name: 'Erika', last_name: 'Mustermann', email, ...(phone !== undefined && { phone }) };
  switch (type) {
    case 'mieter':
      return {
        event: 'lead.created',
        id,
        lead: {
          type,
          ...person,
          concern: 'Mieterhöhung',
          address: 'Lindenstraße 5, 50674 Köln',
          monthly_rent: 850,
          message: 'Mein Vermieter verlangt 20 % mehr Miete. Ist das zulässig?',
          consent: { privacy: consent, phone_contact: true },
        },
      };
    case 'vermieter':
      return {
        event: 'lead.created',
        id,
        lead: {
          type,
          ...person,
          concern: 'Mietrückstand',
          property_address: 'Goethestraße 12, 80336 München',
          units: 6,
          message: 'Ein Mieter zahlt seit drei Monaten nicht.',
          consent: { privacy: consent, phone_contact: true },
        },
      };
    case 'kontakt':
      return {
        event: 'contact.submitted',
        id,
        lead: { ...person, subject: 'Terminanfrage', message: 'Bitte rufen Sie mich zurück.', consent: { privacy: consent } },
      };
    case 'newsletter':
      return { event: 'lead.created', id, lead: { type, email, first_name: 'Erika', consent: { newsletter: consent } } };
  }
}

/** The running sandbox's gateway, when `npm start` wrote one. */
function sandboxGatewayUrl(): string | undefined {
  const file = join(parseEnv(sandboxEnv, process.env).SANDBOX_STATE_DIR, 'sandbox.json');
  if (!existsSync(file)) return undefined;
  try {
    const url = (JSON.parse(readFileSync(file, 'utf8')) as { gateway?: { url?: unknown } }).gateway?.url;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

runCommand(main);
