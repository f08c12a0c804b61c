import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parsePayloadKeys } from '../lib/payload-codec';

/**
 * Every environment variable the hub reads, validated once at start-up.
 * `.env.example` lists the same names; `test/config.test.ts` keeps the two in step.
 */

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.url();

export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('bitbylaw-hub'),
});

export const redisEnv = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
});

export const advowareEnv = z.object({
  ADVOWARE_API_BASE_URL: url,
  ADVOWARE_TOKEN_URL: url,
  ADVOWARE_PRODUCT_ID: z.string().min(1),
  ADVOWARE_APP_ID: z.string().min(1),
  ADVOWARE_API_KEY: z.base64('must be the base64 API key Advoware issued'),
  ADVOWARE_KANZLEI: z.string().min(1),
  ADVOWARE_DATABASE: z.string().min(1),
  ADVOWARE_USER: z.string().min(1),
  ADVOWARE_ROLE: z.string().default(''),
  ADVOWARE_PASSWORD: z.string().min(1),
  ADVOWARE_TIMEOUT_MS: positiveInt.default(30_000),
  /** Advoware tokens live 55 min; caching them 53 min leaves room for clock skew and in-flight calls. */
  ADVOWARE_TOKEN_CACHE_SECONDS: positiveInt.default(53 * 60),
});

export const espocrmEnv = z.object({
  ESPOCRM_API_BASE_URL: url,
  ESPOCRM_API_KEY: z.string().min(1),
  ESPOCRM_WEBHOOK_ID: z.string().min(1),
  ESPOCRM_WEBHOOK_SECRET: z.string().min(1),
  ESPOCRM_ADMIN_USER_ID: z.string().min(1),
  ESPOCRM_TIMEOUT_MS: positiveInt.default(30_000),
  /** EspoCRM's web UI, for links to records (the 3CX screen pop); ESPOCRM_API_BASE_URL without `/api/v1` when absent. */
  ESPOCRM_SITE_URL: url.optional(),
});

const secondsList = z.string().transform((s, ctx) => {
  const values = s.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) {
    ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive seconds' });
    return z.NEVER;
  }
  return values;
});

/** Beteiligte sync timing (SPEC §5.1, §5.6); every duration is configurable so tests run in seconds. */
export const beteiligteSyncEnv = z.object({
  /** Pause after the 1st, 2nd, … failed attempt; the last value repeats. */
  BETEILIGTE_SYNC_BACKOFF_SECONDS: secondsList.default([60, 300, 900, 3600, 14_400]),
  BETEILIGTE_SYNC_MAX_ATTEMPTS: positiveInt.default(5),
  BETEILIGTE_SYNC_AUTO_RESET_SECONDS: positiveInt.default(24 * 3600),
  /** A clean, linked Beteiligte not synced for this long is checked again by the sweep. */
  BETEILIGTE_SYNC_STALE_SECONDS: positiveInt.default(24 * 3600),
  BETEILIGTE_SYNC_SWEEP_INTERVAL_SECONDS: positiveInt.default(15 * 60),
  /** Time-out of one EspoCRM or Advoware call inside a sync, retries not counted. */
  BETEILIGTE_SYNC_CALL_TIMEOUT_SECONDS: positiveInt.default(60),
});

/** Bank account sync (SPEC §5.5); its retries follow the BETEILIGTE_SYNC_* status machine. */
export const bankverbindungenSyncEnv = z.object({
  /** How long a run waits for its party's first sync (the party's betNr) before it fails and retries later. */
  BANKVERBINDUNGEN_SYNC_PARTY_WAIT_SECONDS: positiveInt.default(600),
  /** How often a waiting run re-reads the party. */
  BANKVERBINDUNGEN_SYNC_PARTY_POLL_SECONDS: positiveInt.default(15),
});

const bool = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * Google Calendar access (SPEC §6). Production: a service-account key file with domain-wide delegation,
 * acting as GOOGLE_CALENDAR_SUBJECT. Sandbox: the simulator's origin and a static token.
 */
