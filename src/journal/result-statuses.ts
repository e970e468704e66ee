import type { ResultStatus } from '../model.js';
import { IdTable } from './id-table.js';

const STATUSES: readonly ResultStatus[] = ['updated', 'failed', 'skipped', 'overridden', 'conflict'];
const CODE = new Map<string, number>(STATUSES.map((status, code) => [status, code]));

/**
 * Each journalled record's status, as results.csv says: one byte and a packed Id a record, so that an
 * apply of millions of changes (and its resume) stays within the memory of the plan. A status leadshift
 * does not write (a hand-edited file) is kept as written.
 */
export class ResultStatuses {
  private readonly table: IdTable;
  private readonly unknown = new Map<string, string>();

  constructor(expected = 0) {
    this.table = new IdTable(expected, 8);
  }

  get size(): number {
    return this.table.size + this.unknown.size;
  }

  has(id: string): boolean {
    return this.table.has(id) || this.unknown.has(id);
  }

  get(id: string): ResultStatus | undefined {
    const code = this.table.get(id);
    if (code !== undefined) return STATUSES[code];
    return this.unknown.get(id) as ResultStatus | undefined;
  }

  set(id: string, status: ResultStatus): this {
    const code = CODE.get(status);
    if (code === undefined) this.unknown.set(id, status);
    else {
      this.unknown.delete(id);
      this.table.set(id, code);
    }
    return this;
  }

  *values(): IterableIterator<ResultStatus> {
    for (const code of this.table.storedValues()) yield STATUSES[code] as ResultStatus;
    yield* this.unknown.values() as IterableIterator<ResultStatus>;
  }
}
