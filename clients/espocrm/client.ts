import { stringify } from 'qs';
import type { EspoCrmConfig } from '../../config/env';
import { keepAlive, noCallScope, type CallScopeProvider } from '../../lib/call-scope';
import { failForStatus, isSuccess, sendHttp, type HttpResponse } from '../http';
import type { WhereClause } from '../../contracts/espocrm';
import { MAX_PAGE_SIZE, type ListParams, type ListResult } from './where';

export interface EspoEntity {
  id: string;
  modifiedAt?: string | null;
  [field: string]: unknown;
}

export interface NotificationInput {
  userId: string;
  message: string;
  relatedType?: string;
  relatedId?: string;
}

export interface EspoCrmClientOptions {
  /** `ESPOCRM_API_BASE_URL`, ending in `/api/v1`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** The caller's cancellation and heartbeat, asked for at every request; none by default. */
  scope?: CallScopeProvider;
}

/** The one way the hub talks to EspoCRM; failures are classified like Advoware's. */
export class EspoCrmClient {
  private readonly baseUrl: string;

  constructor(private readonly options: EspoCrmClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get<T extends EspoEntity>(entityType: string, id: string): Promise<T> {
    return this.call<T>('GET', `${entityType}/${encodeURIComponent(id)}`);
  }

  create<T extends EspoEntity>(entityType: string, data: Record<string, unknown>): Promise<T> {
    return this.call<T>('POST', entityType, data);
  }

  /** Partial update: only the given fields change. */
  update<T extends EspoEntity>(entityType: string, id: string, patch: Record<string, unknown>): Promise<T> {
    return this.call<T>('PUT', `${entityType}/${encodeURIComponent(id)}`, patch);
  }

  async remove(entityType: string, id: string): Promise<void> {
    await this.call<unknown>('DELETE', `${entityType}/${encodeURIComponent(id)}`);
  }

  list<T extends EspoEntity>(entityType: string, params: ListParams = {}): Promise<ListResult<T>> {
    const query = stringify(
      {
        where: params.where,
        maxSize: params.maxSize,
        offset: params.offset,
        orderBy: params.orderBy,
        order: params.order,
        select: params.select?.join(','),
      },
      { skipNulls: true },
    );
    return this.call<ListResult<T>>('GET', query ? `${entityType}?${query}` : entityType);
  }

  /**
   * One page of the entities matching `where` with an id above `afterId`, in id order.
   * Keyed by id rather than by offset, so entities that stop matching while we page
   * (their sync finished) do not shift later pages and make us skip some. `total` counts the matching entities
   * from `afterId` on, so the first page's is the whole count. `select` narrows the attributes (`id` is always read:
   * the cursor needs it).
   */
  async listPage<T extends EspoEntity>(
    entityType: string,
    where: readonly WhereClause[],
    afterId: string | undefined,
    requestedPageSize = MAX_PAGE_SIZE,
    select?: readonly string[],
  ): Promise<{ list: T[]; nextAfterId: string | undefined; total: number }> {
    // EspoCRM refuses pages over its limit with 403, and a page size below 1 would never end.
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(requestedPageSize)));
    const cursor: WhereClause[] = afterId === undefined ? [] : [{ type: 'greaterThan', attribute: 'id', value: afterId }];
    const page = await this.list<T>(entityType, {
      where: [...where, ...cursor],
      maxSize: pageSize,
      orderBy: 'id',
      order: 'asc',
      select: select && [...new Set(['id', ...select])],
    });
    const last = page.list.length < pageSize ? undefined : page.list[page.list.length - 1]?.id;
    return { list: page.list, nextAfterId: last, total: page.total };
  }

  /** Every entity matching `where`, page by page (see `listPage`). */
  async *listAll<T extends EspoEntity>(entityType: string, where: readonly WhereClause[] = [], pageSize = MAX_PAGE_SIZE): AsyncGenerator<T> {
    let after: string | undefined;
    do {
      const page = await this.listPage<T>(entityType, where, after, pageSize);
      yield* page.list;
      after = page.nextAfterId;
    } while (after !== undefined);
  }

  /** In-app notification (SPEC §4). */
  notify(input: NotificationInput): Promise<EspoEntity> {
    return this.create('Notification', { type: 'Message', ...input });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const scope = (this.options.scope ?? noCallScope)();
    const request = {
      method,
      url: `${this.baseUrl}/${path}`,
      displayPath: path.split('?')[0] ?? path,
      body,
      timeoutMs: this.options.timeoutMs,
      headers: { 'X-Api-Key': this.options.apiKey },
      signal: scope.signal,
    };
    const stopHeartbeats = keepAlive(scope);
    let res: HttpResponse;
    try {
      res = await sendHttp('EspoCrm', request);
    } finally {
      stopHeartbeats();
    }
    if (!isSuccess(res.status)) {
      // EspoCRM puts the reason of a 4xx in a header, not the body.
      const reason = res.headers.get('x-status-reason');
      failForStatus('EspoCrm', request, reason ? { ...res, body: reason } : res);
    }
    return res.body as T;
  }
}

/** `scope`: the worker passes the activity's. */
export function createEspoCrmClient(config: EspoCrmConfig, scope: CallScopeProvider = noCallScope): EspoCrmClient {
  return new EspoCrmClient({
    baseUrl: config.ESPOCRM_API_BASE_URL,
    apiKey: config.ESPOCRM_API_KEY,
    timeoutMs: config.ESPOCRM_TIMEOUT_MS,
    scope,
  });
}