export const googleEnv = z.object({
  GOOGLE_CALENDAR_SERVICE_ACCOUNT_PATH: z.string().min(1).optional(),
  /** The Workspace user the service account acts for; the employees' calendars live in that account. */
  GOOGLE_CALENDAR_SUBJECT: z.string().min(1).optional(),
  /** Origin of a Calendar v3 API other than Google's (the simulator); no path. */
  GOOGLE_CALENDAR_BASE_URL: url.optional(),
  /** Static bearer token (sandbox, or a pre-minted token); the service account is used when absent. */
  GOOGLE_CALENDAR_ACCESS_TOKEN: z.string().min(1).optional(),
  GOOGLE_CALENDAR_TIMEOUT_MS: positiveInt.default(30_000),
  /** Google's quota for the project, shared by every worker process through Redis. */
  GOOGLE_CALENDAR_RATE_PER_MINUTE: positiveInt.default(600),
  GOOGLE_CALENDAR_BURST: positiveInt.default(7),
});

/** Google needs one way to authenticate; checked on every schema that includes googleEnv. */
function googleAuthIsSet(env: z.infer<typeof googleEnv>): boolean {
  return Boolean(env.GOOGLE_CALENDAR_SERVICE_ACCOUNT_PATH || env.GOOGLE_CALENDAR_BASE_URL || env.GOOGLE_CALENDAR_ACCESS_TOKEN);
}
const googleAuthRequired = {
  message: 'set GOOGLE_CALENDAR_SERVICE_ACCOUNT_PATH (production) or GOOGLE_CALENDAR_BASE_URL (simulator)',
  path: ['GOOGLE_CALENDAR_SERVICE_ACCOUNT_PATH'],
};

/**
 * 3CX telephony (SPEC §8). Optional: without a base URL the hub runs without telephony. The webhook secret checks
 * the `X-3CX-Signature` of inbound call events.
 */
export const threecxEnv = z.object({
  /** Ends in `/api/v1`, like `https://<pbx>/api/v1`. */
  THREECX_API_BASE_URL: url.optional(),
  THREECX_API_KEY: z.string().min(1).optional(),
  THREECX_WEBHOOK_SECRET: z.string().min(1).optional(),
  THREECX_TIMEOUT_MS: positiveInt.default(30_000),
  /** 3CX allows about 60 requests a minute per key (SPEC §8), shared by every worker process through Redis. */
  THREECX_RATE_PER_MINUTE: positiveInt.default(60),
  THREECX_BURST: positiveInt.default(5),
  /** The extension an outbound call rings when the request names none and the party's assigned user has none. */
  THREECX_DEFAULT_EXTENSION: z.string().regex(/^\d+$/, 'must be a 3CX extension (digits)').optional(),
  /** Gets the follow-up Task of a missed call when the party has no assigned user; ESPOCRM_ADMIN_USER_ID when absent. */
  THREECX_MISSED_CALL_USER_ID: z.string().min(1).optional(),
  /** The follow-up Task of a missed call is due this long after the call. */
  THREECX_MISSED_CALL_DUE_MINUTES: positiveInt.default(60),
  /**
   * The gateway starts an inbound call's workflow with its first task this far off; the call's next event (normally
   * `call.ended`) starts it at once. While calls ring, Temporal only records them; the work happens when they end.
   * 0 starts the workflow at once.
   */
  THREECX_CALL_START_DELAY_SECONDS: z.coerce.number().int().min(0).default(60),
  /** How long a call's other events wait for a `call.started` that has not come before the call is logged without it. */
  THREECX_CALL_START_WAIT_SECONDS: positiveInt.default(30),
  /** How long a call workflow stays open after logging, for late duplicates and transfers. */
  THREECX_CALL_GRACE_SECONDS: positiveInt.default(60),
  /** How often an outbound call without `call.ended` asks 3CX for its status. */
  THREECX_STATUS_POLL_SECONDS: positiveInt.default(15),
  /** A call not reported ended after this long is logged with what is known. */
  THREECX_CALL_MAX_SECONDS: positiveInt.default(4 * 3600),
  /** Time-out of one EspoCRM or 3CX call inside a call workflow, retries not counted. */
  THREECX_CALL_TIMEOUT_SECONDS: positiveInt.default(30),
});
export type ThreeCxConfig = z.infer<typeof threecxEnv>;

