import { readFileSync } from 'node:fs';
// Calendar alone: `googleapis`' index loads every Google API (about 90 MB more in each worker process).
import { auth as googleAuth, calendar, type calendar_v3 } from 'googleapis/build/src/apis/calendar';

export { classifyGoogleError, googleFailure, type GoogleErrorClassification } from './errors';

export const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';

/** Bearer token the sandbox simulator accepts unless it was configured with a specific one. */
export const SANDBOX_ACCESS_TOKEN = 'sandbox-google-token';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface CalendarClientOptions {
  /** Sandbox: the simulator's URL (e.g. `http://127.0.0.1:4003`); production when absent. */
  baseUrl?: string;
  /** Static OAuth access token: the sandbox token, or a pre-minted token against real Google. */
  accessToken?: string;
  /** Production: the service-account key file (JSON) with domain-wide delegation. */
  serviceAccountPath?: string;
  /** Production: the user the service account acts for (one employee's mailbox). */
  subject?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/**
 * The real `googleapis` Calendar v3 client, pointed at the simulator (`baseUrl`) or at Google.
 *
 * Automatic retries are off: googleapis retries GET/PUT/DELETE on 429 and 5xx by default
 * (gaxios `retry`), which would hide rate limits from the hub's token bucket and multiply
 * calls under Temporal's own retry policy. Activities see every failure and let Temporal retry.
 * (Token requests of the service-account client keep their own retries: those are auth plumbing,
 * not Calendar calls.)
 */
export function createCalendarClient(options: CalendarClientOptions): calendar_v3.Calendar {
  const common = {
    version: 'v3' as const,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: false,
    // Belt and braces: gaxios still retries when a retryConfig is present, unless its retry count is 0.
    retryConfig: { retry: 0, noResponseRetries: 0 },
    // Node's own fetch: gaxios would import node-fetch on the first request, after the rate-limit grant was
    // checked (calendar-api.ts), which can delay that request's arrival by a fraction of a second.
    fetchImplementation: fetch,
  };
  if (options.baseUrl !== undefined) {
    return calendar({
      ...common,
      rootUrl: rootUrlOf(options.baseUrl),
      auth: staticTokenAuth(options.accessToken ?? SANDBOX_ACCESS_TOKEN),
    });
  }
  if (options.serviceAccountPath !== undefined) {
    return calendar({ ...common, auth: serviceAccountAuth(options.serviceAccountPath, options.subject) });
  }
  if (options.accessToken !== undefined) {
    return calendar({ ...common, auth: staticTokenAuth(options.accessToken) });
  }
  throw new Error('Google Calendar client needs baseUrl (sandbox), serviceAccountPath or accessToken');
}

/**
 * googleapis builds `rootUrl + '/calendar/v3/…'` and then re-resolves that absolute path
 * against rootUrl, so any path prefix in rootUrl is silently dropped; only an origin works.
 */
function rootUrlOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error(`Google base URL must be an origin without a path, got ${baseUrl}`);
  }
  return `${url.origin}/`;
}

/** No refresh token and no expiry: the client sends this token as is and never tries to refresh it. */
function staticTokenAuth(accessToken: string) {
  const auth = new googleAuth.OAuth2();
  auth.setCredentials({ access_token: accessToken });
  return auth;
}

/** Read eagerly so that a missing or malformed key file fails at startup, not on the first sync. */
function serviceAccountAuth(keyFilePath: string, subject: string | undefined) {
  const key = JSON.parse(readFileSync(keyFilePath, 'utf8')) as { client_email?: unknown; private_key?: unknown };
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new Error(`${keyFilePath} is not a service-account key file (client_email/private_key missing)`);
  }
  return new googleAuth.JWT({ email: key.client_email, key: key.private_key, scopes: [CALENDAR_SCOPE], subject });
}
