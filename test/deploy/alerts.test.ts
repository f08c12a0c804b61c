import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { alertRules, dashboard, deployedQueries, metricNamesIn } from '../support/prometheus';

/**
 * The monitoring part of temporal-docker/ (issue 16): alert rules, Prometheus's scrape config, Grafana's provisioning.
 * That the metrics they read are exported is checked against a running worker in test/workflows/sync-metrics.test.ts.
 */

const root = resolve(__dirname, '../..');
const deployDir = join(root, 'temporal-docker');
const yamlOf = (path: string) => parse(readFileSync(join(deployDir, path), 'utf8')) as Record<string, unknown>;

describe('Prometheus alert rules (temporal-docker/prometheus/alerts.yml)', () => {
  const groups = alertRules();
  const rules = groups.flatMap((g) => g.rules);

  it('has the hub-sync group with an alert for each condition of issue 16', () => {
    assert.deepEqual(
      groups.map((g) => g.name),
      ['hub-sync'],
    );
    assert.deepEqual(rules.map((r) => r.alert).sort(), [
      'HubCalendarEmployeeNotSynced',
      'HubEntityPermanentlyFailed',
      'HubFailingEntitiesHigh',
      'HubScheduleNotRunning',
      'HubWebhook503',
    ]);
    const rule = (name: string) => rules.find((r) => r.alert === name);
    assert.equal(rule('HubFailingEntitiesHigh')?.for, '30m', 'failing entities above the threshold for 30 min');
    assert.match(rule('HubCalendarEmployeeNotSynced')?.expr ?? '', /> 3600/, 'an employee not synced for 1 h');
    assert.match(rule('HubWebhook503')?.expr ?? '', /status="503"/);
    for (const workflow of ['beteiligteSweepWorkflow', 'bankverbindungenSweepWorkflow', 'calendarSyncAllWorkflow']) {
      assert.ok(rule('HubScheduleNotRunning')?.expr.includes(`workflow="${workflow}"`), `the schedule alert watches ${workflow}`);
    }
  });

  it('every rule has a severity, a summary and a description that points at a runbook section that exists', () => {
    const runbook = readFileSync(join(root, 'docs/runbook.md'), 'utf8');
    const headings = new Set([...runbook.matchAll(/^#+\s+(.+?)\s*$/gm)].map((m) => m[1] ?? ''));
    for (const rule of rules) {
      assert.match(rule.labels?.severity ?? '', /^(critical|warning)$/, `${rule.alert}: severity`);
      assert.ok(rule.annotations?.summary, `${rule.alert}: summary`);
      const description = rule.annotations?.description ?? '';
      const sections = [...description.matchAll(/docs\/runbook\.md, "([^"]+)"|"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? '');
      assert.ok(description.includes('docs/runbook.md') && sections.length > 0, `${rule.alert}: names a runbook section`);
      // A heading's parenthesised note may be left out: "A worker process dies" names "A worker process dies (crash, …)".
      const found = (section: string) => [...headings].some((h) => h === section || h.startsWith(`${section} (`));
      for (const section of sections) assert.ok(found(section), `${rule.alert}: docs/runbook.md has no section "${section}"`);
    }
  });

  it('every expression reads at least one metric', () => {
    for (const { where, expr } of deployedQueries()) assert.ok(metricNamesIn(expr).length > 0, `${where}: ${expr}`);
  });

  it('promtool accepts the rules (skipped when promtool is not installed)', (t) => {
    const check = spawnSync('promtool', ['check', 'rules', join(deployDir, 'prometheus/alerts.yml')], { encoding: 'utf8' });
    if (check.error) {
      t.skip('promtool is not installed (it comes with Prometheus); the YAML checks above still ran');
      return;
    }
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});

describe('Prometheus and Grafana in docker-compose.yml', () => {
  const services = yamlOf('docker-compose.yml').services as Record<string, Record<string, unknown>>;
  const mounts = (name: string) => ((services[name]?.volumes ?? []) as string[]).map((v) => v.split(':'));

  it('Prometheus loads the rule file and scrapes the worker metrics port and the gateway', () => {
    const config = yamlOf('prometheus/prometheus.yml') as { rule_files: string[]; scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const mounted = new Map(mounts('prometheus').map(([source, target]) => [target, source]));
    for (const file of config.rule_files) assert.equal(mounted.get(file), './prometheus/alerts.yml', `${file} is the mounted alerts.yml`);
    const targets = config.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const workerEnv = services['hub-worker']?.environment as Record<string, string>;
    const gatewayEnv = services['hub-gateway']?.environment as Record<string, string>;
    assert.deepEqual(targets.sort(), [`hub-gateway:${gatewayEnv.PORT}`, `hub-worker:${workerEnv.WORKER_METRICS_PORT}`]);
  });

  it('Grafana gets the Prometheus datasource the dashboard refers to and the dashboard directory', () => {
    const datasources = parse(readFileSync(join(deployDir, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    const [datasource] = datasources.datasources;
    assert.equal(datasource?.url, 'http://prometheus:9090');
    const board = dashboard();
    const uids = new Set(
      JSON.stringify(board)
        .match(/"uid":\s*"[^"]+"/g)
        ?.map((m) => m.replace(/"uid":\s*"/, '').replace(/"$/, '')),
    );
    uids.delete(board.uid);
    assert.deepEqual([...uids], [datasource?.uid], 'every panel uses the provisioned datasource');

    const providers = parse(readFileSync(join(deployDir, 'grafana/provisioning/dashboards/hub.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    const mounted = new Map(mounts('grafana').map(([source, target]) => [target, source]));
    assert.equal(mounted.get(providers.providers[0]?.options.path ?? ''), './grafana/dashboards');
    assert.equal(mounted.get('/etc/grafana/provisioning/datasources'), './grafana/provisioning/datasources');
    assert.equal(mounted.get('/etc/grafana/provisioning/dashboards'), './grafana/provisioning/dashboards');
  });

  it('the dashboard shows sync outcomes, latency, API calls per system, errors, quota use and failing entities', () => {
    const exprs = dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const used = new Set(exprs.flatMap(metricNamesIn));
    for (const metric of [
      'hub_sync_runs_total',
      'hub_sync_run_duration_seconds',
      'hub_api_calls_total',
      'hub_api_errors_total',
      'hub_api_call_duration_seconds',
      'hub_rate_limit_wait_seconds',
      'hub_rate_limit_quota_per_minute',
      'hub_entities_failing',
      'hub_http_request_duration_seconds',
    ]) {
      assert.ok(used.has(metric), `a panel shows ${metric}`);
    }
  });
});