/** A configured 3CX needs its key; checked on every schema that includes threecxEnv. */
function threecxKeyIsSet(env: z.infer<typeof threecxEnv>): boolean {
  return env.THREECX_API_BASE_URL === undefined || env.THREECX_API_KEY !== undefined;
}
const threecxKeyRequired = { message: 'set THREECX_API_KEY when THREECX_API_BASE_URL is set', path: ['THREECX_API_KEY'] };

export const threecxConfigSchema = threecxEnv.refine(threecxKeyIsSet, threecxKeyRequired);

/**
 * Who is who across the systems: an EspoCRM user id, the employee's Advoware kuerzel and 3CX extension, as
 * `userId=KUERZEL/extension` separated by commas (`u-abc=ABC/201,u-def=DEF/202`). The screen pop names the assigned
 * user, outbound calls ring that user's extension, and the AI context lists that employee's appointments.
 */
const staffMember = z.string().transform((entry, ctx) => {
  const match = /^([^=\s]+)=([A-Za-z0-9]+)\/(\d+)$/.exec(entry);
  if (match) return { userId: match[1]!, kuerzel: match[2]!.toUpperCase(), extension: match[3]! };
  ctx.addIssue({ code: 'custom', message: `"${entry}" is not userId=KUERZEL/extension` });
  return z.NEVER;
});
export const staffEnv = z.object({
  STAFF_DIRECTORY: csv.pipe(z.array(staffMember)).default([]),
});
export type StaffMember = z.infer<typeof staffEnv>['STAFF_DIRECTORY'][number];

/** The AI assistant's party context, `GET /y/context` (SPEC §9). */
export const yContextEnv = z.object({
  /** How long a built profile is served from Redis; the syncs drop it sooner when the party changes. */
  Y_CONTEXT_CACHE_SECONDS: positiveInt.default(60),
  /** Time-out of each EspoCRM and Advoware call of one profile: the assistant waits for it, so it is short. */
  Y_CONTEXT_TIMEOUT_MS: positiveInt.default(3_000),
  /** The assigned employee's appointments from today to this many days ahead. */
  Y_CONTEXT_APPOINTMENT_DAYS: positiveInt.default(14),
});
export type YContextConfig = z.infer<typeof yContextEnv>;

/** Vermieterhelden leads at the gateway (SPEC §7): the webhook's secret and the dedup window of the Redis claim. */
export const leadsGatewayEnv = z.object({
  /** Checks `X-Webhook-Signature` (HMAC-SHA256 of the raw body) or `X-Webhook-Secret`; without it only API keys are accepted. */
  VERMIETERHELDEN_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Submissions with the same e-mail or phone this long after the lead's latest one update that lead. */
  LEAD_DEDUP_WINDOW_HOURS: positiveInt.default(24),
});

const GERMAN_STATES = ['BB', 'BE', 'BW', 'BY', 'HB', 'HE', 'HH', 'MV', 'NI', 'NW', 'RP', 'SH', 'SL', 'SN', 'ST', 'TH'] as const;
const weekday = z
  .string()
  .regex(/^[1-7]$/, 'weekdays are 1 (Monday) to 7 (Sunday)')
  .transform(Number);

