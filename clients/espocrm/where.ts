import type { WhereClause } from '../../contracts/espocrm';

export interface ListParams {
  where?: readonly WhereClause[];
  /** Page size; EspoCRM allows at most 200. */
  maxSize?: number;
  offset?: number;
  orderBy?: string;
  order?: 'asc' | 'desc';
  select?: readonly string[];
}

export interface ListResult<T> {
  total: number;
  list: T[];
}

export const MAX_PAGE_SIZE = 200;
