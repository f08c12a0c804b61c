// The worker's workflow bundle: every workflow the hub runs is exported here.
export { activeEmployeesWorkflow } from './employees';
export { beteiligteSyncWorkflow } from './beteiligte/sync';
export { beteiligteSweepWorkflow } from './beteiligte/sweep';
export { calendarSyncWorkflow } from './calendar/sync';
export { calendarSyncAllWorkflow } from './calendar/sync-all';
