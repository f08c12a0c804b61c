import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { gatewayConfigSchema, workerConfigSchema } from '../../config/env';

/**
 * The production deployment (temporal-docker/, Dockerfile) can't be started here (no Docker
 * engine), so this test parses the files and checks how they are wired together (SPEC §1, §10).
 */

const root = resolve(__dirname, '../..');
const deployDir = join(root, 'temporal-docker');
const searchAttributes = JSON.parse(readFileSync(join(root, 'config/search-attributes.json'), 'utf8')) as Record<string, string>;

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dict(value: unknown, what: string): Dict {
  assert.ok(isDict(value), `${what} must be a mapping`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what} must be a list`);
  return value;
}

function str(value: unknown, what: string): string {
  assert.equal(typeof value, 'string', `${what} must be a string`);
  return value as string;
}

const compose = dict(parse(readFileSync(join(deployDir, 'docker-compose.yml'), 'utf8')), 'docker-compose.yml');
const services = dict(compose.services, 'services');
const kong = dict(parse(readFileSync(join(deployDir, 'kong.yml'), 'utf8')), 'kong.yml');
/** Read by the C library (glibc), not by the hub, so they are not in its env schema. */
const C_LIBRARY_VARIABLES = ['MALLOC_ARENA_MAX'];

function service(name: string): Dict {
  return dict(services[name], `service ${name}`);
}

/** A service's `environment`, whether written as a mapping or as a list of NAME=value. */
function envOf(name: string): Record<string, string> {
  const env = service(name).environment;
  if (env === undefined) return {};
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const entry of env) {
      const [key, ...rest] = str(entry, `${name} environment entry`).split('=');
      out[key ?? ''] = rest.join('=');
    }
  } else {
    for (const [key, value] of Object.entries(dict(env, `${name} environment`))) out[key] = String(value);
  }
  return out;
}

/** depends_on as { service: condition } (the short list form means service_started). */
function dependsOn(name: string): Record<string, string> {
  const deps = service(name).depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [str(d, 'depends_on entry'), 'service_started']));
  return Object.fromEntries(
    Object.entries(dict(deps, `${name} depends_on`)).map(([dep, spec]) => [dep, str(dict(spec, `${name} → ${dep}`).condition, 'condition')]),
  );
}

interface PortMapping {
  hostIp?: string;
  host: string;
  container: string;
}

/** Short-syntax port mappings ("[ip:]host:container"); `${VAR:-x}` host parts stay as written. */
function portsOf(name: string): PortMapping[] {
  return list(service(name).ports ?? [], `${name} ports`).map((entry) => {
    const text = String(entry);
    const match = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\$\{[^}]+\}|\d+):(\d+)(?:\/(?:tcp|udp))?$/.exec(text);
    assert.ok(match, `${name}: port mapping ${text} is not [ip:]host:container`);
    return { hostIp: match[1], host: match[2] ?? '', container: match[3] ?? '' };
  });
}

interface Mount {
  source: string;
  target: string;
}

function mountsOf(name: string): Mount[] {
  return list(service(name).volumes ?? [], `${name} volumes`).map((entry) => {
    const [source, target] = str(entry, `${name} volume`).split(':');
    assert.ok(source && target, `${name}: volume ${String(entry)} needs source:target`);
    return { source, target };
  });
}

function isBindMount(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/');
}

/** `host:port` of a service on the compose network, e.g. temporal:7233. */
function assertServiceAddress(address: string | undefined, expectedService: string, port: number, what: string): void {
  assert.equal(address, `${expectedService}:${port}`, `${what} must be ${expectedService}:${port}`);
  assert.ok(services[expectedService], `${what}: ${expectedService} must be a compose service`);
}

const hubServices = ['hub-worker', 'hub-gateway'] as const;

describe('docker-compose.yml', () => {
  test('has every service of the deployment', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'temporal-admin-tools', 'redis', ...hubServices, 'kong']) {
      assert.ok(isDict(services[name]), `missing service ${name}`);
    }
  });

  test('every image is pinned to a version tag (never latest); the hub services are built from the Dockerfile', () => {
    for (const [name, spec] of Object.entries(services)) {
      const { image, build } = dict(spec, name);
      if (image === undefined) {
        const { context, dockerfile } = dict(build, `${name} build`);
        assert.ok(
          existsSync(join(deployDir, str(context, 'context'), str(dockerfile ?? 'Dockerfile', 'dockerfile'))),
          `${name}: Dockerfile not found`,
        );
        continue;
      }
      const ref = str(image, `${name} image`);
      const match = /^([a-z0-9][a-z0-9._/-]*):([A-Za-z0-9][A-Za-z0-9._-]*)(@sha256:[0-9a-f]{64})?$/.exec(ref);
      assert.ok(match, `${name}: image ${ref} has no tag`);
      const tag = match[2] ?? '';
      assert.notEqual(tag, 'latest', `${name}: image ${ref} must not use latest`);
      assert.match(tag, /^v?\d+\.\d+/, `${name}: image ${ref} must be pinned to a version (major.minor at least)`);
    }
  });

  test('PostgreSQL keeps its data in a named volume and has a health check', () => {
    const mounts = mountsOf('postgresql');
    const data = mounts.find((m) => m.target === '/var/lib/postgresql/data');
    assert.ok(data && !isBindMount(data.source), 'postgres data must live in a named volume');
    assert.ok(isDict(service('postgresql').healthcheck), 'postgresql needs a healthcheck');
  });

  test('Temporal runs on PostgreSQL: depends on it, and uses its credentials and the mounted dynamic config', () => {
    assert.match(str(service('temporal').image, 'temporal image'), /^temporalio\/auto-setup:1\.\d+\.\d+$/);
    assert.equal(dependsOn('temporal').postgresql, 'service_healthy');
    const env = envOf('temporal');
    const pg = envOf('postgresql');
    assert.equal(env.DB, 'postgres12');
    assert.equal(env.POSTGRES_SEEDS, 'postgresql');
    assert.equal(env.POSTGRES_USER, pg.POSTGRES_USER, 'Temporal must log in as the user PostgreSQL creates');
    assert.equal(env.POSTGRES_PWD, pg.POSTGRES_PASSWORD, 'Temporal must use the password PostgreSQL is set up with');
    assert.ok(isDict(service('temporal').healthcheck), 'temporal needs a healthcheck (others wait for service_healthy)');

    const configPath = env.DYNAMIC_CONFIG_FILE_PATH;
    assert.equal(configPath, 'config/dynamicconfig/development-sql.yaml');
    const mount = mountsOf('temporal').find((m) => m.target === '/etc/temporal/config/dynamicconfig');
    assert.ok(mount, 'the dynamic config directory must be mounted into /etc/temporal/config/dynamicconfig');
    const file = join(deployDir, mount.source, 'development-sql.yaml');
    assert.ok(existsSync(file), `${relative(root, file)} must exist`);
    const dynamic = dict(parse(readFileSync(file, 'utf8')), 'dynamic config');
    assert.ok(Object.keys(dynamic).length > 0, 'dynamic config must set something');
    for (const [key, values] of Object.entries(dynamic)) {
      for (const entry of list(values, key)) assert.ok('value' in dict(entry, `${key} entry`), `${key}: every entry needs a value`);
    }
  });

  test('the namespace auto-setup creates is the one the hub, the UI and the admin tools use', () => {
    const namespace = envOf('temporal').DEFAULT_NAMESPACE;
    assert.ok(namespace, 'temporal must set DEFAULT_NAMESPACE');
    for (const name of [...hubServices, 'temporal-admin-tools']) assert.equal(envOf(name).TEMPORAL_NAMESPACE, namespace, name);
    assert.equal(envOf('temporal-ui').TEMPORAL_DEFAULT_NAMESPACE, namespace);
  });

  test('the UI and the admin tools talk to temporal:7233; the UI is published on 8080', () => {
    for (const name of ['temporal-ui', 'temporal-admin-tools']) {
      assertServiceAddress(envOf(name).TEMPORAL_ADDRESS, 'temporal', 7233, `${name} TEMPORAL_ADDRESS`);
      assert.equal(dependsOn(name).temporal, 'service_healthy', `${name} waits for a healthy temporal`);
    }
    assert.ok(
      portsOf('temporal-ui').some((p) => p.host === '8080' && p.container === '8080'),
      'temporal-ui must publish 8080:8080',
    );
  });

  test('Redis persists with an append-only file in a volume', () => {
    const command = service('redis').command;
    const text = Array.isArray(command) ? command.join(' ') : str(command, 'redis command');
    assert.match(text, /--appendonly yes/);
    const data = mountsOf('redis').find((m) => m.target === '/data');
    assert.ok(data && !isBindMount(data.source), 'redis data must live in a named volume');
    assert.ok(isDict(service('redis').healthcheck), 'redis needs a healthcheck');
  });

  test('named volumes are declared and bind-mounted files exist', () => {
    const declared = Object.keys(dict(compose.volumes ?? {}, 'volumes'));
    for (const name of Object.keys(services)) {
      for (const { source } of mountsOf(name)) {
        if (source.startsWith('./secrets/')) {
          // Secrets are the operator's to place; they must never be committed.
          assert.match(readFileSync(join(root, '.gitignore'), 'utf8'), /^temporal-docker\/secrets\/$/m, 'secrets/ must be git-ignored');
        } else if (isBindMount(source)) assert.ok(existsSync(join(deployDir, source)), `${name}: ${source} does not exist`);
        else assert.ok(declared.includes(source), `${name}: volume ${source} is not declared`);
      }
    }
  });

  for (const [name, entry, schema] of [
    ['hub-worker', 'workers/main.ts', workerConfigSchema],
    ['hub-gateway', 'api/main.ts', gatewayConfigSchema],
  ] as const) {
    test(`${name} runs ${entry}, compiled, with .env plus the compose addresses of Temporal and Redis`, () => {
      const spec = service(name);
      const command = list(spec.command, `${name} command`).map(String);
      // The image holds the compiled hub (npm run build: tsc into dist/), not the TypeScript sources; between them
      // the heap limits, which the bench reads from here (bench/hub-processes.ts).
      assert.equal(command[0], 'node');
      assert.equal(command.at(-1), `dist/${entry.replace(/\.ts$/, '.js')}`);
      const flags = command.slice(1, -1);
      assert.deepEqual(
        flags.map((flag) => /^--(max-old-space-size|max-semi-space-size)=\d+$/.exec(flag)?.[1]),
        ['max-old-space-size', 'max-semi-space-size'],
        `${name}: node flags ${flags.join(' ')}`,
      );
      assert.ok(existsSync(join(root, entry)), `${entry} must exist`);

      const envFiles = list(spec.env_file, `${name} env_file`).map((f) => (isDict(f) ? str(f.path, 'env_file path') : str(f, 'env_file')));
      assert.ok(
        envFiles.some((f) => resolve(deployDir, f) === join(root, '.env')),
        `${name} must read the hub's .env (../.env)`,
      );

      const env = envOf(name);
      assertServiceAddress(env.TEMPORAL_ADDRESS, 'temporal', 7233, `${name} TEMPORAL_ADDRESS`);
      const redisUrl = new URL(env.REDIS_URL ?? '');
      assert.equal(redisUrl.protocol, 'redis:');
      assertServiceAddress(`${redisUrl.hostname}:${redisUrl.port}`, 'redis', 6379, `${name} REDIS_URL`);

      // Every variable set here is one the process reads: a typo would silently fall back to a default.
      const known = new Set([...Object.keys(schema.shape), ...C_LIBRARY_VARIABLES]);
      for (const key of Object.keys(env)) assert.ok(known.has(key), `${name}: ${key} is not in the hub's env schema`);

      const deps = dependsOn(name);
      assert.equal(deps.temporal, 'service_healthy');
      assert.equal(deps.redis, 'service_healthy');
      assert.equal(deps['temporal-admin-tools'], 'service_completed_successfully', 'search attributes must exist before workflows start');
    });
  }

  test("the worker's malloc arenas are capped, on an image whose C library reads the cap", () => {
    // musl (alpine) ignores MALLOC_ARENA_MAX: the cap only holds on a glibc image such as Debian's.
    assert.match(envOf('hub-worker').MALLOC_ARENA_MAX ?? '', /^[1-9]\d*$/, 'hub-worker must set MALLOC_ARENA_MAX to a positive integer');
    const bases = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1] ?? '');
    assert.ok(bases.length > 0, 'Dockerfile has no FROM');
    for (const base of bases) assert.match(base, /^node:[\w.]+-(bookworm|bullseye|trixie)(-slim)?$/, `image ${base} must be glibc-based (Debian)`);
  });

  test('the worker health check probes the metrics port it is given', () => {
    const port = envOf('hub-worker').WORKER_METRICS_PORT;
    assert.ok(port, 'hub-worker must fix WORKER_METRICS_PORT');
    const check = list(dict(service('hub-worker').healthcheck, 'healthcheck').test, 'test').join(' ');
    assert.ok(check.includes(`:${port}/metrics`), `worker healthcheck must probe :${port}/metrics`);
  });

  test('the gateway listens on PORT, publishes it as ${PORT:-3000}, and KONG forwards to it', () => {
    const port = envOf('hub-gateway').PORT;
    assert.ok(port && /^\d+$/.test(port), 'hub-gateway must set a numeric PORT');
    const ports = portsOf('hub-gateway');
    assert.equal(ports.length, 1);
    assert.equal(ports[0]?.container, port, 'the published container port must be the PORT the gateway listens on');
    assert.match(ports[0]?.host ?? '', /^\$\{PORT(:-3000)?\}$/, 'the host port is chosen with PORT (default 3000)');
    const check = list(dict(service('hub-gateway').healthcheck, 'healthcheck').test, 'test').join(' ');
    assert.ok(check.includes(`:${port}/health`), `gateway healthcheck must probe :${port}/health`);

    const upstream = new URL(str(dict(list(kong.services, 'kong services')[0], 'kong service').url, 'kong service url'));
    assertServiceAddress(`${upstream.hostname}:${upstream.port}`, 'hub-gateway', Number(port), 'KONG upstream');
  });

  test('KONG runs DB-less with the mounted kong.yml, publishes the proxy on 8000, in front of the gateway', () => {
    assert.match(str(service('kong').image, 'kong image'), /^kong:\d+\.\d+/);
    const env = envOf('kong');
    assert.equal(env.KONG_DATABASE, 'off');
    assert.equal(env.KONG_DECLARATIVE_CONFIG, '/kong/kong.yml');
    const mount = mountsOf('kong').find((m) => m.target === env.KONG_DECLARATIVE_CONFIG);
    assert.ok(mount && resolve(deployDir, mount.source) === join(deployDir, 'kong.yml'), 'kong.yml must be mounted at /kong/kong.yml');
    assert.ok(
      portsOf('kong').some((p) => p.host === '8000' && p.container === '8000'),
      'kong must publish 8000',
    );
    assert.ok('hub-gateway' in dependsOn('kong'));
  });
});