/** The lead workflow's follow-up (SPEC §7): office hours in Europe/Berlin, who gets leads, when Tasks are due. */
export const leadsEnv = z.object({
  /** ISO weekdays the office is open, 1 = Monday. */
  LEAD_OFFICE_DAYS: csv.pipe(z.array(weekday)).default([1, 2, 3, 4, 5]),
  /** `HH:MM-HH:MM`, Berlin wall clock: qualification calls within, Tasks outside. */
  LEAD_OFFICE_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM')
    .refine((v) => v.slice(0, 5) < v.slice(6), 'must open before it closes')
    .default('09:00-17:00'),
  /** The German state whose public holidays close the office (date-holidays' codes: BY, NW, BE …). */
  LEAD_HOLIDAY_STATE: z.enum(GERMAN_STATES).default('NW'),
  /** Gets leads no known party's user has; ESPOCRM_ADMIN_USER_ID when absent. */
  LEAD_DEFAULT_USER_ID: z.string().min(1).optional(),
  /** A lead's Task is due this long after it came (outside office hours: after the next opening). */
  LEAD_TASK_DUE_MINUTES: positiveInt.default(120),
  /** A lead workflow closes this long after its latest submission; a later duplicate starts a run that finds the Lead. */
  LEAD_WORKFLOW_IDLE_SECONDS: positiveInt.default(3600),
  /** Time-out of one EspoCRM or Redis call of a lead workflow, retries not counted. */
  LEAD_CALL_TIMEOUT_SECONDS: positiveInt.default(30),
});
export type LeadsConfig = z.infer<typeof leadsEnv>;

/** Calendar sync (SPEC §6). */
export const calendarSyncEnv = z.object({
  CALENDAR_SYNC_INTERVAL_SECONDS: positiveInt.default(15 * 60),
  /** Default of `full_content`: off keeps subjects, places and notes out of Google (privacy). */
  CALENDAR_SYNC_FULL_CONTENT: bool.default(false),
  /** Advoware is listed from this many days back to CALENDAR_SYNC_DAYS_AHEAD ahead; events outside are left alone. */
  CALENDAR_SYNC_DAYS_BACK: positiveInt.default(30),
  CALENDAR_SYNC_DAYS_AHEAD: positiveInt.default(365),
  /** Employees synced at the same time by one `calendar-sync-all` run. */
  CALENDAR_SYNC_CONCURRENCY: positiveInt.default(3),
  /** Writes of one employee's run in flight at once; the shared rate limit paces them. */
  CALENDAR_SYNC_WRITE_CONCURRENCY: positiveInt.default(7),
  /** A full Google list (instead of the syncToken) at least this often heals drift. */
  CALENDAR_SYNC_FULL_RESYNC_SECONDS: positiveInt.default(24 * 3600),
  /** Calendars the hub creates are called `<prefix><kuerzel>`. */
  CALENDAR_SYNC_CALENDAR_PREFIX: z.string().min(1).default('AW-'),
  /** Time-out of one Advoware or Google call, retries not counted. */
  CALENDAR_SYNC_CALL_TIMEOUT_SECONDS: positiveInt.default(60),
});

export const gatewayEnv = z.object({
  PORT: port.default(3000),
  HUB_API_KEYS: csv.refine((keys) => keys.length > 0, 'needs at least one key'),
  BODY_LIMIT: z.string().default('1mb'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  /**
   * How long a webhook waits for Temporal to record its items before it gets 503. EspoCRM gives up on a
   * delivery after about 5 s; our answer has to arrive well before that, or EspoCRM never sees the 503.
   */
  WEBHOOK_TEMPORAL_DEADLINE_MS: positiveInt.default(2_500),
});

/** How to make a key, in every message about a missing or bad one. */
export const PAYLOAD_KEY_ADVICE = 'set HUB_PAYLOAD_KEYS=<id>:<key>, e.g. "k1:$(openssl rand -base64 32)"';

/**
 * The keys that encrypt client data in Temporal's history (lib/payload-codec.ts), `id:<base64 of 32 bytes>` separated
 * by commas: the first encrypts, all decrypt, so a new key goes first and the old ones stay until no history needs
 * them. Required: production never starts without one; the sandbox (`npm start`) generates its own into its state dir.
 */
const payloadKeys = z
  .string({ error: (issue) => (issue.input === undefined ? `required: client data is encrypted in Temporal; ${PAYLOAD_KEY_ADVICE}` : undefined) })
  .transform((value, ctx) => {
    try {
      return parsePayloadKeys(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `${err instanceof Error ? err.message : String(err)}; ${PAYLOAD_KEY_ADVICE}` });
      return z.NEVER;
    }
  });
