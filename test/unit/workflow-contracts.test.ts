import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bankverbindungenSweepRef, bankverbindungenSyncRef } from '../../contracts/bankverbindungen';
import { beteiligteSweepRef, beteiligteSyncRef } from '../../contracts/beteiligte';
import { calendarSyncAllRef, calendarSyncRef } from '../../contracts/calendar';
import { callRef, outboundCallRef } from '../../contracts/calls';
import { beteiligteIngestRef } from '../../contracts/ingest';
import { leadRef } from '../../contracts/leads';
import * as bundle from '../../workflows';

/** Every workflow ref of the contracts. */
const REFS = [
  beteiligteSyncRef,
  beteiligteSweepRef,
  beteiligteIngestRef,
  calendarSyncRef,
  calendarSyncAllRef,
  bankverbindungenSyncRef,
  bankverbindungenSweepRef,
  callRef,
  outboundCallRef,
  leadRef,
];

describe('workflow contracts', () => {
  it('every ref names a workflow that the worker bundle exports under that type', () => {
    for (const ref of REFS) {
      const exported = (bundle as Record<string, unknown>)[ref.workflowType];
      assert.equal(typeof exported, 'function', `workflows/index.ts exports no workflow "${ref.workflowType}"`);
    }
  });

  it('the bundle exports nothing but the workflows the contracts name', () => {
    const named = new Set(REFS.map((r) => r.workflowType));
    assert.deepEqual(Object.keys(bundle).sort(), [...named].sort());
  });
});
