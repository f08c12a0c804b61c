import { uuid4 } from '@temporalio/workflow';
import type { CalendarActivities } from '../../activities/calendar';
import type { CalendarAction } from '../../domain/calendar/actions';
import { eventPatchFor } from '../../domain/calendar/patch';
import { indexWithEvent, indexWithoutEvent, type CalendarIndex } from '../../domain/calendar/sync-index';
import type { HubEvent } from '../../domain/calendar/types';

type Calls = Pick<
  CalendarActivities,
  'googleInsertEvent' | 'googlePatchEvent' | 'googleDeleteEvent' | 'advowareCreateTermin' | 'advowareUpdateTermin' | 'advowareDeleteTermin'
>;

export interface CallCount {
  google: number;
  advoware: number;
}

/** How an action changes the index once its writes landed. */
type IndexUpdate = (index: CalendarIndex) => CalendarIndex;

/**
 * Performs one planned action. New events get an id chosen here: `uuid4()` is replay-safe, hex is valid in
 * Google's base32hex id alphabet, and a retried insert with the same id finds its own event instead of
 * creating a duplicate.
 */
export async function executeAction(
  action: CalendarAction,
  context: { calendarId: string; fullContent: boolean; calls: Calls; count: CallCount },
): Promise<IndexUpdate> {
  const { calendarId, fullContent, calls, count } = context;
  const withEvent =
    (event: HubEvent): IndexUpdate =>
    (index) =>
      indexWithEvent(index, event);
  switch (action.kind) {
    case 'createEvent': {
      count.google += 1;
      return withEvent(await calls.googleInsertEvent(calendarId, newEventId(), action.event));
    }
    case 'recreateEvent': {
      count.google += 1;
      const saved = await calls.googleInsertEvent(calendarId, newEventId(), action.event);
      return (index) => indexWithEvent(indexWithoutEvent(index, action.previousEventId), saved);
    }
    case 'updateEvent':
    case 'tagEvent': {
      count.google += 1;
      return withEvent(await calls.googlePatchEvent(calendarId, action.eventId, action.patch));
    }
    case 'deleteEvent': {
      count.google += 1;
      await calls.googleDeleteEvent(calendarId, action.eventId);
      return (index) => indexWithoutEvent(index, action.eventId);
    }
    case 'createTermin':
    case 'updateTermin': {
      count.advoware += 1;
      const saved =
        action.kind === 'createTermin'
          ? await calls.advowareCreateTermin(action.termin)
          : await calls.advowareUpdateTermin(action.frNr, action.termin);
      // Tag the event with the new frNr/rowId, and show what Advoware kept (`lossy` mappings).
      count.google += 1;
      return withEvent(await calls.googlePatchEvent(calendarId, action.eventId, eventPatchFor(saved, { fullContent, origin: action.origin })));
    }
    case 'deleteTermin': {
      count.advoware += 1;
      await calls.advowareDeleteTermin(action.frNr);
      return (index) => indexWithoutEvent(index, action.eventId);
    }
  }
}

function newEventId(): string {
  return uuid4().replace(/-/g, '');
}

/** Runs `tasks` with at most `limit` in flight; settles all of them, like Promise.allSettled. */
export async function settleWithLimit<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results = new Array<PromiseSettledResult<T>>(tasks.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await (tasks[i] as () => Promise<T>)() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}
