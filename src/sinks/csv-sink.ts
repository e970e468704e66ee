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
  private readonly writers = new Map<string, CsvFileWriter>();

  private constructor(
    private readonly runDir: string,
    private readonly files: UpdateFiles,
    /** Each checked object's owners in its current export. */
    private readonly current: ReadonlyMap<string, CurrentOwners>,
    /** Ids already in the update files: a kill between a row and its journal line left them there. */
    private readonly inFiles: IdTable,
  ) {}

  /**
   * `freshness` names a current export for each object that is checked, read whole here; a record of an
   * object without one (an Account's cascaded contacts in a one-object plan) is not checked.
   */
  static async open(
    runDir: string,
    files: UpdateFiles,
    freshness: readonly FreshnessFiles[],
  ): Promise<CsvSink> {
    const current = new Map<string, CurrentOwners>();
    for (const files of freshness) current.set(files.object, await CurrentOwners.read(files));
    const inFiles = await idsInUpdateFiles(runDir, runFile(runDir, 'update'));
    const sink = new CsvSink(runDir, files, current, inFiles);
    // A one-object plan's update.csv is there even when nothing gets written to it.
    if (files.main !== undefined) await sink.writerFor(files.main);
    return sink;
  }

  async applyWindow(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const results: ChangeResult[] = [];
    for (const change of changes) {
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const current = this.current.get(change.object);
      const owner = current?.ownerOf(change);
      // Without a current export there is nothing to check against: every change is written.
      const verdict = owner === undefined ? undefined : ownerVerdict(change, owner);
      if (current && owner === undefined) {
        results.push({ ...base, status: 'skipped', error: 'the record is not in the current export' });
      } else if (verdict?.kind === 'skip') {
        results.push({ ...base, status: 'skipped', error: verdict.error });
      } else {
        // A resume after a kill must not add a second row for an Id the file already holds.
        if (!this.inFiles.has(change.id)) {
          const writer = await this.writerFor(change.object);
          await writer.write([change.id, change.newOwnerId, ...Object.values(change.stamps)]);
        }
        results.push({ ...base, status: 'updated', error: '' });
      }
    }
    // The update files must hold every row results.csv calls updated, so they are flushed first.
    await Promise.all([...this.writers.values()].map((writer) => writer.flush()));
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

  /**
   * Data Loader loads one object per file: a one-object plan's records go to update.csv, cascaded ones
   * and every object of a plan of several to update-<Object>.csv.
   */
  private async writerFor(object: string): Promise<CsvFileWriter> {
    let writer = this.writers.get(object);
    if (!writer) {
      const path =
        object === this.files.main ? runFile(this.runDir, 'update') : join(this.runDir, updateFileOf(object));
      writer = await openUpdateFile(path, ['Id', 'OwnerId', ...this.files.stampsOf(object)]);
      this.writers.set(object, writer);
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
    await Promise.all([...this.writers.values()].map((writer) => writer.close()));
  }
}

/** Which update file each object's records go to, and the stamp fields each carries. */
export interface UpdateFiles {
  /** The object written to update.csv (a one-object plan's); none for a plan of several objects. */
  main?: string;
  stampsOf(object: string): string[];
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
