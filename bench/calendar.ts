import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { GOOGLE_RATE_LIMIT_KEY } from '../clients/google/calendar-api';
import { CalendarStateStore } from '../clients/redis/calendar-state';
import { CALENDAR_SYNC_ALL_WORKFLOW_ID, calendarSyncAllRef, type CalendarSyncAllResult, type CalendarSyncAllWorkflow } from '../contracts/calendar';
import { calendarSyncEnv, googleEnv } from '../config/env';
import type { NewTermin } from '../simulators/advoware/termin-store';
import type { BenchContext } from './context';
import { startWorker, type HubProcess } from './hub-processes';
import { maxInWindow, round } from './stats';

/** The production defaults (config/env.ts): the worker processes run with them. */
export const CALENDAR_PREFIX = calendarSyncEnv.shape.CALENDAR_SYNC_CALENDAR_PREFIX.parse(undefined);
export const GOOGLE_QUOTA_PER_MINUTE = googleEnv.shape.GOOGLE_CALENDAR_RATE_PER_MINUTE.parse(undefined);
const GOOGLE_BURST = googleEnv.shape.GOOGLE_CALENDAR_BURST.parse(undefined);

/** A date `days` from today, as Advoware writes dates. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

/** An employee's year: 70 % timed appointments, 20 % all-day (deadlines), 10 % weekly series. */
function terminFor(kuerzel: string, i: number): NewTermin {
  const date = day(-20 + Math.floor(i * 1.7));
  if (i % 10 === 3 || i % 10 === 7) return { kuerzel, betreff: `Frist ${i}`, datum: date, dauertermin: true };
  if (i % 10 === 5) {
    return {
      kuerzel,
      betreff: `Jour fixe ${i}`,
      datum: date,
      uhrzeitVon: '09:00:00',
      datumBis: date,
      uhrzeitBis: '09:30:00',
      turnus: 1,
      turnusArt: 2,
      turnusBis: day(-20 + Math.floor(i * 1.7) + 56),
    };
  }
  const hour = String(8 + (i % 10)).padStart(2, '0');
  return { kuerzel, betreff: `Mandant ${i}`, ort: 'Kanzlei', datum: date, uhrzeitVon: `${hour}:00:00`, datumBis: date, uhrzeitBis: `${hour}:45:00` };
}

export interface CalendarFigures {
  workers: number;
  employees: number;
  appointmentsPerEmployee: number;
  initialSeconds: number;
  initialGoogleCalls: number;
  initialAdvowareCalls: number;
  /** Arrivals at the simulator in the busiest window. */
  maxGoogleCallsPer60s: number;
  maxGoogleCallsPer1s: number;
  /** Past the first burst: what the limiter let through on average. */
  googleCallsPerMinute: number;
  steadySeconds: number;
  steadyCallsPerEmployee: number;
  steadyEmployeeListCalls: number;
}

/**
 * Calendar sync (SPEC §6) with two worker processes on one task queue, sharing the Google limit through Redis:
 * the initial sync of `employees` × `perEmployee` appointments into empty calendars, then the same run again with
 * nothing changed. The busiest 60 s of Google call arrivals (the simulator's timestamps) must stay within quota.
 */
export async function measureCalendar(ctx: BenchContext, employees: number, perEmployee: number): Promise<CalendarFigures> {
  const kuerzels = Array.from({ length: employees }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
  await ctx.sim.call(
    'seedCalendar',
    kuerzels,
    kuerzels.flatMap((k) => Array.from({ length: perEmployee }, (_, i) => terminFor(k, i))),
  );
  // A full bucket and no cursors, whatever ran before on this Redis.
  const limiterKeys = await ctx.redis.keys(`${GOOGLE_RATE_LIMIT_KEY}*`);
  if (limiterKeys.length > 0) await ctx.redis.del(...limiterKeys);
  await Promise.all(kuerzels.map((k) => new CalendarStateStore(ctx.redis).clear(k)));

  const second: HubProcess = await startWorker('worker-2', ctx.env, join(ctx.logDir, 'worker-2.log'));
  try {
    const syncAll = async (): Promise<{ seconds: number; result: CalendarSyncAllResult }> => {
      const start = performance.now();
      const result = await ctx.client.workflow.execute<CalendarSyncAllWorkflow>(calendarSyncAllRef.workflowType, {
        taskQueue: ctx.env.taskQueue,
        workflowId: `${CALENDAR_SYNC_ALL_WORKFLOW_ID}-bench-${randomUUID()}`,
        args: [{}],
      });
      if (result.synced !== employees)
        throw new Error(`calendar: ${result.synced} of ${employees} employees synced: ${JSON.stringify(result.employees)}`);
      return { seconds: (performance.now() - start) / 1000, result };
    };

    await ctx.sim.call('resetCalls');
    const initial = await syncAll();
    const at = await ctx.sim.call('googleCallTimes');
    const initialAdvoware = (await ctx.sim.call('advowareRoutes')).length;
    for (const k of kuerzels) {
      const tagged = await ctx.sim.call('taggedEvents', `${CALENDAR_PREFIX}${k}`);
      if (tagged !== perEmployee) throw new Error(`calendar: ${k} has ${tagged} tagged events, expected ${perEmployee}`);
    }
    const spanMs = Math.max(1, Math.max(...at) - Math.min(...at));

    await ctx.sim.call('resetCalls');
    const steady = await syncAll();
    const steadyGoogle = (await ctx.sim.call('googleCallTimes')).length;
    const steadyAdvoware = await ctx.sim.call('advowareRoutes');
    const lists = steadyAdvoware.filter((r) => /Mitarbeiter/.test(r)).length;

    return {
      workers: 2,
      employees,
      appointmentsPerEmployee: perEmployee,
      initialSeconds: round(initial.seconds, 1),
      initialGoogleCalls: at.length,
      initialAdvowareCalls: initialAdvoware,
      maxGoogleCallsPer60s: maxInWindow(at, 60_000),
      maxGoogleCallsPer1s: maxInWindow(at, 1_000),
      googleCallsPerMinute: round(((at.length - GOOGLE_BURST) / spanMs) * 60_000, 0),
      steadySeconds: round(steady.seconds, 2),
      steadyCallsPerEmployee: round((steadyGoogle + steadyAdvoware.length - lists) / employees, 2),
      steadyEmployeeListCalls: lists,
    };
  } finally {
    await second.stop();
  }
}
