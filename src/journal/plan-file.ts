import { cellOf, openCsv } from '../csv/read.js';
import { restoreFormula } from '../csv/write.js';
import { InputError } from '../errors.js';
import { toId18 } from '../ids.js';
import { PLAN_COLUMNS } from '../plan/plan-rows.js';
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
}

/** Streams plan.csv back as planned changes; a hand-edited plan with a bad Id is an input error. */
export async function* readPlanFile(
  runDir: string,
  label: string,
  object: string,
): AsyncIterable<PlannedChange> {
  const table = await openCsv(runFile(runDir, 'plan'), label, {
    required: ['Id', 'OldOwnerId', 'NewOwnerId'],
  });
  const known = new Set<string>([...PLAN_COLUMNS, 'Object'].map((c) => c.toLowerCase()));
  const stampColumns = table.header.filter((name) => !known.has(name.toLowerCase()));
  for await (const row of table.rows) {
    const id = toId18(cellOf(table, row, 'Id'));
    const oldOwnerId = toId18(cellOf(table, row, 'OldOwnerId'));
    const newText = cellOf(table, row, 'NewOwnerId');
    const newOwnerId = newText === '' ? '' : toId18(newText);
    if (!id || !oldOwnerId || newOwnerId === undefined) {
      throw new InputError({
        file: label,
        line: row.line,
        message: 'has an Id, OldOwnerId or NewOwnerId that is not a Salesforce Id',
        hint: 'Plans are meant to be applied as written; make a new plan instead of editing one',
      });
    }
    const rowObject = cellOf(table, row, 'Object') || object;
    // Stamps are fields of the plan's object; a cascaded Contact or Opportunity carries none.
    const stamps: Record<string, string> = {};
    // Cells were written spreadsheet-safe; the values that go back to Salesforce are the real ones.
    const text = (column: string) => restoreFormula(cellOf(table, row, column));
    if (rowObject === object) for (const column of stampColumns) stamps[column] = text(column);
    yield {
      id,
      oldOwnerId,
      newOwnerId,
      rule: text('Rule'),
      oldOwner: text('OldOwner'),
      newOwner: text('NewOwner'),
      stamps,
      object: rowObject,
    };
  }
}

export async function stampColumnsOf(runDir: string, label: string): Promise<string[]> {
  const table = await openCsv(runFile(runDir, 'plan'), label);
  const known = new Set<string>([...PLAN_COLUMNS, 'Object'].map((c) => c.toLowerCase()));
  return table.header.filter((name) => !known.has(name.toLowerCase()));
}
