import { proxyActivities } from '@temporalio/workflow';
import type { AdvowareActivities } from '../activities/advoware';

const { advowareListMitarbeiter } = proxyActivities<AdvowareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** The kuerzel of every active Advoware employee, sorted; the calendar sync fans out over them. */
export async function activeEmployeesWorkflow(): Promise<string[]> {
  const employees = await advowareListMitarbeiter();
  return employees
    .filter((e) => e.aktiv)
    .map((e) => e.kuerzel)
    .sort();
}
