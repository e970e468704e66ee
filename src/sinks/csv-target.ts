import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter } from '../csv/write.js';
import { toId18 } from '../ids.js';
import type { ChangeResult } from '../model.js';
import type { ApplyTarget, PlannedChange } from './target.js';

export const UPDATE_FILE = 'update.csv';

/**
 * The CSV target: writes update.csv (Id, OwnerId and stamps) for Data Loader or `sf data update bulk`.
 * When a current export is at hand, a record whose owner there is no longer the planned old owner is
 * skipped, as on Salesforce.
 */
export class CsvTarget implements ApplyTarget {
  readonly kind = 'csv';
  readonly windowSize = 5000;

  private constructor(
    private readonly writer: CsvFileWriter,
    private readonly current: Map<string, string> | undefined,
  ) {}

  static async open(
    runDir: string,
    stampFields: string[],
    freshness?: { path: string; label: string; ids: Set<string> },
  ): Promise<CsvTarget> {
    const current = freshness
      ? await readCurrentOwners(freshness.path, freshness.label, freshness.ids)
      : undefined;
    const path = join(runDir, UPDATE_FILE);
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    const writer = await CsvFileWriter.create(path, ['Id', 'OwnerId', ...stampFields], exists);
    return new CsvTarget(writer, current);
  }

  async applyWindow(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const results: ChangeResult[] = [];
    for (const change of changes) {
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const owner = this.current?.get(change.id);
      if (this.current && owner === undefined) {
        results.push({ ...base, status: 'skipped', error: 'the record is not in the current export' });
      } else if (owner !== undefined && owner !== change.oldOwnerId && owner !== change.newOwnerId) {
        results.push({
          ...base,
          status: 'skipped',
          error: `the owner is now ${owner}, not the planned ${change.oldOwnerId}`,
        });
      } else {
        await this.writer.write([change.id, change.newOwnerId, ...Object.values(change.stamps)]);
        results.push({ ...base, status: 'updated', error: '' });
      }
    }
    // update.csv must hold every row results.csv calls updated, so it is flushed first.
    await this.writer.flush();
    await report(results);
  }

  apiCalls(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}

/** The owners, in a current export, of the records the plan touches (and only those: memory stays bounded by the plan). */
async function readCurrentOwners(
  path: string,
  label: string,
  ids: Set<string>,
): Promise<Map<string, string>> {
  const table = await openCsv(path, label, { required: ['Id', 'OwnerId'] });
  const owners = new Map<string, string>();
  for await (const row of table.rows) {
    const id = toId18(cellOf(table, row, 'Id'));
    if (!id || !ids.has(id)) continue;
    owners.set(id, toId18(cellOf(table, row, 'OwnerId')) ?? cellOf(table, row, 'OwnerId'));
  }
  return owners;
}
