import type { Request } from 'express';
import { notFound } from '../errors';

/** A named path segment; Express 5 types them loosely (wildcards can be arrays), ours are always single segments. */
export function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  if (typeof value !== 'string') throw notFound();
  return value;
}
