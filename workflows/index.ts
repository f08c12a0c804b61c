// The worker's workflow bundle: every workflow the hub runs is exported here.
import type { BankverbindungenSweepWorkflow, BankverbindungenSyncWorkflow } from '../contracts/bankverbindungen';
import type { BeteiligteSweepWorkflow, BeteiligteSyncWorkflow } from '../contracts/beteiligte';
import type { CalendarSyncAllWorkflow, CalendarSyncWorkflow } from '../contracts/calendar';
import type { BeteiligteIngestWorkflow } from '../contracts/ingest';
import { bankverbindungenSweepWorkflow } from './bankverbindungen/sweep';
import { bankverbindungenSyncWorkflow } from './bankverbindungen/sync';
import { beteiligteIngestWorkflow } from './beteiligte/ingest';
import { beteiligteSweepWorkflow } from './beteiligte/sweep';
import { beteiligteSyncWorkflow } from './beteiligte/sync';
import { calendarSyncAllWorkflow } from './calendar/sync-all';
import { calendarSyncWorkflow } from './calendar/sync';

export {
  beteiligteSyncWorkflow,
  beteiligteSweepWorkflow,
  beteiligteIngestWorkflow,
  calendarSyncWorkflow,
  calendarSyncAllWorkflow,
  bankverbindungenSyncWorkflow,
  bankverbindungenSweepWorkflow,
};

// Each workflow has its contract's signature, so callers that start it through the contract's ref pass the
// right arguments (checked here by the compiler); test/unit/workflow-contracts.test.ts checks the names.
void ([
  beteiligteSyncWorkflow,
  beteiligteSweepWorkflow,
  beteiligteIngestWorkflow,
  calendarSyncWorkflow,
  calendarSyncAllWorkflow,
  bankverbindungenSyncWorkflow,
  bankverbindungenSweepWorkflow,
] satisfies [
  BeteiligteSyncWorkflow,
  BeteiligteSweepWorkflow,
  BeteiligteIngestWorkflow,
  CalendarSyncWorkflow,
  CalendarSyncAllWorkflow,
  BankverbindungenSyncWorkflow,
  BankverbindungenSweepWorkflow,
]);
