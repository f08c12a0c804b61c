// ESLint (`npm run lint`): type-aware rules, import cycles and the layering of the hub.
// Layers, top to bottom; a module imports only from its own layer or below:
//   api/ scripts/ workers/ bench/  →  workflows/  →  activities/  →  clients/  →  domain/ contracts/ config/ lib/
// simulators/ is test tooling beside the product (it may use the ground layer only); scripts/ and test/ may import anything.
// Formatting is prettier's (`npm run format:check`); no rule below is about layout.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = import.meta.dirname;

// Node built-ins, with and without `node:` and with sub-paths (`fs/promises`).
const builtins = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
const nodeBuiltin = `^(?:node:.*|(?:${builtins.join('|')})(?:/.*)?)$`;

const TOP = ['api', 'scripts', 'workers', 'bench'];
const BESIDE = ['simulators', 'test'];
const zone = (target, from, message) => ({ target, from, message });

/** Who may import whom (resolved paths, so relative imports count; `import type` counts too). */
const layers = [
  // Product code never depends on tooling: tests, benchmarks, the scripts and the simulators sit beside it.
  zone(['api', 'workers'], ['scripts', 'bench', 'simulators', 'test'], 'Product code must not import scripts/, bench/, simulators/ or test/.'),
  zone(
    'workflows',
    [...TOP, ...BESIDE, 'clients', 'lib', 'config'],
    'workflows/ may import only workflows/, domain/, contracts/ and `import type` from activities/ (deterministic sandbox; I/O belongs in an activity).',
  ),
  zone('activities', [...TOP, ...BESIDE, 'workflows'], 'activities/ must not import workflows/ or anything above them.'),
  zone('clients', [...TOP, ...BESIDE, 'workflows', 'activities'], 'clients/ must not import activities/, workflows/ or anything above them.'),
  // domain/ and contracts/ end up in the workflow bundle, so they stay free of lib/ and config/ (Node built-ins, Redis, pino) too.
  zone(
    ['domain', 'contracts'],
    [...TOP, ...BESIDE, 'workflows', 'activities', 'clients', 'lib', 'config'],
    'domain/ and contracts/ are the ground layer imported by workflow code: only domain/, contracts/ and pure libraries.',
  ),
  zone(['config', 'lib'], [...TOP, ...BESIDE, 'workflows', 'activities', 'clients'], 'config/ and lib/ are the ground layer: nothing above them.'),
  zone(
    'simulators',
    ['api', 'scripts', 'workers', 'bench', 'test', 'workflows', 'activities', 'clients'],
    'simulators/ stand in for external systems: they may use domain/, contracts/, lib/ and config/ only, never the hub they are tested against.',
  ),
  zone('bench', ['test'], 'bench/ must not import test/.'),
];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'var/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads the imported modules itself (no-cycle): TypeScript files, parsed with typescript-eslint's parser.
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json`, alwaysTryTypes: true })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // An activity or route handler is async by contract (it returns a Promise) even when it has nothing to await.
      '@typescript-eslint/require-await': 'off',
      // What the code claims: every promise is awaited or handed on, no promise where a callback's result is ignored,
      // no deprecated API, and types imported as types (erased, so they never pull a module into a bundle).
      // node:test's describe()/it() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // Runtime import cycles (the rule ignores type-only imports). Its cost is parsing each imported module once,
      // 2-3 s of CPU (under a tenth of the lint); maxDepth 3 saved nothing measurable, so the walk is unbounded.
      // ignoreExternal keeps it out of node_modules.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layers }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: @temporalio/workflow and @temporalio/common only,
    // activities only as types (proxyActivities<typeof …>).
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: nodeBuiltin,
              caseSensitive: true,
              message: 'Node built-ins do not exist in the workflow sandbox: do I/O in an activity.',
            },
            {
              regex: `^(?![./])(?!node:)(?!@temporalio/(?:workflow|common)(?:/|$))(?!(?:${builtins.join('|')})(?:/|$))`,
              caseSensitive: true,
              message: 'Workflow code imports only @temporalio/workflow and @temporalio/common: put pure logic in domain/, I/O in an activity.',
            },
            {
              regex: '^(?:\\.\\./)+activities(?:/|$)',
              caseSensitive: true,
              allowTypeImports: true,
              message: 'Workflows import activities only as `import type` (proxyActivities<typeof …>).',
            },
          ],
        },
      ],
    },
  },
  {
    // domain/ and contracts/ are bundled into the workflow sandbox through workflow imports.
    files: ['domain/**/*.ts', 'contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: nodeBuiltin,
              caseSensitive: true,
              message: 'domain/ and contracts/ are imported by workflow code: no Node built-ins.',
            },
            {
              regex: '^(?:ioredis|express|pino|prom-client|googleapis|qs|@temporalio/(?:client|worker|activity))(?:/|$)',
              caseSensitive: true,
              allowTypeImports: true,
              message: 'domain/ and contracts/ are imported by workflow code: I/O libraries only as `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    // This file and other plain JavaScript are not in tsconfig.json: no type-aware rules there.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
