import { join } from 'node:path';
import { scanNamedColumns } from '../csv/scan.js';
import { CsvFileWriter } from '../csv/write.js';
import { toId18 } from '../ids.js';
import type { IdTable } from '../journal/id-table.js';
import { runFile, updateFileOf } from '../journal/run-files.js';
import { pathExists } from '../journal/run-home.js';
import type { ChangeResult } from '../model.js';
import { ownerVerdict } from './owner-check.js';
import type { PlannedChange, Sink } from './sink.js';

/**
 * The CSV sink: writes update.csv (Id, OwnerId and stamps) for Data Loader or `sf data update bulk`.
 * When a current export is at hand, a record whose owner there is no longer the planned old owner is
 * skipped, as on Salesforce.
 */
export class CsvSink implements Sink {
  readonly kind = 'csv';
  /** Large: a window costs one flush of the update files and of results.csv, and no request. */
  readonly windowSize = 10_000;
  private readonly cascaded = new Map<string, CsvFileWriter>();

  private constructor(
    private readonly runDir: string,
    private readonly object: string,
    private readonly writer: CsvFileWriter,
    private readonly current: CurrentOwners | undefined,
  ) {}

  /**
   * `freshness` is an export of the plan's own object, and the table of the plan's records of that
   * object (all values 0), which it fills with their current owners; cascaded records are not checked.
   */
  static async open(
    runDir: string,
    object: string,
    stampFields: string[],
    freshness?: { path: string; label: string; planned: IdTable },
  ): Promise<CsvSink> {
    const current = freshness
      ? await CurrentOwners.read(freshness.path, freshness.label, freshness.planned)
      : undefined;
    const writer = await openUpdateFile(runFile(runDir, 'update'), ['Id', 'OwnerId', ...stampFields]);
    return new CsvSink(runDir, object, writer, current);
  }

  async applyWindow(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const results: ChangeResult[] = [];
    for (const change of changes) {
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const checked = this.current && change.object === this.object;
      const owner = checked ? this.current?.ownerOf(change.id) : undefined;
      // Without a current export there is nothing to check against: every change is written.
      const verdict = owner === undefined ? undefined : ownerVerdict(change, owner);
      if (checked && owner === undefined) {
        results.push({ ...base, status: 'skipped', error: 'the record is not in the current export' });
      } else if (verdict?.kind === 'skip') {
        results.push({ ...base, status: 'skipped', error: verdict.error });
      } else {
        const writer = await this.writerFor(change.object);
        await writer.write([change.id, change.newOwnerId, ...Object.values(change.stamps)]);
        results.push({ ...base, status: 'updated', error: '' });
      }
    }
    // The update files must hold every row results.csv calls updated, so they are flushed first.
    await Promise.all([this.writer, ...this.cascaded.values()].map((writer) => writer.flush()));
    await report(results);
  }

  /** Data Loader loads one object per file: cascaded records go to update-<Object>.csv. */
  private async writerFor(object: string): Promise<CsvFileWriter> {
    if (object === this.object) return this.writer;
    let writer = this.cascaded.get(object);
    if (!writer) {
      writer = await openUpdateFile(join(this.runDir, updateFileOf(object)), ['Id', 'OwnerId']);
      this.cascaded.set(object, writer);
    }
    return writer;
  }

  estimateCalls(): number {
    return 0;
  }

  async remainingApiRequests(): Promise<undefined> {
    return undefined;
  }

  apiCalls(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.all([this.writer, ...this.cascaded.values()].map((writer) => writer.close()));
  }
}

async function openUpdateFile(path: string, header: string[]): Promise<CsvFileWriter> {
  return CsvFileWriter.create(path, header, await pathExists(path));
}

/**
 * The owners, in a current export, of the records the plan touches, and only those: the export may be
 * in any order and much larger than the plan, so each planned record keeps a packed Id and the index of
 * its owner (owners are few), never a string of its own.
 */
class CurrentOwners {
  private constructor(
    private readonly planned: IdTable,
    private readonly owners: string[],
  ) {}

  static async read(path: string, label: string, planned: IdTable): Promise<CurrentOwners> {
    const owners: string[] = [];
    const indexOf = new Map<string, number>();
    const required = { required: ['Id', 'OwnerId'] };
    for await (const batch of scanNamedColumns(path, label, ['Id', 'OwnerId'], required)) {
      for (const { cells } of batch) {
        const id = (cells[0] as string).trim();
        // Most of an export is not in the plan: the lookup comes first, the Id check only for a hit.
        if (planned.get(id) === undefined || !toId18(id)) continue;
        const text = (cells[1] as string).trim();
        const owner = toId18(text) ?? text;
        let index = indexOf.get(owner);
        if (index === undefined) {
          index = owners.push(owner) - 1;
          indexOf.set(owner, index);
        }
        planned.set(id, index + 1);
      }
    }
    return new CurrentOwners(planned, owners);
  }

  /** The record's owner in the export; undefined when the export does not have the record. */
  ownerOf(id: string): string | undefined {
    const value = this.planned.get(id);
    return value ? this.owners[value - 1] : undefined;
  }
}
