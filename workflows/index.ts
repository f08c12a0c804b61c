// The worker's workflow bundle: every workflow the hub runs is exported here.
import type { BankverbindungenSweepWorkflow, BankverbindungenSyncWorkflow } from '../contracts/bankverbindungen';
import type { BeteiligteSweepWorkflow, BeteiligteSyncWorkflow } from '../contracts/beteiligte';
import type { CalendarSyncAllWorkflow, CalendarSyncWorkflow } from '../contracts/calendar';
import type { CallWorkflow, OutboundCallWorkflow } from '../contracts/calls';
import type { BeteiligteIngestWorkflow } from '../contracts/ingest';
import type { LeadWorkflow } from '../contracts/leads';
import { bankverbindungenSweepWorkflow } from './bankverbindungen/sweep';
import { bankverbindungenSyncWorkflow } from './bankverbindungen/sync';
import { beteiligteIngestWorkflow } from './beteiligte/ingest';
import { beteiligteSweepWorkflow } from './beteiligte/sweep';
import { beteiligteSyncWorkflow } from './beteiligte/sync';
import { calendarSyncAllWorkflow } from './calendar/sync-all';
import { calendarSyncWorkflow } from './calendar/sync';
import { callWorkflow } from './calls/call';
import { outboundCallWorkflow } from './calls/outbound';
import { leadWorkflow } from './leads/lead';

export {
  beteiligteSyncWorkflow,
  beteiligteSweepWorkflow,
  beteiligteIngestWorkflow,
  calendarSyncWorkflow,
  calendarSyncAllWorkflow,
  bankverbindungenSyncWorkflow,
  bankverbindungenSweepWorkflow,
  callWorkflow,
  outboundCallWorkflow,
  leadWorkflow,
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
  callWorkflow,
  outboundCallWorkflow,
  leadWorkflow,
] satisfies [
  BeteiligteSyncWorkflow,
  BeteiligteSweepWorkflow,
  BeteiligteIngestWorkflow,
  CalendarSyncWorkflow,
  CalendarSyncAllWorkflow,
  BankverbindungenSyncWorkflow,
  BankverbindungenSweepWorkflow,
  CallWorkflow,
  OutboundCallWorkflow,
  LeadWorkflow,
]);