describe('kong.yml', () => {
  const kongServices = list(kong.services, 'services').map((s) => dict(s, 'service'));
  const hub = kongServices[0];

  test('is declarative config format 3.0 with one service for the hub gateway', () => {
    assert.equal(kong._format_version, '3.0');
    assert.equal(kongServices.length, 1);
    assert.ok(hub);
  });

  test('routes /advoware, /calendar, /vmh, /api/leads, /3cx and /y to the gateway unchanged', () => {
    const routes = list(hub?.routes, 'routes').map((r) => dict(r, 'route'));
    const paths = routes.flatMap((r) => list(r.paths, 'paths').map(String));
    assert.deepEqual([...paths].sort(), ['/3cx', '/advoware', '/api/leads', '/calendar', '/vmh', '/y']);
    for (const route of routes) assert.equal(route.strip_path, false, `route ${String(route.name)} must keep its path`);
  });

  test('requires X-API-Key and limits to 600 requests a minute', () => {
    const plugins = [...list(hub?.plugins ?? [], 'service plugins'), ...list(kong.plugins ?? [], 'global plugins')].map((p) => dict(p, 'plugin'));
    const plugin = (name: string) => {
      const found = plugins.find((p) => p.name === name);
      assert.ok(found, `plugin ${name} missing`);
      return dict(found.config, `${name} config`);
    };
    const keyAuth = plugin('key-auth');
    assert.deepEqual(keyAuth.key_names, ['X-API-Key']);
    assert.notEqual(keyAuth.hide_credentials, true, 'the hub checks the key again, so KONG must forward it');
    const rateLimit = plugin('rate-limiting');
    assert.equal(rateLimit.minute, 600);
    assert.equal(rateLimit.policy, 'local');
  });

  test('has a consumer with a key credential', () => {
    const consumers = list(kong.consumers, 'consumers').map((c) => dict(c, 'consumer'));
    assert.ok(consumers.length > 0);
    for (const consumer of consumers) {
      const keys = list(consumer.keyauth_credentials, 'keyauth_credentials').map((k) => str(dict(k, 'credential').key, 'key'));
      assert.ok(keys.length > 0 && keys.every((k) => k.length >= 16), 'every consumer needs a key');
    }
  });
});

