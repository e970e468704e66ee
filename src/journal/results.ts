import { rename, stat } from 'node:fs/promises';
import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter, dropTornRecord, restoreFormula } from '../csv/write.js';
import type { ChangeResult, ResultStatus } from '../model.js';
import { IdTable } from './id-table.js';
import { ResultStatuses } from './result-statuses.js';
import { RUN_FILES, runFile } from './run-files.js';
import type { ApplyCounts } from './run-manifest.js';

export const RESULTS_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Status', 'Error'] as const;

/** results.csv's columns: with `Object` when the plan holds several objects (a cascade, or `objects:`). */
export function resultColumns(withObject: boolean): string[] {
  return [...RESULTS_COLUMNS, ...(withObject ? ['Object'] : [])];
}

/** results.csv open for appending, and whether its rows name their object. */
export interface ResultsJournal {
  writer: CsvFileWriter;
  withObject: boolean;
  close(): Promise<void>;
}

/**
/**
 * What results.csv already says: which records are done, so a resumed apply writes only the rest.
 * `expected` (the plan's change count) sizes the table once instead of growing it. Where an Id has
 * several rows (a journal written before results were kept one row per Id), the last is true.
 */
export async function readResults(runDir: string, expected = 0): Promise<ResultStatuses> {
  const done = new ResultStatuses(expected);
  for await (const result of readResultRows(runDir)) done.set(result.id, result.status);
  return done;
}

/**
 * Failures no second attempt can mend: the record is converted or gone. Every other failure (a lock, a
 * timeout, a validation rule, an owner since reactivated) is tried again by the next apply.
 */
const FINAL_FAILURES = /^(CANNOT_UPDATE_CONVERTED_LEAD|ENTITY_IS_DELETED)\b/;

export function canPass(result: Pick<ChangeResult, 'status' | 'error'>): boolean {
  return result.status === 'failed' && !FINAL_FAILURES.test(result.error);
}

/**
 * results.csv as an apply starts from it: the records done, without the failures that can pass, so they
 * are written again (still only where the owner is the planned old owner). When some rows must go, the
 * file is rewritten one row per Id, so that the retried records' new rows do not stand next to their old
 * ones. Two streaming passes keep memory to a packed Id table, whatever the number of records.
 */
export async function resumeResults(runDir: string, expected = 0): Promise<ResultStatuses> {
  const lastRow = new IdTable(expected, 32);
  const statuses = new ResultStatuses(expected);
  let rows = 0;
  let dropped = false;
  for await (const result of readResultRows(runDir)) {
    if (lastRow.has(result.id) || canPass(result)) dropped = true;
    lastRow.set(result.id, rows++);
    statuses.set(result.id, result.status);
  }
  if (!dropped) return statuses;
  return rewriteResults(
    runDir,
    expected,
    (result, row) => lastRow.get(result.id) === row && !canPass(result),
  );
}

async function* readResultRows(runDir: string): AsyncGenerator<ChangeResult> {
  const path = runFile(runDir, 'results');
  await dropTornRecord(path);
  if (!(await hasRows(path))) return;
  const table = await openCsv(path, RUN_FILES.results, { required: ['Id', 'Status'] });
  const text = (row: Parameters<typeof cellOf>[1], column: string) =>
    restoreFormula(cellOf(table, row, column));
  const withObject = table.index.has('object');
  for await (const row of table.rows) {
    yield {
      id: text(row, 'Id'),
      oldOwnerId: text(row, 'OldOwnerId'),
      newOwnerId: text(row, 'NewOwnerId'),
      status: text(row, 'Status') as ResultStatus,
      error: text(row, 'Error'),
      ...(withObject ? { object: text(row, 'Object') } : {}),
    };
  }
}

/** Written beside results.csv and renamed over it: a crash leaves the old file or the new, never half. */
async function rewriteResults(
  runDir: string,
  expected: number,
  keep: (result: ChangeResult, row: number) => boolean,
): Promise<ResultStatuses> {
  const path = runFile(runDir, 'results');
  const temporary = `${path}.rewrite`;
  const withObject = await namesObjects(path);
  const journal = journalOf(await CsvFileWriter.create(temporary, resultColumns(withObject)), withObject);
  const kept = new ResultStatuses(expected);
  let row = 0;
  let batch: ChangeResult[] = [];
  for await (const result of readResultRows(runDir)) {
    if (!keep(result, row++)) continue;
    kept.set(result.id, result.status);
    batch.push(result);
    if (batch.length >= 2000) {
      await journalResults(journal, batch);
      batch = [];
    }
  }
  await journalResults(journal, batch);
  await journal.close();
  await rename(temporary, path);
  return kept;
}

export function countResults(statuses: Iterable<ResultStatus>): ApplyCounts {
  const counts: ApplyCounts = { updated: 0, failed: 0, skipped: 0, overridden: 0, conflict: 0 };
  for (const status of statuses) if (status in counts) counts[status]++;
  return counts;
}

/**
 * results.csv, appended and flushed per report so that it stays true if the process dies. A file begun
 * already keeps its own columns (a resume of a plan written by an earlier version has no Object).
 */
export async function openResultsJournal(runDir: string, withObject = false): Promise<ResultsJournal> {
  const path = runFile(runDir, 'results');
  // An apply killed before its first flush leaves an empty file: start it again, header first.
  const begun = await hasRows(path);
  const named = begun ? await namesObjects(path) : withObject;
  return journalOf(await CsvFileWriter.create(path, resultColumns(named), begun), named);
}

function journalOf(writer: CsvFileWriter, withObject: boolean): ResultsJournal {
  return { writer, withObject, close: () => writer.close() };
}

async function namesObjects(path: string): Promise<boolean> {
  if (!(await hasRows(path))) return false;
  await dropTornRecord(path);
  const table = await openCsv(path, RUN_FILES.results, { headerOnly: true });
  table.close();
  return table.index.has('object');
}

export async function journalResults(journal: ResultsJournal, results: ChangeResult[]): Promise<void> {
  for (const r of results) {
    const cells = [r.id, r.oldOwnerId, r.newOwnerId, r.status, r.error];
    await journal.writer.write(journal.withObject ? [...cells, r.object ?? ''] : cells);
  }
  await journal.writer.flush();
}

/** The file exists and is not empty (a process killed before its first flush leaves an empty one). */
export async function hasRows(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.size > 0,
    () => false,
  );
}