export const payloadEncryptionEnv = z.object({
  HUB_PAYLOAD_KEYS: payloadKeys,
});
export type PayloadEncryptionConfig = z.infer<typeof payloadEncryptionEnv>;

/**
 * The gateway's codec endpoint (`/codec`, Temporal's remote codec protocol) for the Web UI and the temporal CLI. The CLI
 * sends an API key (`--codec-auth 'Bearer <key>'`); a browser cannot send one, so the UI gets its own decode-only
 * token in the endpoint's path (temporal-docker/README.md, "Client data encryption").
 */
export const codecGatewayEnv = z.object({
  /** Web UI origins (`http://127.0.0.1:8080`) allowed to call /codec from the browser. */
  HUB_CODEC_CORS_ORIGINS: csv.pipe(z.array(z.url().transform((u) => new URL(u).origin))).default([]),
  /** Enables `POST /codec/ui/<token>/decode` for the Web UI; no browser decoding without it. */
  HUB_CODEC_UI_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,}$/, 'must be at least 32 characters of A-Z a-z 0-9 _ - (openssl rand -hex 24)')
    .optional(),
});

export const loggingEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const workerEnv = z.object({
  WORKER_METRICS_PORT: port.default(9464),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(50),
  /**
   * Workflows kept in the worker's cache between their tasks; an evicted one is replayed from its history. Set, because
   * the SDK derives its default from the heap limit: with production's 160 MB (temporal-docker/docker-compose.yml) that
   * is 10, and a sweep of 1,000 parties then replays nearly every workflow task.
   */
  WORKER_MAX_CACHED_WORKFLOWS: positiveInt.default(200),
  /** How often the worker counts the entities failing now for `hub_entities_failing` (workers/failing-entities.ts). */
  WORKER_FAILING_ENTITIES_POLL_SECONDS: positiveInt.default(30),
});

/** Ports and files of sandbox mode (`npm start` without credentials). */
export const sandboxEnv = z.object({
  SANDBOX: z.enum(['auto', 'true', 'false']).default('auto'),
  SANDBOX_TEMPORAL_PORT: port.default(7233),
  SANDBOX_TEMPORAL_UI_PORT: port.default(8233),
  SANDBOX_REDIS_PORT: port.default(6390),
  SANDBOX_ADVOWARE_PORT: port.default(3101),
  SANDBOX_ESPOCRM_PORT: port.default(3102),
  SANDBOX_GOOGLE_PORT: port.default(3103),
  SANDBOX_THREECX_PORT: port.default(3104),
  /** Temporal's SQLite file, Redis data, process logs and sandbox.json live here. */
  SANDBOX_STATE_DIR: z.string().min(1).default('var'),
});

export type TemporalConfig = z.infer<typeof temporalEnv>;
export type RedisConfig = z.infer<typeof redisEnv>;
export type AdvowareConfig = z.infer<typeof advowareEnv>;
export type EspoCrmConfig = z.infer<typeof espocrmEnv>;
export type GatewayConfig = z.infer<typeof gatewayEnv>;
export type WorkerConfig = z.infer<typeof workerEnv>;
export type SandboxConfig = z.infer<typeof sandboxEnv>;
export type BeteiligteSyncConfig = z.infer<typeof beteiligteSyncEnv>;
export type BankverbindungenSyncConfig = z.infer<typeof bankverbindungenSyncEnv>;
export type GoogleConfig = z.infer<typeof googleEnv>;
export type CalendarSyncConfig = z.infer<typeof calendarSyncEnv>;