describe('register-search-attributes.sh', () => {
  const script = join(deployDir, 'register-search-attributes.sh');
  const work = mkdtempSync(join(tmpdir(), 'hub-search-attributes-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  // A stand-in `temporal` CLI: the server's attributes live in a file, every call is logged.
  const bin = join(work, 'bin');
  const state = join(work, 'registered.txt');
  const calls = join(work, 'calls.txt');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(
    join(bin, 'temporal'),
    `#!/bin/sh
echo "$*" >>"${calls}"
case "$1 $2 $3" in
  "operator cluster health") echo SERVING ;;
  "operator namespace describe") ;;
  "operator search-attribute list") printf '  Name  Type\\n  WorkflowId  Keyword\\n'; cat "${state}" 2>/dev/null || true ;;
  "operator search-attribute create")
    name=""; type=""
    while [ $# -gt 0 ]; do
      case "$1" in --name) name=$2; shift ;; --type) type=$2; shift ;; esac
      shift
    done
    echo "  $name  $type" >>"${state}" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(join(bin, 'temporal'), 0o755);

  const run = (waitSeconds = 4) =>
    spawnSync('sh', [script], {
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        SEARCH_ATTRIBUTES_FILE: join(root, 'config/search-attributes.json'),
        TEMPORAL_NAMESPACE: 'hub-ns',
        WAIT_SECONDS: String(waitSeconds),
      },
      encoding: 'utf8',
    });
  const createCalls = () =>
    (existsSync(calls) ? readFileSync(calls, 'utf8') : '').split('\n').filter((line) => line.startsWith('operator search-attribute create'));

  test('is mounted into the admin tools with config/search-attributes.json and is its entrypoint', () => {
    const mounts = mountsOf('temporal-admin-tools');
    const scriptMount = mounts.find((m) => resolve(deployDir, m.source) === script);
    const jsonMount = mounts.find((m) => resolve(deployDir, m.source) === join(root, 'config/search-attributes.json'));
    assert.ok(scriptMount && jsonMount, 'script and search-attributes.json must be mounted');
    assert.deepEqual(list(service('temporal-admin-tools').entrypoint, 'entrypoint'), ['/bin/sh', scriptMount.target]);
    assert.equal(envOf('temporal-admin-tools').SEARCH_ATTRIBUTES_FILE, jsonMount.target);
    assert.ok(statSync(script).isFile());
  });

  test('registers every attribute of config/search-attributes.json with its type', () => {
    const result = run();
    assert.equal(result.status, 0, result.stderr);
    const created = createCalls();
    assert.equal(created.length, Object.keys(searchAttributes).length);
    for (const [name, type] of Object.entries(searchAttributes)) {
      assert.ok(
        created.includes(`operator search-attribute create --namespace hub-ns --name ${name} --type ${type}`),
        `${name} (${type}) not registered; calls: ${created.join(' | ')}`,
      );
    }
  });

  test('is idempotent: a second run registers nothing', () => {
    const before = createCalls().length;
    const result = run();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(createCalls().length, before);
    assert.match(result.stderr, /already registered/);
  });

  test('fails when an attribute exists with another type', () => {
    const [first] = Object.keys(searchAttributes);
    writeFileSync(state, `  ${first}  Int\n`);
    const result = run();
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`${first} already exists with another type`));
  });

  test('gives up when the server never comes up', () => {
    writeFileSync(join(bin, 'temporal'), '#!/bin/sh\nexit 1\n');
    const result = run(0);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /gave up/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  // Instructions, with line continuations joined and comments dropped.
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const ofKind = (kind: string) =>
    instructions.filter((line) => line.toUpperCase().startsWith(`${kind} `)).map((line) => line.slice(kind.length + 1).trim());
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'));

  const copied = ofKind('COPY')
    .filter((args) => !args.startsWith('--from'))
    .flatMap((args) => {
      const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
      return parts.slice(0, -1);
    });

  test('builds on a pinned Node 20 bookworm-slim image', () => {
    const from = ofKind('FROM');
    assert.ok(from.length > 0);
    for (const image of from) assert.match(image.split(/\s+/)[0] ?? '', /^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
  });

  test('installs with npm ci, builds in a build stage and runs the compiled gateway as a non-root user', () => {
    assert.ok(
      ofKind('RUN').some((cmd) => /\bnpm ci\b/.test(cmd)),
      'dependencies must come from npm ci (the lock file)',
    );
    assert.ok(
      ofKind('RUN').some((cmd) => /\bnpm run build\b/.test(cmd)),
      'a stage must run npm run build',
    );
    const stages = ofKind('FROM');
    assert.ok(stages.length >= 2, 'multi-stage: build tools stay out of the runtime image');
    const lastFrom = instructions.map((line) => /^FROM /i.test(line)).lastIndexOf(true);
    const runtime = instructions.slice(lastFrom);
    assert.ok(
      runtime.some((line) => /^RUN .*\bnpm ci\b.*--omit=dev/i.test(line)),
      'the runtime stage installs production dependencies only',
    );
    assert.ok(
      runtime.some((line) => /^COPY --from=\S+ \S*dist\/? /i.test(line)),
      'the runtime stage takes dist/ from the build stage',
    );
    const users = ofKind('USER');
    assert.ok(users.length > 0, 'the image must switch to a non-root user');
    assert.ok(!['root', '0'].includes((users.at(-1) ?? '').split(':')[0] ?? ''), 'the final user must not be root');
    const cmd = JSON.parse(ofKind('CMD').at(-1) ?? 'null') as unknown;
    assert.deepEqual(list(cmd, 'CMD'), ['node', 'dist/api/main.js'], 'no tsx at runtime');
  });

  test('every file it COPYs exists and is not excluded by .dockerignore', () => {
    assert.ok(copied.includes('package-lock.json'));
    for (const source of copied) {
      assert.ok(existsSync(join(root, source)), `COPY ${source}: not in the repository`);
      const top = source.replace(/^\.\//, '').split('/')[0] ?? '';
      assert.ok(!ignored.includes(top) && !ignored.includes(source), `COPY ${source}: excluded by .dockerignore`);
    }
    assert.ok(ignored.includes('.env'), '.env (secrets) must stay out of the image');
    assert.ok(ignored.includes('node_modules'));
  });

  test('the image contains every module the worker and the gateway load', () => {
    const roots = copied.map((source) => join(root, source));
    // Copied into the build stage (which compiles it) and not kept out of the build context.
    const inImage = (file: string) =>
      roots.some((r) => file === r || file.startsWith(`${r}/`)) && !ignored.includes(relative(root, file).split('/')[0] ?? '');
    const resolveModule = (from: string, spec: string): string => {
      const base = resolve(dirname(from), spec);
      const candidates = [base, `${base}.ts`, join(base, 'index.ts')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      assert.ok(found, `${relative(root, from)} imports ${spec}, which does not resolve`);
      return found;
    };
    const seen = new Set<string>();
    const pending = ['workers/main.ts', 'api/main.ts'].map((f) => join(root, f));
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      assert.ok(inImage(file), `${relative(root, file)} is loaded at runtime but not copied into the image`);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require(?:\.resolve)?\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        pending.push(resolveModule(file, match[1] ?? ''));
      }
    }
    assert.ok(seen.size > 10, 'the import graph was not followed');
  });
});
