import { stat } from 'node:fs/promises';
import { scanNamedColumns } from '../csv/scan.js';
import { CsvFileWriter, dropTornRecord } from '../csv/write.js';
import { toId18 } from '../ids.js';
import type { ResultStatus } from '../model.js';
import { OBJECT_COLUMN, PLAN_COLUMNS } from '../plan/plan-rows.js';
import { IdTable } from './id-table.js';
import { type PlannedChange, planNamesObjects, readPlanBatches } from './plan-file.js';
import { hasRows } from './results.js';
import { RUN_FILES, runFile } from './run-files.js';
import { pathExists } from './run-home.js';
import type { RunManifest } from './run-manifest.js';

export const DIGEST_COLUMNS = ['NewOwnerId', 'NewOwner', 'Object', 'Rule', 'Records'] as const;

/** A record the run wrote, as a change that reverses it, with what results.csv says about it. */
export interface Reversal {
  /** From the owner the run set back to the owner before the run, on the record's own object. */
  change: PlannedChange;
  /** The planned change it reverses. */
  planned: PlannedChange;
  status: ResultStatus;
}

/** Every record a run wrote, and the columns of the changes that reverse them. */
export interface RunReversals {
  columns: string[];
  /** The reversals in plan order, a block at a time; each call reads plan.csv again. */
  batches(): AsyncIterable<Reversal[]>;
}

/**
 * Every record a run wrote, read from results.csv (true after a crash) and plan.csv (objects, names),
 * so that a run stopped part-way is reversed as far as it got. results.csv is read once, into a packed
 * table of its statuses, however often the reversals are gone through.
 */
export async function openReversals(
  runDir: string,
  planLabel: string,
  object: string,
): Promise<RunReversals> {
  const outcomes = await readOutcomes(runDir);
  const columns = await reversalColumns(runDir, planLabel);
  return {
    columns,
    async *batches() {
      if (outcomes.size === 0) return;
      for await (const batch of readPlanBatches(runDir, planLabel, object)) {
        const reversals: Reversal[] = [];
        for (const planned of batch) {
          const reversal = reversalOf(planned, outcomes);
          if (reversal) reversals.push(reversal);
        }
        if (reversals.length > 0) yield reversals;
      }
    },
  };
}

function reversalOf(planned: PlannedChange, outcomes: Outcomes): Reversal | undefined {
  const outcome = outcomes.get(planned.id);
  if (!outcome) return undefined;
  // Where Salesforce's assignment rules chose, the owner they set is what undo must expect.
  const setOwnerId = planned.newOwnerId || outcome.setOwnerId;
  if (!setOwnerId) return undefined;
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
  return { change, planned, status: outcome.status };
}

async function readOutcomes(runDir: string): Promise<Outcomes> {
  const path = runFile(runDir, 'results');
  if (!(await pathExists(path))) return new Outcomes(0);
  await dropTornRecord(path);
  // A header torn by a kill was dropped: the file is empty, and says nothing was written.
  if (!(await hasRows(path))) return new Outcomes(0);
  // Sized from the file so the table does not grow (and hold two copies) on the way.
  const outcomes = new Outcomes(Math.ceil((await stat(path)).size / BYTES_PER_RESULT_ROW));
  const required = { required: ['Id', 'Status'] };
  for await (const batch of scanNamedColumns(
    path,
    RUN_FILES.results,
    ['Id', 'Status', 'NewOwnerId'],
    required,
  ))
    for (const { cells } of batch) {
      const [id, status, set] = (cells as string[]).map((cell) => cell.trim()) as [string, string, string];
      // plan.csv's Ids are checked 18-character ones: a row whose Id is not one matches no planned record.
      const id18 = toId18(id);
      if (id18) outcomes.set(id18, status, toId18(set) ?? set);
    }
  return outcomes;
}

/** Statuses of records the run wrote: `updated`, `overridden` (then moved by the org), `conflict`. */
const WRITTEN = ['updated', 'overridden', 'conflict'] as const;
const STATUS_BITS = 2;
/** A results.csv row without a message is about 66 bytes: two 18-character Ids, a status, commas. */
const BYTES_PER_RESULT_ROW = 64;

/**
 * What results.csv says the run did to each record, its last row winning (a resumed apply retries): a
 * packed Id and one number a record, the status of a written record in the low bits and the owner the
 * run set (few, so numbered) above them. A record the run did not write keeps status 0, so that a later
 * failed row overrides an earlier written one.
 */
class Outcomes {
  private readonly table: IdTable;
  private readonly owners: string[] = [];
  private readonly ownerNumbers = new Map<string, number>();

  constructor(expected: number) {
    this.table = new IdTable(expected, 32);
  }

  get size(): number {
    return this.table.size;
  }

  set(id: string, status: string, setOwnerId: string): void {
    const written = WRITTEN.indexOf(status as (typeof WRITTEN)[number]) + 1;
    let owner = this.ownerNumbers.get(setOwnerId);
    if (owner === undefined) {
      owner = this.owners.push(setOwnerId) - 1;
      this.ownerNumbers.set(setOwnerId, owner);
    }
    this.table.set(id, owner * (1 << STATUS_BITS) + written);
  }

  /** The outcome of a record the run wrote; undefined for one it did not (or that results.csv lacks). */
  get(id: string): { status: ResultStatus; setOwnerId: string } | undefined {
    const value = this.table.get(id);
    if (value === undefined) return undefined;
    const written = value % (1 << STATUS_BITS);
    if (written === 0) return undefined;
    const status = WRITTEN[written - 1] as ResultStatus;
    return { status, setOwnerId: this.owners[Math.floor(value / (1 << STATUS_BITS))] as string };
  }
}

/** plan.csv's columns for a reversal: the plan's, with Object when the run moved several objects. */
async function reversalColumns(runDir: string, planLabel: string): Promise<string[]> {
  const several = await planNamesObjects(runDir, planLabel);
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
  const reversals = await openReversals(runDir, planLabel, object);
  const { columns } = reversals;
  const undo = await CsvFileWriter.create(runFile(runDir, 'undo'), columns);
  const digest = new Map<string, DigestEntry>();
  const rule = `undo ${runId}`;
  for await (const batch of reversals.batches())
    for (const { change, planned, status } of batch) {
      if (status === 'overridden') continue;
      change.rule = rule;
      await undo.write(reversalCells(change, columns));
      if (status === 'updated') countIn(digest, change.oldOwnerId, planned);
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

interface DigestEntry {
  newOwnerId: string;
  newOwner: string;
  object: string;
  rule: string;
  records: number;
}

function countIn(digest: Map<string, DigestEntry>, newOwnerId: string, planned: PlannedChange): void {
  const key = `${newOwnerId}\u0000${planned.object}\u0000${planned.rule}`;
  const entry = digest.get(key);
  if (entry) entry.records++;
  else
    digest.set(key, {
      newOwnerId,
      newOwner: planned.newOwner,
      object: planned.object,
      rule: planned.rule,
      records: 1,
    });
}
