/**
 * What one calendar sync run does, as data: plan.ts decides, the workflow executes each action through
 * activities. Actions carry ready bodies so the workflow needs no mapping knowledge. They are independent of
 * each other (each touches its own event or Termin), so their order is free.
 */
import { CALENDAR_ACTION_KINDS, type CalendarActionKind, type PlanSummary } from '../../contracts/calendar';
import type { HubEvent, HubOrigin, Termin, TerminWrite } from './types';

export type CalendarAction =
  /** New in Advoware: insert `event`. */
  | { kind: 'createEvent'; frNr: number; termin: Termin; event: HubEvent }
  /** Changed in Advoware (or changed on both sides: Advoware wins): patch the event. */
  | { kind: 'updateEvent'; eventId: string; frNr: number; termin: Termin; patch: HubEvent }
  /** Deleted in Advoware, or a second event for one Termin. */
  | { kind: 'deleteEvent'; eventId: string; frNr: number; reason: 'deletedInAdvoware' | 'duplicate' }
  /** An Advoware appointment's event was deleted in Google: insert `event` again, never delete the Termin. */
  | { kind: 'recreateEvent'; previousEventId: string; frNr: number; termin: Termin; event: HubEvent }
  /**
   * New in Google: POST `termin`, then patch the event with eventPatchFor(saved, {fullContent, origin}), which
   * tags it with frNr + rowId and normalises what Advoware could not hold (`lossy`).
   */
  | { kind: 'createTermin'; eventId: string; termin: TerminWrite; origin: HubOrigin; lossy: boolean }
  /** Changed in Google, unchanged in Advoware: PUT `termin`, then patch the event as after createTermin. */
  | { kind: 'updateTermin'; frNr: number; eventId: string; termin: TerminWrite; origin: HubOrigin; lossy: boolean }
  /** A Google-origin event deleted in Google, its Termin unchanged since: DELETE the Termin. */
  | { kind: 'deleteTermin'; frNr: number; eventId: string }
  /** Content already equal, only the tags are stale or incomplete: patch them. */
  | { kind: 'tagEvent'; eventId: string; frNr: number; rowId: string; patch: HubEvent };

// Every kind of action is one the run's result counts (contracts/calendar.ts), and the other way round.
void ((kind: CalendarAction['kind']): CalendarActionKind => kind);
void ((kind: CalendarActionKind): CalendarAction['kind'] => kind);

/** An event the plan left alone on purpose, for the run's log and the audit command. */
export interface SkippedEvent {
  eventId: string;
  reason: 'noId' | 'occurrenceException' | 'specialEventType' | 'unreadableTimes';
}

export interface CalendarPlan {
  actions: CalendarAction[];
  skipped: SkippedEvent[];
}

export function summarizePlan(plan: CalendarPlan): PlanSummary {
  const counts = Object.fromEntries(CALENDAR_ACTION_KINDS.map((kind) => [kind, 0])) as Record<CalendarActionKind, number>;
  let lossy = 0;
  for (const action of plan.actions) {
    counts[action.kind] += 1;
    if ((action.kind === 'createTermin' || action.kind === 'updateTermin') && action.lossy) lossy += 1;
  }
  return { ...counts, total: plan.actions.length, lossy, skipped: plan.skipped.length };
}
