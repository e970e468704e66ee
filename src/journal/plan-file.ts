import type { JobSpec } from '../config/job.js';
import { jobParts } from '../config/job-parts.js';
import { openCsv } from '../csv/read.js';
import { type ScannedRow, scanNamedColumns } from '../csv/scan.js';
import { restoreFormula } from '../csv/write.js';
import { InputError } from '../errors.js';
import { toId18 } from '../ids.js';
import { OBJECT_COLUMN, PLAN_COLUMNS } from '../plan/plan-rows.js';
import { runFile } from './run-files.js';

/** One row of plan.csv as apply reads it back. */
export interface PlannedChange {
  id: string;
  oldOwnerId: string;
  /** Empty when Salesforce's assignment rules decide. */
  newOwnerId: string;
  rule: string;
  oldOwner: string;
  newOwner: string;
  stamps: Record<string, string>;
  object: string;
  /** The record's position among plan.csv's records (0 for the first): where a sink keeps what it read for it. */
  row?: number;
}

/** The columns an apply reads, in this order, before the stamps. */
const FIXED_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Rule', 'OldOwner', 'NewOwner', 'Object'];

/**
 * Streams plan.csv back as planned changes; a hand-edited plan with a bad Id is an input error. An apply
 * reads the plan twice or three times, so its records are scanned rather than parsed (`csv/scan.ts`).
 */
export async function* readPlanFile(
  runDir: string,
  label: string,
  object: string,
  stampFields?: StampFields,
): AsyncIterable<PlannedChange> {
  for await (const batch of readPlanBatches(runDir, label, object, stampFields)) yield* batch;
}

/**
 * A plan of several objects: each object's own stamp fields (lower-cased object → field names). Without
 * it, the stamp columns are the plan's object's.
 */
export type StampFields = ReadonlyMap<string, readonly string[]>;

/** The stamp fields of each object of a job of several, for reading its plan back. */
export function planStamps(job: JobSpec): StampFields | undefined {
  if (!job.objects) return undefined;
  return new Map(jobParts(job).map((part) => [part.object.toLowerCase(), Object.keys(part.write.stamp)]));
}

/** plan.csv as `readPlanFile` reads it, a block of records at a time: for callers that go through it all. */
export async function* readPlanBatches(
  runDir: string,
  label: string,
  object: string,
  stampFields?: StampFields,
): AsyncIterable<PlannedChange[]> {
  const path = runFile(runDir, 'plan');
  const stampColumns = await stampColumnsOf(runDir, label);
  const columnsOf = stampColumnsByObject(object, stampColumns, stampFields);
  const required = { required: ['Id', 'OldOwnerId', 'NewOwnerId'] };
  const owners = new OwnerIds();
  const names = new Repeated();
  let position = 0;
  for await (const batch of scanNamedColumns(path, label, [...FIXED_COLUMNS, ...stampColumns], required)) {
    yield batch.map((row) => plannedChange(row, label, object, columnsOf, owners, names, position++));
  }
}

/** Owners repeat on every row: each spelling is checked once (up to a bound, for a hand-made plan). */
class OwnerIds {
  private readonly known = new Map<string, string | undefined>();

  of(text: string): string | undefined {
    const known = this.known.get(text);
    if (known !== undefined || this.known.has(text)) return known;
    const id = toId18(text);
    if (this.known.size < 10_000) this.known.set(text, id);
    return id;
  }
}

/**
 * Rules, owner names and objects repeat on every row: one string each, not one per record, keeps a window
 * of a Bulk apply (100,000 changes) in memory at a fraction of the size. Bounded, for a hand-made plan.
 */
class Repeated {
  private readonly seen = new Map<string, string>();

  of(text: string): string {
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    if (this.seen.size < 10_000) this.seen.set(text, text);
    return text;
  }
}

/** Each object's stamps: the plan's columns it has, by their place after the fixed columns. */
type StampColumnsOf = (object: string) => ReadonlyArray<readonly [string, number]>;

function stampColumnsByObject(object: string, columns: string[], fields?: StampFields): StampColumnsOf {
  const all = columns.map((column, at) => [column, at] as const);
  // A cascaded Contact or Opportunity of a one-object plan carries none of the Account's stamps.
  if (!fields) return (of) => (of === object ? all : []);
  const cache = new Map<string, ReadonlyArray<readonly [string, number]>>();
  return (of) => {
    const key = of.toLowerCase();
    let own = cache.get(key);
    if (!own) {
      const wanted = new Set((fields.get(key) ?? []).map((field) => field.toLowerCase()));
      own = all.filter(([column]) => wanted.has(column.toLowerCase()));
      cache.set(key, own);
    }
    return own;
  };
}

/** Shared by every change of a plan without stamps; never written to. */
const NO_STAMPS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function plannedChange(
  row: ScannedRow,
  label: string,
  object: string,
  stampColumnsOf: StampColumnsOf,
  owners: OwnerIds,
  names: Repeated,
  position: number,
): PlannedChange {
  const [idText, oldText, newText, rule, oldOwner, newOwner, objectText] = row.cells as string[];
  const id = toId18((idText as string).trim());
  const oldOwnerId = owners.of((oldText as string).trim());
  const newTrimmed = (newText as string).trim();
  const newOwnerId = newTrimmed === '' ? '' : owners.of(newTrimmed);
  if (!id || !oldOwnerId || newOwnerId === undefined) {
    throw new InputError({
      file: label,
      line: row.line,
      message: 'has an Id, OldOwnerId or NewOwnerId that is not a Salesforce Id',
      hint: 'Plans are meant to be applied as written; make a new plan instead of editing one',
    });
  }
  const rowObject = names.of((objectText as string).trim() || object);
  const stampColumns = stampColumnsOf(rowObject);
  const stamps: Record<string, string> = stampColumns.length > 0 ? {} : NO_STAMPS;
  // Cells were written spreadsheet-safe; the values that go back to Salesforce are the real ones.
  const text = (cell: string | undefined) => restoreFormula((cell as string).trim());
  for (const [column, at] of stampColumns) stamps[column] = text(row.cells[FIXED_COLUMNS.length + at]);
  return {
    id,
    oldOwnerId,
    newOwnerId,
    rule: names.of(text(rule)),
    oldOwner: names.of(text(oldOwner)),
    newOwner: names.of(text(newOwner)),
    stamps,
    object: rowObject,
    row: position,
  };
}

/** plan.csv names each record's object (an Account cascade, or a plan of several objects). */
export async function planNamesObjects(runDir: string, label: string): Promise<boolean> {
  const table = await openCsv(runFile(runDir, 'plan'), label, { headerOnly: true });
  table.close();
  return table.index.has(OBJECT_COLUMN.toLowerCase());
}

export async function stampColumnsOf(runDir: string, label: string): Promise<string[]> {
  const table = await openCsv(runFile(runDir, 'plan'), label, { headerOnly: true });
  table.close();
  const known = new Set<string>([...PLAN_COLUMNS, 'Object'].map((c) => c.toLowerCase()));
  return table.header.filter((name) => !known.has(name.toLowerCase()));
}
