import type { BundleOptions } from '@temporalio/worker';

/**
 * How the workflow bundle is built, the same for `npm run build`, the bench, the replay test and a worker that
 * bundles at start-up.
 *
 * With the reusable V8 context (the SDK's default) every module of the bundle is evaluated again for each new
 * workflow, so per-workflow state stays apart. For these libraries that costs a millisecond or more on every
 * workflow start (libphonenumber-js/max parses its metadata, luxon probes time zones), which a sweep pays a
 * thousand times. They keep no per-workflow state: loaded once before any workflow and shared (the SDK freezes
 * their exports). Only pure libraries belong here; the hub's own modules stay per workflow.
 */
export const workflowBundleOptions = {
  preloadModules: ['libphonenumber-js/max', 'luxon', 'rrule', 'ibantools'],
  // The preload is a bare `require(...)`; webpack drops it for packages that declare `sideEffects: false`.
  webpackConfigHook: (config) => ({ ...config, optimization: { ...config.optimization, sideEffects: false } }),
} satisfies Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>;
