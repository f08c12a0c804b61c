import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import * as bundle from '../../workflows';
import { workflowBundleOptions } from '../../workers/workflow-bundle';
import { testDataConverter } from '../support/services';
import { filePrefixOf, readHistoryFiles, type HistoryFile } from './histories';

/**
 * Today's workflow code must replay every recorded history (test/replay/histories/, `npm run
 * histories:record`): a change to a workflow's commands that is not behind `patched()` would break
 * executions that are running when the new code is deployed. One bundle for all histories, no server.
 */
describe('workflow replay against recorded histories', () => {
  // The violations are reported below, per file; the SDK's own warnings (TS side and core) would only repeat them.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const histories: HistoryFile[] = readHistoryFiles();

  it('every workflow type the worker runs has a recorded history, named after its type', () => {
    assert.ok(histories.length > 0, 'test/replay/histories/ holds no history: run `npm run histories:record`');
    const types = Object.keys(bundle).sort();
    const covered = new Set(histories.map((h) => h.workflowType));
    const missing = types.filter((t) => !covered.has(t));
    assert.deepEqual(missing, [], `no recorded history of ${missing.join(', ')}: add a scenario under test/replay/scenarios/ and record`);
    for (const { file, workflowType } of histories) {
      assert.ok(types.includes(workflowType), `${file}: records "${workflowType}", which the worker no longer runs`);
      assert.ok(
        basename(file).startsWith(`${filePrefixOf(workflowType)}.`),
        `${file}: records ${workflowType}, so its name starts with "${filePrefixOf(workflowType)}."`,
      );
    }
  });

  it('replays every history without a non-determinism or any other failure', async () => {
    const results: ReplayResult[] = [];
    // The file name as the workflow ID, so each result names its file.
    const replay = Worker.runReplayHistories(
      // The hub's converter: histories recorded since issue 16 hold encrypted payloads (older ones pass through).
      {
        workflowsPath: require.resolve('../../workflows'),
        bundlerOptions: workflowBundleOptions,
        replayName: 'hub-replay-test',
        dataConverter: testDataConverter(),
      },
      histories.map(({ file, history }) => ({ workflowId: file, history })),
    );
    for await (const result of replay) results.push(result);

    assert.deepEqual(results.map((r) => r.workflowId).sort(), histories.map((h) => h.file).sort(), 'one result per history');
    const failures = results.filter((r) => r.error !== undefined).map((r) => `  ${r.workflowId}: ${r.error?.name}: ${coreMessageOf(r.error)}`);
    if (failures.length > 0) {
      assert.fail(
        `today's workflow code does not replay ${failures.length} of ${results.length} histories:\n${failures.join('\n')}\n` +
          'A workflow change that alters its commands needs patched() (or a new workflow type): see "Changing a workflow" in the README.',
      );
    }
  });
});

/** The core's own words (e.g. `[TMPRL1100] Nondeterminism error: Timer machine does not handle …`) over the SDK's wrapping. */
function coreMessageOf(error: Error | undefined): string {
  const message = error?.message ?? '';
  return /message: "([^"]+)"/.exec(message)?.[1] ?? message;
}
