import { cellOf, openCsv } from '../csv/read.js';
import { CsvFileWriter, dropTornRecord } from '../csv/write.js';
import { toId18 } from '../ids.js';
import type { ResultStatus } from '../model.js';
import { OBJECT_COLUMN, PLAN_COLUMNS } from '../plan/plan-rows.js';
import { type PlannedChange, readPlanFile } from './plan-file.js';
import { RUN_FILES, runFile } from './run-files.js';
import { pathExists } from './run-home.js';
import type { RunManifest } from './run-manifest.js';

export const DIGEST_COLUMNS = ['NewOwnerId', 'NewOwner', 'Object', 'Rule', 'Records'] as const;

/** What results.csv says the run did to one record: its last row wins (a resumed apply retries). */
interface RecordOutcome {
  status: ResultStatus;
  /** The owner the run set: what a reversal expects to find. */
  setOwnerId: string;
}

/** A record the run wrote, as a change that reverses it, with what results.csv says about it. */
export interface Reversal {
  /** From the owner the run set back to the owner before the run, on the record's own object. */
  change: PlannedChange;
  /** The planned change it reverses. */
  planned: PlannedChange;
  status: ResultStatus;
}

/** Statuses of records the run wrote: `updated`, `overridden` (then moved by the org), `conflict`. */
const WRITTEN: ReadonlySet<string> = new Set(['updated', 'overridden', 'conflict']);

/**
 * Every record a run wrote, read from results.csv (true after a crash) and plan.csv (objects, names),
 * so that a run stopped part-way is reversed as far as it got.
 */
export async function* reversalsOf(
  runDir: string,
  planLabel: string,
  object: string,
): AsyncIterable<Reversal> {
  const outcomes = await readOutcomes(runDir);
  if (outcomes.size === 0) return;
  for await (const planned of readPlanFile(runDir, planLabel, object)) {
    const outcome = outcomes.get(planned.id);
    if (!outcome || !WRITTEN.has(outcome.status)) continue;
    // Where Salesforce's assignment rules chose, the owner they set is what undo must expect.
    const setOwnerId = planned.newOwnerId || outcome.setOwnerId;
    if (!setOwnerId) continue;
    const change: PlannedChange = {
      id: planned.id,
      oldOwnerId: setOwnerId,
      newOwnerId: planned.oldOwnerId,
      rule: '',
      oldOwner: planned.newOwner,
      newOwner: planned.oldOwner,
      stamps: {},
      object: planned.object,
    };
    yield { change, planned, status: outcome.status };
  }
}

async function readOutcomes(runDir: string): Promise<Map<string, RecordOutcome>> {
  const path = runFile(runDir, 'results');
  const outcomes = new Map<string, RecordOutcome>();
  if (!(await pathExists(path))) return outcomes;
  await dropTornRecord(path);
  const table = await openCsv(path, RUN_FILES.results, { required: ['Id', 'Status'] });
  for await (const row of table.rows) {
    const id = toId18(cellOf(table, row, 'Id')) ?? cellOf(table, row, 'Id');
    const set = cellOf(table, row, 'NewOwnerId');
    outcomes.set(id, {
      status: cellOf(table, row, 'Status') as ResultStatus,
      setOwnerId: toId18(set) ?? set,
    });
  }
  return outcomes;
}

/** plan.csv's columns for a reversal: the plan's, with Object when the run moved several objects. */
export async function reversalColumns(runDir: string, planLabel: string): Promise<string[]> {
  const table = await openCsv(runFile(runDir, 'plan'), planLabel);
  const several = table.header.some((name) => name.toLowerCase() === OBJECT_COLUMN.toLowerCase());
  return [...PLAN_COLUMNS, ...(several ? [OBJECT_COLUMN] : [])];
}

/** One reversal as a row of `reversalColumns`. */
export function reversalCells(change: PlannedChange, columns: readonly string[]): string[] {
  const cells = [
    change.id,
    change.oldOwnerId,
    change.newOwnerId,
    change.rule,
    change.oldOwner,
    change.newOwner,
  ];
  return columns.includes(OBJECT_COLUMN) ? [...cells, change.object] : cells;
}

/**
 * Writes undo.csv (the changes that reverse every record the run set, for people to read; `undo` builds
 * its own plan from results.csv) and digest.csv (what each new owner received). Also written when an
 * apply stops part-way, for what it got through.
 */
export async function writeAfterApplyFiles(
  runDir: string,
  planLabel: string,
  manifest: Pick<RunManifest, 'object' | 'runId'>,
): Promise<void> {
  const { object, runId } = manifest;
  const columns = await reversalColumns(runDir, planLabel);
  const undo = await CsvFileWriter.create(runFile(runDir, 'undo'), columns);
  const digest = new Map<
    string,
    { newOwnerId: string; newOwner: string; object: string; rule: string; records: number }
  >();
  for await (const { change, planned, status } of reversalsOf(runDir, planLabel, object)) {
    if (status === 'overridden') continue;
    await undo.write(reversalCells({ ...change, rule: `undo ${runId}` }, columns));
    if (status !== 'updated') continue;
    const key = `${change.oldOwnerId}\u0000${planned.object}\u0000${planned.rule}`;
    const entry = digest.get(key) ?? {
      newOwnerId: change.oldOwnerId,
      newOwner: planned.newOwner,
      object: planned.object,
      rule: planned.rule,
      records: 0,
    };
    entry.records++;
    digest.set(key, entry);
  }
  await undo.close();
  const digestFile = await CsvFileWriter.create(runFile(runDir, 'digest'), DIGEST_COLUMNS);
  const rows = [...digest.values()].sort(
    (a, b) => a.newOwner.localeCompare(b.newOwner) || b.records - a.records,
  );
  for (const row of rows)
    await digestFile.write([row.newOwnerId, row.newOwner, row.object, row.rule, String(row.records)]);
  await digestFile.close();
}
