/**
 * The credentials sandbox mode uses between the hub and the simulators. They
 * protect nothing real; they exist so the hub runs its production auth code
 * (HMAC token, API keys, webhook signatures) against the simulators.
 */
export const SANDBOX_ADVOWARE_CREDENTIALS = {
  productId: '64',
  appId: 'bitbylaw-hub-sandbox',
  apiKeyBase64: Buffer.from('sandbox-advoware-api-key').toString('base64'),
  kanzlei: 'SANDBOX',
  database: 'sandbox',
  user: 'hub',
  role: '',
  password: 'sandbox-password',
};

export const SANDBOX_ESPOCRM = {
  apiKey: 'sandbox-espocrm-api-key',
  webhookId: 'sandbox-webhook',
  webhookSecret: 'sandbox-webhook-secret',
  adminUserId: 'sandbox-admin',
};

export const SANDBOX_GOOGLE = {
  accessToken: 'sandbox-google-token',
};

export const SANDBOX_THREECX = {
  apiKey: 'sandbox-threecx-api-key',
  webhookSecret: 'sandbox-threecx-webhook-secret',
};

/** The secret the Vermieterhelden site signs its lead webhooks with (`npm run lead:send` signs with it too). */
export const SANDBOX_VERMIETERHELDEN = {
  webhookSecret: 'sandbox-vermieterhelden-secret',
};

/** Documented in the README; override with HUB_API_KEYS. */
export const SANDBOX_HUB_API_KEY = 'sandbox-hub-key';

/** The hub's environment variables for an Advoware reachable at `url` with `credentials`. */
export function advowareEnvFor(url: string, credentials: typeof SANDBOX_ADVOWARE_CREDENTIALS = SANDBOX_ADVOWARE_CREDENTIALS): Record<string, string> {
  return {
    ADVOWARE_API_BASE_URL: `${url}/`,
    ADVOWARE_TOKEN_URL: `${url}/api/v1/Token`,
    ADVOWARE_PRODUCT_ID: credentials.productId,
    ADVOWARE_APP_ID: credentials.appId,
    ADVOWARE_API_KEY: credentials.apiKeyBase64,
    ADVOWARE_KANZLEI: credentials.kanzlei,
    ADVOWARE_DATABASE: credentials.database,
    ADVOWARE_USER: credentials.user,
    ADVOWARE_ROLE: credentials.role,
    ADVOWARE_PASSWORD: credentials.password,
  };
}

/** The hub's environment variables for an EspoCRM reachable at `url`. */
export function espocrmEnvFor(url: string): Record<string, string> {
  return {
    ESPOCRM_API_BASE_URL: `${url}/api/v1`,
    ESPOCRM_API_KEY: SANDBOX_ESPOCRM.apiKey,
    ESPOCRM_WEBHOOK_ID: SANDBOX_ESPOCRM.webhookId,
    ESPOCRM_WEBHOOK_SECRET: SANDBOX_ESPOCRM.webhookSecret,
    ESPOCRM_ADMIN_USER_ID: SANDBOX_ESPOCRM.adminUserId,
  };
}

/** The hub's environment variables for a Google Calendar simulator at `url` (an origin). */
export function googleEnvFor(url: string): Record<string, string> {
  return {
    GOOGLE_CALENDAR_BASE_URL: url,
    GOOGLE_CALENDAR_ACCESS_TOKEN: SANDBOX_GOOGLE.accessToken,
  };
}

/** The hub's environment variables for a 3CX simulator at `url` (an origin); the API lives under `/api/v1`. */
export function threecxEnvFor(url: string): Record<string, string> {
  return {
    THREECX_API_BASE_URL: `${url}/api/v1`,
    THREECX_API_KEY: SANDBOX_THREECX.apiKey,
    THREECX_WEBHOOK_SECRET: SANDBOX_THREECX.webhookSecret,
  };
}
