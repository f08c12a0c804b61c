// The worker's workflow bundle: every workflow the hub runs is exported here.
import type { BeteiligteSweepWorkflow, BeteiligteSyncWorkflow } from '../contracts/beteiligte';
import type { CalendarSyncAllWorkflow, CalendarSyncWorkflow } from '../contracts/calendar';
import { beteiligteSweepWorkflow } from './beteiligte/sweep';
import { beteiligteSyncWorkflow } from './beteiligte/sync';
import { calendarSyncAllWorkflow } from './calendar/sync-all';
import { calendarSyncWorkflow } from './calendar/sync';

export { beteiligteSyncWorkflow, beteiligteSweepWorkflow, calendarSyncWorkflow, calendarSyncAllWorkflow };

// Each workflow has its contract's signature, so callers that start it through the contract's ref pass the
// right arguments (checked here by the compiler); test/unit/workflow-contracts.test.ts checks the names.
void ([beteiligteSyncWorkflow, beteiligteSweepWorkflow, calendarSyncWorkflow, calendarSyncAllWorkflow] satisfies [
  BeteiligteSyncWorkflow,
  BeteiligteSweepWorkflow,
  CalendarSyncWorkflow,
  CalendarSyncAllWorkflow,
]);
