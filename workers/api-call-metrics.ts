import { performance } from 'node:perf_hooks';
import { CancelledFailure, type MetricMeter, type Next } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptors } from '@temporalio/worker';
import { failureDetails } from '../clients/errors';
import type { ExternalSystem } from '../contracts/failures';

/** Activities are one per external call and named after their system (SPEC §10: API calls per system). */
const PREFIXES: ReadonlyArray<[prefix: string, system: ExternalSystem]> = [
  ['espo', 'EspoCrm'],
  ['advoware', 'Advoware'],
  ['google', 'Google'],
  ['threecx', 'ThreeCx'],
];

/** Calls whose name does not say their system: the lead's EspoCRM calls, the employee list of the calendar sync. */
const NAMED: Readonly<Record<string, ExternalSystem>> = {
  leadFind: 'EspoCrm',
  leadFindParty: 'EspoCrm',
  leadCreate: 'EspoCrm',
  leadUpdate: 'EspoCrm',
  leadCreateTask: 'EspoCrm',
  leadRecordFollowUp: 'EspoCrm',
  calendarEmployeesOldestFirst: 'Advoware',
};

/**
 * Activities that call no external system (settings, Redis, Temporal); not counted as API calls. Listed so that a
 * test can check every registered activity is one or the other, and a new one cannot go uncounted by accident.
 */
export const INTERNAL_ACTIVITIES: ReadonlySet<string> = new Set([
  'beteiligteSyncSettings',
  'bankverbindungenSyncSettings',
  'calendarSettings',
  'calendarLoadState',
  'calendarSaveState',
  'callSettings',
  'leadSettings',
  'leadOfficeHours',
  'leadIndex',
  'handOverCallEvent',
  'recordCallContact',
  'updatePartyLookups',
  'requestBeteiligteSyncs',
  'requestBankverbindungSyncs',
  'requestPartySync',
]);

/** The external system an activity calls, or undefined for an internal one. */
export function apiSystemOf(activityType: string): ExternalSystem | undefined {
  const named = NAMED[activityType];
  if (named) return named;
  if (INTERNAL_ACTIVITIES.has(activityType)) return undefined;
  return PREFIXES.find(([prefix]) => activityType.startsWith(prefix))?.[1];
}

/** The `kind` label of a failed call: the classified failure's kind, else what stopped it. */
export function errorKindOf(err: unknown): string {
  const details = failureDetails(err);
  if (details) return details.kind;
  if (err instanceof CancelledFailure) return 'Cancelled';
  return 'Unclassified';
}

/** Metric names, exported as written (see workers/metrics.ts). */
export const API_CALLS = 'hub_api_calls_total';
export const API_ERRORS = 'hub_api_errors_total';
export const API_CALL_DURATION = 'hub_api_call_duration_seconds';

/**
 * Counts every attempt of an activity that calls an external system, local activities included: calls by system
 * and result, errors by system and kind (the `<System><Kind>` taxonomy of clients/errors.ts), durations. The
 * activity's meter adds `activityType` (the call), `namespace` and `taskQueue`.
 */
export function apiCallMetricsInterceptor(ctx: Context): ActivityInterceptors {
  const system = apiSystemOf(ctx.info.activityType);
  if (!system) return {};
  return { inbound: new ApiCallMetrics(ctx.metricMeter, system) };
}

class ApiCallMetrics implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly meter: MetricMeter,
    private readonly system: ExternalSystem,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const started = performance.now();
    try {
      const result = await next(input);
      this.record('ok', started);
      return result;
    } catch (err) {
      this.record('error', started);
      this.meter
        .createCounter(API_ERRORS, undefined, 'Failed external API calls by system and kind')
        .add(1, { system: this.system, kind: errorKindOf(err) });
      throw err;
    }
  }

  private record(result: 'ok' | 'error', started: number): void {
    const labels = { system: this.system, result };
    this.meter.createCounter(API_CALLS, undefined, 'External API calls (activity attempts) by system and result').add(1, labels);
    this.meter
      .createHistogram(API_CALL_DURATION, 'float', 's', 'Duration of one external API call (activity attempt)')
      .record((performance.now() - started) / 1000, labels);
  }
}
