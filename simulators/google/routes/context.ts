import type { CalendarStore } from '../calendar-store';
import type { StoreEnv } from '../model';
import type { DeletedEventShape } from '../types';

/** Mount point of the API; googleapis builds `${rootUrl}calendar/v3/…`. */
export const API = '/calendar/v3';

/**
 * What route handlers need from the simulator. Read at request time: routes are
 * registered while the base class is still being constructed, before the store exists.
 */
export interface GoogleContext {
  readonly store: CalendarStore;
  readonly env: StoreEnv;
  /** The only accepted bearer token; any non-empty one when undefined. */
  readonly accessToken: string | undefined;
  readonly deletedEvents: DeletedEventShape;
}
