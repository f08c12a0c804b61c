/**
 * `npm run build`: the production JavaScript in dist/ (tsc -p tsconfig.build.json) and the workflow bundle
 * built ahead of time (dist/workflow-bundle.js), which the compiled worker loads instead of running webpack
 * at every start. dist/ is emptied first, so a deleted source never lingers as a stale .js.
 * `--out DIR` builds elsewhere (a test builds into a folder of its own inside the repository, so that
 * node_modules still resolves).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundleOptions } from '../workers/workflow-bundle';

const root = process.cwd();
const outFlag = process.argv.indexOf('--out');
const dist = resolve(root, outFlag === -1 ? 'dist' : (process.argv[outFlag + 1] ?? 'dist'));

async function main(): Promise<void> {
  // It is emptied: never the repository itself or a folder containing it.
  if (root === dist || root.startsWith(`${dist}${sep}`)) throw new Error(`refusing to build into ${dist}`);
  rmSync(dist, { recursive: true, force: true });
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], {
    stdio: 'inherit',
  });
  console.log(`[build] JavaScript in ${dist} (${Date.now() - started} ms)`);

  const bundling = Date.now();
  // Bundled from the compiled workflows, so the bundle is exactly the code tsc emitted.
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(dist, 'workflows'),
    ...workflowBundleOptions,
    // webpack's module statistics are noise here; warnings and errors still show.
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(dist, { recursive: true });
  // Written last: its time stamp says when the whole build finished (scripts/lib/build-freshness.ts).
  writeFileSync(join(dist, 'workflow-bundle.js'), code);
  console.log(`[build] workflow bundle ${join(dist, 'workflow-bundle.js')} (${Math.round(code.length / 1024)} KiB, ${Date.now() - bundling} ms)`);
}

main().catch((err: unknown) => {
  console.error(`[build] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
