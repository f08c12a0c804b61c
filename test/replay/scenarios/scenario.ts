import type { WorkflowHandle } from '@temporalio/client';
import type { SyncRequester } from '../../../clients/temporal/sync-requests';
import type { AdvowareSimulator } from '../../../simulators/advoware/simulator';
import type { EspoCrmSimulator } from '../../../simulators/espocrm/simulator';
import type { GoogleCalendarSimulator } from '../../../simulators/google/simulator';
import type { TestWorker } from '../../support/worker';

/** What a scenario drives: the production worker (createTestWorker) against the three simulators. */
export interface RecordingEnv {
  hub: TestWorker;
  advoware: AdvowareSimulator;
  espocrm: EspoCrmSimulator;
  google: GoogleCalendarSimulator;
  requester: SyncRequester;
}

/** One main path of one workflow type; its history lands in `<type>.<path>.json`. */
export interface Scenario {
  workflowType: string;
  path: string;
  /**
   * Drives the path on freshly reset simulators and returns the workflow whose history is recorded, closed.
   * It checks that the run took the path it is named after, so a recording never lands under a wrong name.
   */
  run(env: RecordingEnv): Promise<WorkflowHandle>;
}
