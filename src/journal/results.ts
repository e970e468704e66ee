import { stat } from 'node:fs/promises';
import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter, dropTornRecord } from '../csv/write.js';
import type { ChangeResult, ResultStatus } from '../model.js';
import { ResultStatuses } from './result-statuses.js';
import { RUN_FILES, runFile } from './run-files.js';
import type { ApplyCounts } from './run-manifest.js';

export const RESULTS_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Status', 'Error'] as const;

/**
 * What results.csv already says: which records are done, so a resumed apply writes only the rest.
 * `expected` (the plan's change count) sizes the table once instead of growing it.
 */
export async function readResults(runDir: string, expected = 0): Promise<ResultStatuses> {
  const path = runFile(runDir, 'results');
  const done = new ResultStatuses(expected);
  await dropTornRecord(path);
  if (!(await hasRows(path))) return done;
  const table = await openCsv(path, RUN_FILES.results, { required: ['Id', 'Status'] });
  for await (const row of table.rows)
    done.set(cellOf(table, row, 'Id'), cellOf(table, row, 'Status') as ResultStatus);
  return done;
}

export function countResults(statuses: Iterable<ResultStatus>): ApplyCounts {
  const counts: ApplyCounts = { updated: 0, failed: 0, skipped: 0, overridden: 0 };
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
