/** The Termin ⇄ event mapping in one import: what workflows and activities use (SPEC §6). */
export {
  DEFAULT_DURATION_MINUTES,
  isAllDay,
  NEUTRAL_SUMMARY,
  terminTexts,
  terminTimes,
  terminToEvent,
  type EventTimes,
  type MappingOptions,
} from './to-event';
export { eventToTermin, eventToTerminWithLoss, isMappableEvent, type ConvertedEvent } from './from-event';
export { eventContentEquals, normalizedContent, type CompareOptions } from './compare';
export { eventPatchFor, tagPatch } from './patch';
