import type { EntityRecord } from './model.js';

interface Row {
  record: EntityRecord;
  /** Soft-deleted rows stay stored (like EspoCRM's `deleted = 1`) but are invisible. */
  deleted: boolean;
}

/** In-memory tables per entity type, in insertion order. Hands out copies only. */
export class EntityStore {
  private readonly tables = new Map<string, Map<string, Row>>();

  insert(type: string, record: EntityRecord): void {
    this.table(type).set(record.id, { record: structuredClone(record), deleted: false });
  }

  get(type: string, id: string): EntityRecord | undefined {
    const row = this.tables.get(type)?.get(id);
    return row && !row.deleted ? structuredClone(row.record) : undefined;
  }

  replace(type: string, record: EntityRecord): void {
    const row = this.tables.get(type)?.get(record.id);
    if (!row) throw new Error(`no ${type} ${record.id}`);
    row.record = structuredClone(record);
  }

  markDeleted(type: string, id: string): boolean {
    const row = this.tables.get(type)?.get(id);
    if (!row || row.deleted) return false;
    row.deleted = true;
    return true;
  }

  /** Live rows in insertion order. Not copied: callers only read them. */
  live(type: string): readonly EntityRecord[] {
    const rows = this.tables.get(type);
    if (!rows) return [];
    const out: EntityRecord[] = [];
    for (const row of rows.values()) if (!row.deleted) out.push(row.record);
    return out;
  }

  clear(): void {
    this.tables.clear();
  }

  private table(type: string): Map<string, Row> {
    let rows = this.tables.get(type);
    if (!rows) {
      rows = new Map();
      this.tables.set(type, rows);
    }
    return rows;
  }
}
