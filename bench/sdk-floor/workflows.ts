import { condition, defineSignal, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

/**
 * The party run's shapes with no hub code in them: what the Temporal SDK and the dev server cost on this machine
 * for the same sequence of signal, local and regular activities. Each activity only waits as long as an API call
 * would take, so what a shape takes beyond those waits is Temporal's alone.
 */
export const floorRequested = defineSignal('floorRequested');

const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
const regular = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

/** Started like a party's workflow: signal-with-start, and the run begins once the request is in. */
async function requested(): Promise<void> {
  let asked = false;
  setHandler(floorRequested, () => {
    asked = true;
  });
  await condition(() => asked);
}

/** The least a per-party workflow can be: the start and one write that must not repeat (a regular activity). */
export async function floorCreate(): Promise<void> {
  await requested();
  await regular.apiCall(0);
}

/** A no-change run: the settings, the EspoCRM read and the Advoware read, as local activities. */
export async function floorNoChange(): Promise<void> {
  await requested();
  await local.apiCall(0);
  await local.apiCall(0);
  await local.apiCall(0);
}

/** An edit: the settings, both reads (local), the Advoware PUT (regular), the EspoCRM write (local). */
export async function floorEdit(latency: { espocrmMs: number; advowareMs: number }): Promise<void> {
  await requested();
  await local.apiCall(0);
  await local.apiCall(latency.espocrmMs);
  await local.apiCall(latency.advowareMs);
  await regular.apiCall(latency.advowareMs);
  await local.apiCall(latency.espocrmMs);
}
