import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundleOptions } from '../workers/workflow-bundle';

/**
 * The hub compiled as production runs it (`npm run build`: tsc, then the workflow bundle next to it), but into a
 * directory of the bench's own, so dist/ is left alone: no tsx, and no webpack at the worker's start, both of
 * which would count in the memory figures. Type errors elsewhere in the tree (work in progress) do not stop it:
 * tsc still emits, and what it emitted is what runs.
 */
export async function compileHub(outDir: string): Promise<string> {
  const dir = resolve(outDir);
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (err) {
    if (!existsSync(join(dir, 'workers', 'main.js'))) throw err;
    console.warn('bench: tsc reported errors; running the JavaScript it emitted anyway');
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(dir, 'workflows'),
    ...workflowBundleOptions,
    logger: new DefaultLogger('WARN'),
  });
  // Where the compiled workers/worker.js looks for it.
  writeFileSync(join(dir, 'workflow-bundle.js'), code);
  return dir;
}
