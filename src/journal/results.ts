import { rename, stat } from 'node:fs/promises';
import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter, dropTornRecord, restoreFormula } from '../csv/write.js';
import type { ChangeResult, ResultStatus } from '../model.js';
import { RUN_FILES, runFile } from './run-files.js';
import type { ApplyCounts } from './run-manifest.js';

export const RESULTS_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Status', 'Error'] as const;

/**
 * What results.csv already says: which records are done, so a resumed apply writes only the rest. Where
 * an Id has several rows (a journal written before results were kept one row per Id), the last is true.
 */
export async function readResults(runDir: string): Promise<Map<string, ResultStatus>> {
  const done = new Map<string, ResultStatus>();
  for (const result of await readResultRows(runDir)) done.set(result.id, result.status);
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
 * are written again (still only where the owner is the planned old owner). The file is rewritten whole,
 * one row per Id, so that the retried records' new rows do not stand next to their old ones.
 */
export async function resumeResults(runDir: string): Promise<Map<string, ResultStatus>> {
  const rows = await readResultRows(runDir);
  const last = new Map<string, ChangeResult>();
  for (const result of rows) last.set(result.id, result);
  const kept = [...last.values()].filter((result) => !canPass(result));
  if (kept.length < rows.length) await rewriteResults(runDir, kept);
  return new Map(kept.map((result) => [result.id, result.status]));
}

async function readResultRows(runDir: string): Promise<ChangeResult[]> {
  const path = runFile(runDir, 'results');
  await dropTornRecord(path);
  if (!(await hasRows(path))) return [];
  const table = await openCsv(path, RUN_FILES.results, { required: ['Id', 'Status'] });
  const rows: ChangeResult[] = [];
  const text = (row: Parameters<typeof cellOf>[1], column: string) =>
    restoreFormula(cellOf(table, row, column));
  for await (const row of table.rows) {
    rows.push({
      id: text(row, 'Id'),
      oldOwnerId: text(row, 'OldOwnerId'),
      newOwnerId: text(row, 'NewOwnerId'),
      status: text(row, 'Status') as ResultStatus,
      error: text(row, 'Error'),
    });
  }
  return rows;
}

/** Written beside results.csv and renamed over it: a crash leaves the old file or the new, never half. */
async function rewriteResults(runDir: string, results: ChangeResult[]): Promise<void> {
  const path = runFile(runDir, 'results');
  const temporary = `${path}.rewrite`;
  const writer = await CsvFileWriter.create(temporary, RESULTS_COLUMNS);
  await journalResults(writer, results);
  await writer.close();
  await rename(temporary, path);
}

export function countResults(statuses: Iterable<ResultStatus>): ApplyCounts {
  const counts: ApplyCounts = { updated: 0, failed: 0, skipped: 0, overridden: 0, conflict: 0 };
  for (const status of statuses) if (status in counts) counts[status]++;
  return counts;
}

/** results.csv, appended and flushed per report so that it stays true if the process dies. */
export async function openResultsJournal(runDir: string): Promise<CsvFileWriter> {
  const path = runFile(runDir, 'results');
  // An apply killed before its first flush leaves an empty file: start it again, header first.
  return CsvFileWriter.create(path, RESULTS_COLUMNS, await hasRows(path));
}

export async function journalResults(journal: CsvFileWriter, results: ChangeResult[]): Promise<void> {
  for (const r of results) await journal.write([r.id, r.oldOwnerId, r.newOwnerId, r.status, r.error]);
  await journal.flush();
}

/** The file exists and is not empty (a process killed before its first flush leaves an empty one). */
async function hasRows(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.size > 0,
    () => false,
  );
}
