import type { ErrorRequestHandler, Express } from 'express';
import { AdvowareError } from '../errors.js';
import { ADVONET, bearerAuth, type AdvowareContext } from './context.js';

/** Unknown advonet paths: authentication first (as on the real API), then ASP.NET's "no resource" 404. */
export function registerAdvonetFallback(app: Express, ctx: AdvowareContext): void {
  app.use(ADVONET, bearerAuth(ctx), (req, res) => {
    res.status(404).json({ Message: `No HTTP resource was found that matches the request URI '${req.originalUrl}'.` });
  });
}

/** Every error as ASP.NET's `{Message}` body with the right status. */
export const advowareErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof AdvowareError) {
    res.status(err.status).json({ Message: err.message });
    return;
  }
  // body-parser errors (malformed JSON, body too large) carry their own 4xx status.
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ Message: err instanceof Error ? err.message : 'Ungültige Anfrage.' });
    return;
  }
  res.status(500).json({ Message: 'An error has occurred.' });
};

export function registerErrorHandler(app: Express): void {
  app.use(advowareErrorHandler);
}
