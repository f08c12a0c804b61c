/**
 * The audit command's judgement (SPEC §6): how an employee's Termine and Google calendar differ. It asks the
 * sync planner instead of comparing on its own, so "in sync" means exactly "a full sync run now would write
 * nothing", and every difference names what that run would do about it. A full plan without an index is used:
 * the audit has no workflow state, and the tags on the events say everything the planner needs.
 */
import type { CalendarActionKind } from '../../contracts/calendar';
import type { CalendarAction, SkippedEvent } from './actions';
import { datePart } from './advoware-dates';
import { normalizedContent } from './compare';
import { planCalendarSync } from './plan';
import type { DateWindow } from './span';
import { readTags } from './tags';
import { terminToEvent } from './to-event';
import { contentMode, type HubEvent, type Termin } from './types';

export interface AuditInput {
  kuerzel: string;
  /** Advoware's Termine of `window`. */
  termine: readonly Termin[];
  /** The hub calendar's complete event list (deleted events included); null when the hub has no calendar yet. */
  events: readonly HubEvent[] | null;
  fullContent: boolean;
  window: DateWindow;
}

export type DifferenceKind = CalendarActionKind | 'calendarMissing';

export interface AuditDifference {
  kind: DifferenceKind;
  frNr: number | null;
  eventId: string | null;
  /** A few words: which side lacks it, or which parts differ. */
  what: string;
  /** One plain-English sentence for the operator. */
  description: string;
  /** What the next sync run does about it. */
  nextSync: string;
}

/** An event the sync leaves alone on purpose: worth knowing, not a difference. */
export interface AuditNote {
  eventId: string;
  reason: SkippedEvent['reason'];
  description: string;
}

export interface CalendarAudit {
  kuerzel: string;
  inSync: boolean;
  differences: AuditDifference[];
  skipped: AuditNote[];
}

export function auditCalendar(input: AuditInput): CalendarAudit {
  if (input.events === null) return missingCalendarAudit(input);
  const plan = planCalendarSync({
    mode: 'full',
    index: undefined,
    kuerzel: input.kuerzel,
    termine: input.termine,
    events: input.events,
    fullContent: input.fullContent,
    window: input.window,
  });
  const context: DescribeContext = {
    events: new Map(input.events.filter((e) => e.id).map((e) => [e.id as string, e])),
    termine: new Map(input.termine.map((t) => [t.frNr, t])),
    fullContent: input.fullContent,
  };
  const differences = plan.actions.map((action) => describeAction(action, context));
  const skipped = plan.skipped.map(describeSkipped);
  return { kuerzel: input.kuerzel, inSync: differences.length === 0, differences, skipped };
}

/**
 * The days the sync lists Advoware for: CALENDAR_SYNC_DAYS_BACK before today (berlinToday) to
 * CALENDAR_SYNC_DAYS_AHEAD after; the same rule as the calendarSettings activity, so both judge the same Termine.
 */
function missingCalendarAudit(input: AuditInput): CalendarAudit {
  const count = input.termine.length;
  const differences: AuditDifference[] =
    count === 0
      ? []
      : [
          {
            kind: 'calendarMissing',
            frNr: null,
            eventId: null,
            what: 'calendar missing',
            description: `the hub has no Google calendar for ${input.kuerzel}, but Advoware has ${plural(count, 'Termin', 'Termine')} in the window`,
            nextSync: 'creates the calendar and its events',
          },
        ];
  return { kuerzel: input.kuerzel, inSync: differences.length === 0, differences, skipped: [] };
}

interface DescribeContext {
  events: ReadonlyMap<string, HubEvent>;
  termine: ReadonlyMap<number, Termin>;
  fullContent: boolean;
}

