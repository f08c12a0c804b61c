import type { Response } from 'express';
import { EspoError } from './errors.js';

/** Answers like EspoCRM does on errors: the status, the reason in `X-Status-Reason`, and `{message}`. */
export function sendError(res: Response, err: unknown): void {
  const status = err instanceof EspoError ? err.status : 500;
  const message = err instanceof Error ? err.message : String(err);
  // Header values must be plain Latin-1 without line breaks.
  res.setHeader('X-Status-Reason', message.replace(/[^\x20-\x7e]/g, '?').slice(0, 500));
  res.status(status).json({ message });
}

/** Runs a handler body and sends its result as JSON, or the EspoCRM-style error it threw. */
export function respond(res: Response, produce: () => unknown): void {
  try {
    res.json(produce());
  } catch (err) {
    sendError(res, err);
  }
}
