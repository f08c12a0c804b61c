/** EspoCRM's `where` filter language (SPEC §4), as the REST API takes it in the query string. */
export type WhereClause =
  | {
      type: 'equals' | 'notEquals' | 'before' | 'after' | 'lessThan' | 'greaterThan';
      attribute: string;
      value: string | number | boolean;
    }
  | { type: 'in' | 'notIn'; attribute: string; value: readonly (string | number)[] }
  | { type: 'isNull' | 'isNotNull'; attribute: string }
  | { type: 'or' | 'and'; value: readonly WhereClause[] };

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
