import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { parse as parseQuery } from 'qs';

/** One injected fault. Every field but `id` is optional; an empty rule fails every call. */
export interface FaultRule {
  id: string;
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** Regular expression (source) tested against the request path; any when absent. */
  path?: string;
  /** Status to answer with instead of calling the handler; the handler runs when absent (latency-only fault). */
  status?: number;
  /** Body sent with `status`; a JSON `{error}` when absent. */
  body?: unknown;
  /** Delay before the request is handled (or failed). */
  latencyMs?: number;
  /** Probability 0..1 that the rule fires on a matching call; 1 when absent. */
  failureRate?: number;
  /** How many more times the rule may fire; unlimited when absent. */
  times?: number;
}

export type FaultSpec = Omit<FaultRule, 'id'>;

export interface CallRecord {
  method: string;
  /** The route pattern that handled the call, e.g. `GET /api/v1/advonet/Beteiligte/:betNr`. */
  route: string;
  path: string;
  status: number;
  /** Epoch milliseconds when the call arrived. */
  at: number;
  /** True when an injected fault answered instead of the handler. */
  faulted: boolean;
}

/** Per-endpoint call counters and a bounded log of every call, for tests and benchmarks. */
export class CallLog {
  private readonly records: CallRecord[] = [];
  constructor(private readonly maxRecords = 100_000) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
  }

  /** Number of calls, all of them or those whose route key (`METHOD /pattern`) equals or matches `route`. */
  count(route?: string | RegExp): number {
    return this.filter(route).length;
  }

  filter(route?: string | RegExp): CallRecord[] {
    if (route === undefined) return [...this.records];
    return this.records.filter((r) => (typeof route === 'string' ? r.route === route : route.test(r.route)));
  }

  byRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.records) counts[r.route] = (counts[r.route] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.records.length = 0;
  }
}

/** Injected faults, matched in the order they were added. */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(spec: FaultSpec): FaultRule {
    if (spec.path !== undefined) new RegExp(spec.path); // throws on a bad pattern before it is stored
    const rule: FaultRule = { id: randomUUID(), ...spec };
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The first matching rule that fires for this call (consuming one of its `times`), if any. */
  take(method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path && !new RegExp(rule.path).test(path)) continue;
      if (rule.failureRate !== undefined && Math.random() >= rule.failureRate) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times -= 1;
      }
      return rule;
    }
    return undefined;
  }
}

const ADMIN_PREFIX = '/__admin';

/**
 * Base of every external-system simulator: a real HTTP server with per-endpoint
 * call counters, fault injection and an admin API under `/__admin`
 * (not counted, never faulted). Subclasses register the system's own routes in
 * `registerRoutes` and may add admin routes in `registerAdminRoutes`.
 */
export abstract class Simulator {
  readonly calls = new CallLog();
  readonly faults = new FaultInjector();
  readonly app: Express;
  private server?: Server;
  private baseUrl?: string;

  protected constructor(readonly name: string) {
    this.app = express();
    // EspoCRM-style nested query strings (where[0][value][1]=…) need qs with generous limits.
    this.app.set('query parser', (query: string) => parseQuery(query, { arrayLimit: 1000, depth: 10, parameterLimit: 10_000 }));
    this.app.disable('x-powered-by');
    this.app.use(express.json({ limit: '5mb' }));

    const admin = express.Router();
    this.registerCoreAdminRoutes(admin);
    this.registerAdminRoutes(admin);
    this.app.use(ADMIN_PREFIX, admin);

    this.app.use((req, res, next) => this.recordAndInjectFaults(req, res, next));
    this.registerRoutes(this.app);
    this.app.use((req, res) => {
      res.status(404).json({ error: `${this.name} simulator: no route ${req.method} ${req.path}` });
    });
    this.app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const status = (err as { status?: number }).status ?? 500;
      res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** The system's own endpoints. */
  protected abstract registerRoutes(app: Express): void;

  /** Extra admin endpoints of one simulator (mounted under `/__admin`). */
  protected registerAdminRoutes(_admin: express.Router): void {}

  /** Put the simulated system back to its initial data. Counters and faults are cleared by `reset()`. */
  protected abstract resetData(): void;

  /** Back to the initial state: data, counters and faults. */
  reset(): void {
    this.resetData();
    this.calls.reset();
    this.faults.clear();
  }

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.name} simulator is not started`);
    return this.baseUrl;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = this.app.listen(port, host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private recordAndInjectFaults(req: Request, res: Response, next: NextFunction): void {
    const at = Date.now();
    let faulted = false;
    res.on('finish', () => {
      // req.route is set only when a route handler matched; its pattern is the counter key.
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = `${req.method} ${pattern !== undefined ? req.baseUrl + pattern : req.path}`;
      this.calls.add({ method: req.method, route, path: req.path, status: res.statusCode, at, faulted });
    });
    const rule = this.faults.take(req.method, req.path);
    if (!rule) return next();
    const fire = (): void => {
      if (rule.status === undefined) return next();
      faulted = true;
      res.status(rule.status).json(rule.body ?? { error: `injected fault ${rule.status}` });
    };
    if (rule.latencyMs) setTimeout(fire, rule.latencyMs);
    else fire();
  }

  private registerCoreAdminRoutes(admin: express.Router): void {
    admin.get('/calls', (_req, res) => {
      res.json({ total: this.calls.count(), byRoute: this.calls.byRoute(), log: this.calls.filter() });
    });
    admin.delete('/calls', (_req, res) => {
      this.calls.reset();
      res.status(204).end();
    });
    admin.get('/faults', (_req, res) => {
      res.json(this.faults.list());
    });
    admin.post('/faults', (req, res) => {
      try {
        res.status(201).json(this.faults.add(parseFaultSpec(req.body)));
      } catch (err) {
        res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
      }
    });
    admin.delete('/faults', (_req, res) => {
      this.faults.clear();
      res.status(204).end();
    });
    admin.delete('/faults/:id', (req, res) => {
      res.status(this.faults.remove(req.params.id) ? 204 : 404).end();
    });
    admin.post('/reset', (_req, res) => {
      this.reset();
      res.status(204).end();
    });
  }
}

function parseFaultSpec(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null) throw new Error('fault must be a JSON object');
  const b = body as Record<string, unknown>;
  const spec: FaultSpec = {};
  const optional = <T>(key: string, check: (v: unknown) => v is T): T | undefined => {
    const v = b[key];
    if (v === undefined) return undefined;
    if (!check(v)) throw new Error(`fault field "${key}" has the wrong type`);
    return v;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  spec.method = optional('method', isString);
  spec.path = optional('path', isString);
  spec.status = optional('status', isNumber);
  spec.latencyMs = optional('latencyMs', isNumber);
  spec.failureRate = optional('failureRate', isNumber);
  spec.times = optional('times', isNumber);
  if (b.body !== undefined) spec.body = b.body;
  for (const key of Object.keys(spec) as (keyof FaultSpec)[]) if (spec[key] === undefined) delete spec[key];
  return spec;
}
