/**
 * Bodies for `events.patch`: only the fields the hub owns, so what else a user set in Google (reminders, colour,
 * attendees) survives. Patch semantics: a field sent as null is cleared, one left out is kept; nested objects
 * merge, so start/end name the other form (date vs dateTime) as null to switch between timed and all-day.
 *
 * Owned fields: times and recurrence always. Texts on Advoware-origin events always (the neutral title in
 * private mode, which also scrubs texts written while `full_content` was on). Texts on Google-origin events
 * only with `full_content`: in private mode the user's own title stays, as Google never learned it from Advoware.
 */
import { NEUTRAL_SUMMARY, terminTimes } from './to-event';
import { tagProperties } from './tags';
import type { HubEvent, HubEventDateTime, HubOrigin, Termin } from './types';

export interface PatchOptions {
  fullContent: boolean;
  origin: HubOrigin;
}

/** Patch that makes an existing event show the Termin (and records its rowId). */
export function eventPatchFor(t: Termin, options: PatchOptions): HubEvent {
  const { start, end, recurrence } = terminTimes(t);
  return {
    ...patchTexts(t, options),
    start: explicit(start),
    end: explicit(end),
    recurrence,
    ...tagPatch({ frNr: t.frNr, rowId: t.rowId, ...options }),
  };
}

/** Patch that only links an event to a Termin (or records a new rowId when the content is already right). */
export function tagPatch(tags: { frNr: number; rowId: string; origin: HubOrigin; fullContent: boolean }): HubEvent {
  return { extendedProperties: { private: tagProperties(tags) } };
}

function patchTexts(t: Termin, options: PatchOptions): Pick<HubEvent, 'summary' | 'description' | 'location'> {
  if (options.fullContent) return { summary: t.betreff, description: t.notiz, location: t.ort };
  if (options.origin === 'advoware') return { summary: NEUTRAL_SUMMARY, description: null, location: null };
  return {};
}

function explicit(value: HubEventDateTime): HubEventDateTime {
  return { date: value.date ?? null, dateTime: value.dateTime ?? null, timeZone: value.timeZone ?? null };
}
