import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter, dropTornRecord } from '../csv/write.js';
import { IdTable } from '../journal/id-table.js';
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
    /** Ids already in the update files: a kill between a row and its journal line left them there. */
    private readonly inFiles: IdTable,
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
    const path = runFile(runDir, 'update');
    const inFiles = await idsInUpdateFiles(runDir, path);
    const writer = await openUpdateFile(path, ['Id', 'OwnerId', ...stampFields]);
    return new CsvSink(runDir, object, writer, current, inFiles);
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
        // A resume after a kill must not add a second row for an Id the file already holds.
        if (!this.inFiles.has(change.id)) {
          const writer = change.object === this.object ? this.writer : await this.writerFor(change.object);
          await writer.write([change.id, change.newOwnerId, ...Object.values(change.stamps)]);
        }
        results.push({ ...base, status: 'updated', error: '' });
      }
    }
    // The update files must hold every row results.csv calls updated, so they are flushed first.
    await Promise.all([this.writer, ...this.cascaded.values()].map((writer) => writer.flush()));
    await report(results);
  }

  mayHaveWritten(id: string): boolean {
    return this.inFiles.has(id);
  }

  /** A row already in an update file is never written again: applying it only journals it. */
  settleWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void> {
    return this.applyWindow(
      changes.filter((change) => this.inFiles.has(change.id)),
      report,
    );
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

/** The Ids of update.csv and every update-<Object>.csv a stopped apply left in the run directory. */
async function idsInUpdateFiles(runDir: string, main: string): Promise<IdTable> {
  const ids = new IdTable(0, 8);
  const names = await readdir(runDir).catch(() => [] as string[]);
  const object = (name: string) => /^update-(.+)\.csv$/.exec(name)?.[1];
  const cascaded = names
    .filter((name) => {
      const of = object(name);
      return of !== undefined && updateFileOf(of) === name;
    })
    .map((name) => join(runDir, name));
  for (const path of [main, ...cascaded]) {
    if (!(await pathExists(path))) continue;
    await dropTornRecord(path);
    const table = await openCsv(path, path, { required: ['Id'] });
    for await (const row of table.rows) ids.set(cellOf(table, row, 'Id'), 1);
  }
  return ids;
}

async function openUpdateFile(path: string, header: string[]): Promise<CsvFileWriter> {
  return CsvFileWriter.create(path, header, await pathExists(path), { exact: true });
}
