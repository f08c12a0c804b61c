import type { Express } from 'express';
import { invalidParameter } from '../errors';
import { etagFor } from '../ids';
import { bearerAuth } from './auth';
import { API, type GoogleContext } from './context';
import { pathParam } from './params';

const DEFAULT_LIST_PAGE = 100;
const MAX_LIST_PAGE = 250;

/** calendars.insert/get/patch/update/delete and calendarList.list/get. */
export function registerCalendarRoutes(app: Express, ctx: GoogleContext): void {
  const auth = bearerAuth(ctx);
  const calendar = `${API}/calendars/:calendarId`;

  app.post(`${API}/calendars`, auth, (req, res) => {
    res.json(ctx.store.insert(req.body).resource);
  });

  app.get(calendar, auth, (req, res) => {
    res.json(ctx.store.resolve(pathParam(req, 'calendarId')).resource);
  });

  app.patch(calendar, auth, (req, res) => {
    res.json(ctx.store.modify(pathParam(req, 'calendarId'), req.body, 'patch').resource);
  });

  app.put(calendar, auth, (req, res) => {
    res.json(ctx.store.modify(pathParam(req, 'calendarId'), req.body, 'update').resource);
  });

  app.delete(calendar, auth, (req, res) => {
    ctx.store.delete(pathParam(req, 'calendarId'));
    res.status(204).end();
  });

  app.get(`${API}/users/me/calendarList`, auth, (req, res) => {
    const size = pageSize(req.query.maxResults);
    const offset = pageOffset(req.query.pageToken);
    const all = ctx.store.list();
    const page = all.slice(offset, offset + size);
    const more = offset + size < all.length;
    res.json({
      kind: 'calendar#calendarList',
      etag: etagFor(ctx.env.clock().getTime(), all.length),
      ...(more ? { nextPageToken: Buffer.from(String(offset + size)).toString('base64url') } : {}),
      items: page.map((c) => ctx.store.listEntry(c)),
    });
  });

  app.get(`${API}/users/me/calendarList/:calendarId`, auth, (req, res) => {
    res.json(ctx.store.listEntry(ctx.store.resolve(pathParam(req, 'calendarId'))));
  });
}

function pageSize(value: unknown): number {
  if (value === undefined) return DEFAULT_LIST_PAGE;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1) throw invalidParameter('maxResults');
  return Math.min(n, MAX_LIST_PAGE);
}

/** calendarList page tokens are a plain offset: the list changes rarely and the hub reads it whole. */
function pageOffset(value: unknown): number {
  if (value === undefined) return 0;
  const n = typeof value === 'string' ? Number(Buffer.from(value, 'base64url').toString('utf8')) : NaN;
  if (!Number.isInteger(n) || n < 0) throw invalidParameter('pageToken', 'Invalid page token value.');
  return n;
}
