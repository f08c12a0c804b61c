import type { ErrorRequestHandler, Express } from 'express';
import { GoogleApiError, genericErrorBody, googleErrorBody } from '../errors';

/** Unknown paths and every error in Google's envelope, registered after all API routes. */
export function registerErrorHandling(app: Express): void {
  app.use((_req, res) => {
    res.status(404).json(genericErrorBody(404));
  });
  app.use(googleErrorHandler);
}

const googleErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof GoogleApiError) {
    res.status(err.code).json(err.toBody());
    return;
  }
  // body-parser's errors: malformed JSON is Google's "Parse Error", others keep their 4xx.
  const status = (err as { status?: unknown; type?: unknown }).status;
  if ((err as { type?: unknown }).type === 'entity.parse.failed') {
    res.status(400).json(googleErrorBody(400, 'Parse Error', 'parseError'));
    return;
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json(genericErrorBody(status));
    return;
  }
  res.status(500).json(genericErrorBody(500));
};
