import { join } from 'node:path';
import { CsvFileWriter } from '../csv/write.js';
import { runFile, updateFileOf } from '../journal/run-files.js';
import { pathExists } from '../journal/run-home.js';
import type { ChangeResult } from '../model.js';
import { CurrentOwners, type FreshnessFiles } from './current-owners.js';
import { ownerVerdict } from './owner-check.js';
import type { PlannedChange, Sink } from './sink.js';

/**
 * The CSV sink: writes update.csv (Id, OwnerId and stamps) for Data Loader or `sf data update bulk`.
 * When a current export is at hand, a record whose owner there is no longer the planned old owner is
 * skipped, as on Salesforce.
 */
export class CsvSink implements Sink {
  readonly kind = 'csv';
  /** A window costs one flush of the update files and of results.csv and no request; a small one keeps
   * the records in flight young, so they are collected before they reach the old heap. */
  readonly windowSize = 2000;
  private readonly cascaded = new Map<string, CsvFileWriter>();

  private constructor(
    private readonly runDir: string,
    private readonly object: string,
    private readonly writer: CsvFileWriter,
    private readonly current: CurrentOwners | undefined,
  ) {}

  /**
   * `freshness` names an export of the plan's own object, read whole here; cascaded records are not
   * checked against it.
   */
  static async open(
    runDir: string,
    object: string,
    stampFields: string[],
    freshness?: FreshnessFiles,
  ): Promise<CsvSink> {
    const current = freshness ? await CurrentOwners.read(freshness) : undefined;
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
      const owner = checked ? this.current?.ownerOf(change) : undefined;
      // Without a current export there is nothing to check against: every change is written.
      const verdict = owner === undefined ? undefined : ownerVerdict(change, owner);
      if (checked && owner === undefined) {
        results.push({ ...base, status: 'skipped', error: 'the record is not in the current export' });
      } else if (verdict?.kind === 'skip') {
        results.push({ ...base, status: 'skipped', error: verdict.error });
      } else {
        const writer = change.object === this.object ? this.writer : await this.writerFor(change.object);
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
  return CsvFileWriter.create(path, header, await pathExists(path), { exact: true });
}
