/**
 * Production `npm start` runs the compiled hub (dist/). It builds first when dist/ is missing or older than
 * any source, so an edit is never silently ignored and an unchanged tree starts without a rebuild.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the compiled hub needs; the bundle is written last by scripts/build-dist.ts. */
export const DIST_ENTRIES = { worker: 'dist/workers/main.js', gateway: 'dist/api/main.js' } as const;
const BUNDLE = 'dist/workflow-bundle.js';

// Not part of the build (tsconfig.build.json) or not sources at all.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'var', 'test', 'bench', 'docs', 'temporal-docker']);
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function mtimeMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time among the build's inputs under `dir`. */
function newestSource(dir: string, top = true): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(top && SKIPPED_DIRS.has(entry.name))) newest = Math.max(newest, newestSource(path, false));
    } else if (/\.(ts|json)$/.test(entry.name) && (!top || BUILD_INPUTS.includes(entry.name) || entry.name.endsWith('.ts'))) {
      newest = Math.max(newest, mtimeMs(path) ?? 0);
    }
  }
  return newest;
}

/** Why dist/ must be rebuilt, or undefined when it is up to date. */
export function staleBuildReason(root: string): string | undefined {
  const artifacts = [...Object.values(DIST_ENTRIES), BUNDLE].map((file) => ({ file, mtime: mtimeMs(join(root, file)) }));
  const missing = artifacts.find((artifact) => artifact.mtime === undefined);
  if (missing) return `${missing.file} is missing`;
  const built = Math.min(...artifacts.map((artifact) => artifact.mtime ?? 0));
  return newestSource(root) > built ? 'sources changed since the last build' : undefined;
}

export function ensureBuilt(root: string, log: (message: string) => void): void {
  const reason = staleBuildReason(root);
  if (!reason) return;
  log(`building the hub (npm run build): ${reason}`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
