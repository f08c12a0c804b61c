import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks in every log line: credentials must never reach logs (SPEC §3.1). */
const REDACTED_PATHS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'apiKey',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.access_token',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-signature"]',
];

/** Structured JSON logs on stdout, one line each. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
