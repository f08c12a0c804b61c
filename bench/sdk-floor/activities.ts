import { setTimeout as sleep } from 'node:timers/promises';

/** The floor's one activity: an API call that takes `ms` and does nothing else. */
export const floorActivities = {
  async apiCall(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms);
  },
};

export type FloorActivities = typeof floorActivities;