export const gatewayConfigSchema = temporalEnv
  .extend(redisEnv.shape)
  .extend(advowareEnv.shape)
  .extend(espocrmEnv.shape)
  .extend(gatewayEnv.shape)
  .extend(payloadEncryptionEnv.shape)
  .extend(codecGatewayEnv.shape)
  .extend(leadsGatewayEnv.shape)
  .extend(staffEnv.shape)
  .extend(yContextEnv.shape)
  .extend(threecxEnv.shape)
  .extend(loggingEnv.shape)
  .refine(threecxKeyIsSet, threecxKeyRequired);
export type GatewayProcessConfig = z.infer<typeof gatewayConfigSchema>;

export const workerConfigSchema = temporalEnv
  .extend(redisEnv.shape)
  .extend(advowareEnv.shape)
  .extend(espocrmEnv.shape)
  .extend(workerEnv.shape)
  .extend(payloadEncryptionEnv.shape)
  .extend(beteiligteSyncEnv.shape)
  .extend(bankverbindungenSyncEnv.shape)
  .extend(calendarSyncEnv.shape)
  .extend(googleEnv.shape)
  .extend(threecxEnv.shape)
  .extend(staffEnv.shape)
  .extend(leadsEnv.shape)
  .extend(loggingEnv.shape)
  .refine(googleAuthIsSet, googleAuthRequired)
  .refine(threecxKeyIsSet, threecxKeyRequired);
export type WorkerProcessConfig = z.infer<typeof workerConfigSchema>;

/** What the worker's activities are built from (workers/activities.ts): every external system and both syncs. */
export const activityConfigSchema = advowareEnv
  .extend(espocrmEnv.shape)
  .extend(googleEnv.shape)
  .extend(beteiligteSyncEnv.shape)
  .extend(bankverbindungenSyncEnv.shape)
  .extend(calendarSyncEnv.shape)
  .extend(threecxEnv.shape)
  .extend(staffEnv.shape)
  .extend(leadsEnv.shape)
  .refine(googleAuthIsSet, googleAuthRequired)
  .refine(threecxKeyIsSet, threecxKeyRequired);
export type ActivityConfig = z.infer<typeof activityConfigSchema>;

/** The calendar commands (audit, reset): Advoware and Google, no Temporal. */
export const calendarToolConfigSchema = advowareEnv
  .extend(redisEnv.shape)
  .extend(googleEnv.shape)
  .extend(calendarSyncEnv.shape)
  .refine(googleAuthIsSet, googleAuthRequired);
export type CalendarToolConfig = z.infer<typeof calendarToolConfigSchema>;

/** `phone-index:rebuild`: reads EspoCRM, writes the caller index in Redis. */
export const phoneIndexToolConfigSchema = espocrmEnv.extend(redisEnv.shape);
export type PhoneIndexToolConfig = z.infer<typeof phoneIndexToolConfigSchema>;

/** `hub:failures`: reads Temporal's visibility and decrypts the memos. */
export const failuresToolConfigSchema = temporalEnv.extend(payloadEncryptionEnv.shape);

/** Every schema above, for tooling that lists the variables (`.env.example` check, docker compose check). */
export const allEnvSchemas = [
  temporalEnv,
  redisEnv,
  advowareEnv,
  espocrmEnv,
  gatewayEnv,
  payloadEncryptionEnv,
  codecGatewayEnv,
  loggingEnv,
  workerEnv,
  beteiligteSyncEnv,
  bankverbindungenSyncEnv,
  googleEnv,
  staffEnv,
  yContextEnv,
  calendarSyncEnv,
  threecxEnv,
  leadsGatewayEnv,
  leadsEnv,
  sandboxEnv,
] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse `env` against `schema`; the error names every offending variable (never its value: they may be secrets). */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(emptyToUndefined(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** Loads `.env` from the working directory into process.env (variables already set win). */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

// An empty variable in .env means "not set", so defaults apply instead of failing validation.
function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) out[key] = value === '' ? undefined : value;
  return out;
}
