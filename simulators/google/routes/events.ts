import type { Express, Request } from 'express';
import { listEventsPage } from '../event-list';
import { deleteEvent, getEvent, insertEvent, patchEvent, updateEvent } from '../event-store';
import { etagFor } from '../ids';
import { parseEventListQuery } from '../list-query';
import type { StoredEvent } from '../model';
import type { CalendarEvent, DeletedEventShape, DeletedEventStub } from '../types';
import { bearerAuth } from './auth';
import { API, type GoogleContext } from './context';
import { pathParam } from './params';

/** events.list/insert/get/patch/update/delete. */
export function registerEventRoutes(app: Express, ctx: GoogleContext): void {
  const auth = bearerAuth(ctx);
  const events = `${API}/calendars/:calendarId/events`;
  const event = `${events}/:eventId`;
  const calendarOf = (req: Request) => ctx.store.resolve(pathParam(req, 'calendarId'));

  app.get(events, auth, (req, res) => {
    const calendar = calendarOf(req);
    const page = listEventsPage(calendar, parseEventListQuery(req.query));
    const { summary, description, timeZone } = calendar.resource;
    res.json({
      kind: 'calendar#events',
      etag: etagFor(calendar.updatedMs, calendar.changeSeq),
      summary,
      ...(description !== undefined ? { description } : {}),
      updated: new Date(calendar.updatedMs).toISOString(),
      timeZone,
      accessRole: 'owner',
      defaultReminders: [],
      ...(page.nextPageToken !== undefined ? { nextPageToken: page.nextPageToken } : {}),
      ...(page.nextSyncToken !== undefined ? { nextSyncToken: page.nextSyncToken } : {}),
      items: page.items.map((e) => listItem(e, ctx.deletedEvents)),
    });
  });

  app.post(events, auth, (req, res) => {
    res.json(insertEvent(calendarOf(req), req.body, ctx.env));
  });

  app.get(event, auth, (req, res) => {
    res.json(getEvent(calendarOf(req), pathParam(req, 'eventId')));
  });

  app.patch(event, auth, (req, res) => {
    res.json(patchEvent(calendarOf(req), pathParam(req, 'eventId'), req.body, ctx.env, req.get('if-match')));
  });

  app.put(event, auth, (req, res) => {
    res.json(updateEvent(calendarOf(req), pathParam(req, 'eventId'), req.body, ctx.env, req.get('if-match')));
  });

  app.delete(event, auth, (req, res) => {
    deleteEvent(calendarOf(req), pathParam(req, 'eventId'), ctx.env, req.get('if-match'));
    res.status(204).end();
  });
}

/** In lists Google only guarantees the id of a deleted event; `idOnly` makes clients cope with that. */
function listItem(entry: StoredEvent, shape: DeletedEventShape): CalendarEvent | DeletedEventStub {
  const e = entry.resource;
  if (e.status !== 'cancelled' || shape === 'full') return e;
  return { kind: e.kind, etag: e.etag, id: e.id, status: 'cancelled', updated: e.updated };
}