function describeAction(action: CalendarAction, context: DescribeContext): AuditDifference {
  const { events, termine, fullContent } = context;
  const base = { kind: action.kind };
  switch (action.kind) {
    case 'createEvent':
      return {
        ...base,
        frNr: action.frNr,
        eventId: null,
        what: 'missing in Google',
        description: `Termin ${action.frNr} (${when(action.termin)}) has no event in Google`,
        nextSync: 'creates the event',
      };
    case 'updateEvent':
      return { ...base, frNr: action.frNr, eventId: action.eventId, ...updateEventText(action.eventId, action.termin, context) };
    case 'deleteEvent':
      return action.reason === 'duplicate'
        ? {
            ...base,
            frNr: action.frNr,
            eventId: action.eventId,
            what: 'duplicate event',
            description: `event ${action.eventId} is a second event for Termin ${action.frNr}`,
            nextSync: 'deletes the duplicate',
          }
        : {
            ...base,
            frNr: action.frNr,
            eventId: action.eventId,
            what: 'missing in Advoware',
            description: `event ${action.eventId} belongs to Termin ${action.frNr}, which Advoware no longer has`,
            nextSync: 'deletes the event',
          };
    case 'recreateEvent':
      return {
        ...base,
        frNr: action.frNr,
        eventId: action.previousEventId,
        what: 'deleted in Google',
        description: `event ${action.previousEventId} of Termin ${action.frNr} (${when(action.termin)}) was deleted in Google`,
        nextSync: 're-creates the event (an Advoware appointment is never deleted because its event vanished)',
      };
    case 'createTermin':
      return {
        ...base,
        frNr: null,
        eventId: action.eventId,
        what: 'missing in Advoware',
        description: `event ${action.eventId} (${when(action.termin)}) exists only in Google`,
        nextSync: `creates a Termin in Advoware${action.lossy ? ' (its recurrence simplified to what Advoware can hold)' : ''}`,
      };
    case 'updateTermin': {
      // action.termin is read from the event; what differs is measured against Advoware's own Termin.
      const event = events.get(action.eventId);
      const termin = termine.get(action.frNr);
      const parts = event && termin ? differingParts(event, termin, fullContent) : [];
      const what = parts.join(', ') || 'content';
      return {
        ...base,
        frNr: action.frNr,
        eventId: action.eventId,
        what: `${what} edited in Google`,
        description: `event ${action.eventId} shows other ${parts.join(' and ') || 'content'} than Termin ${action.frNr}, edited in Google`,
        nextSync: `writes the event's ${what} to Advoware${action.lossy ? ' (recurrence simplified)' : ''}`,
      };
    }
    case 'deleteTermin':
      return {
        ...base,
        frNr: action.frNr,
        eventId: action.eventId,
        what: 'deleted in Google',
        description: `event ${action.eventId} of Termin ${action.frNr}, created in Google, was deleted there`,
        nextSync: `deletes Termin ${action.frNr} in Advoware`,
      };
    case 'tagEvent':
      return {
        ...base,
        frNr: action.frNr,
        eventId: action.eventId,
        what: 'stale link tags',
        description: `event ${action.eventId} shows Termin ${action.frNr}, but its link to the Termin is outdated or incomplete`,
        nextSync: 'rewrites the tags only',
      };
  }
}

const PART_OF_FIELD: Readonly<Record<string, string>> = {
  datum: 'times',
  uhrzeitVon: 'times',
  datumBis: 'times',
  uhrzeitBis: 'times',
  dauertermin: 'times',
  turnus: 'recurrence',
  turnusArt: 'recurrence',
  turnusBis: 'recurrence',
  lossy: 'recurrence',
  betreff: 'subject',
  ort: 'location',
  notiz: 'notes',
};

/** Which parts of an event differ from what the Termin maps to, compared the way the planner compares. */
function differingParts(event: HubEvent, termin: Termin, fullContent: boolean): string[] {
  const expected = terminToEvent(termin, { fullContent });
  const left = normalizedContent(event, { fullContent });
  const right = normalizedContent(expected, { fullContent });
  if (left === undefined || right === undefined) return ['times'];
  const parts = new Set<string>();
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (left[key] !== right[key]) parts.add(PART_OF_FIELD[key] ?? key);
  }
  return [...parts];
}

const TEXT_PARTS = new Set(['subject', 'location', 'notes']);

/**
 * An event the sync rewrites from its Termin. After a `full_content` switch the texts differ by design, so the
 * switch is named instead of listing the texts as if someone had edited them.
 */
function updateEventText(eventId: string, termin: Termin, context: DescribeContext): Pick<AuditDifference, 'what' | 'description' | 'nextSync'> {
  const event = context.events.get(eventId);
  const written = event ? readTags(event)?.content : undefined;
  const switched = written !== undefined && written !== null && written !== contentMode(context.fullContent);
  const parts = (event ? differingParts(event, termin, context.fullContent) : []).filter((p) => !switched || !TEXT_PARTS.has(p));
  const nextSync = 'updates the event from Advoware (the master)';
  const differs = parts.length > 0 ? `shows other ${parts.join(' and ')} than Termin ${termin.frNr}` : '';
  if (!switched) {
    return {
      what: parts.join(', ') || 'outdated',
      description: `event ${eventId} ${differs || `was written from an older version of Termin ${termin.frNr}`}`,
      nextSync,
    };
  }
  const how = written === 'full' ? "with the Termin's texts while full_content is off" : 'with the neutral title while full_content is on';
  return {
    what: [...parts, `written in ${written === 'full' ? 'full-content' : 'private'} mode`].join(', '),
    description: differs ? `event ${eventId} ${differs} and was written ${how}` : `event ${eventId} of Termin ${termin.frNr} was written ${how}`,
    nextSync,
  };
}

function describeSkipped(skipped: SkippedEvent): AuditNote {
  const id = skipped.eventId || '(without id)';
  const why: Record<SkippedEvent['reason'], string> = {
    noId: 'has no id',
    occurrenceException: 'is a changed single date of a series, which Advoware cannot hold',
    specialEventType: 'is not a plain appointment (e.g. out of office)',
    unreadableTimes: 'has times the hub cannot read',
  };
  return { eventId: skipped.eventId, reason: skipped.reason, description: `event ${id} ${why[skipped.reason]}; the sync leaves it alone` };
}

/** Date (and start time) only: the audit's output must not spread appointment texts further than Advoware. */
function when(t: { datum: string; uhrzeitVon: string | null }): string {
  const day = datePart(t.datum);
  return t.uhrzeitVon === null ? day : `${day} ${t.uhrzeitVon.slice(0, 5)}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
