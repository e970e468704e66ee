import { join } from 'node:path';
import type { CommandContext } from '../cli/context.js';
import { cellOf, openCsv } from '../csv/read.js';
import { readPlanFile } from '../journal/plan-file.js';
import { readRunRecord } from '../journal/run-record.js';
import { UNASSIGNED_FILE } from '../plan/write-plan.js';

/** --verbose: every record of the plan, read back from the run directory rather than held in memory. */
export async function printVerbosePlan(runDir: string, context: CommandContext): Promise<void> {
  const record = await readRunRecord(runDir);
  const { style } = context;
  context.print(`\n${style.bold('  Every change')}\n`);
  for await (const change of readPlanFile(runDir, 'plan.csv', record?.object ?? 'Lead')) {
    context.print(`    ${change.id}  ${change.oldOwner} → ${change.newOwner}  ${style.dim(change.rule)}\n`);
  }
  const unassigned = await openCsv(join(runDir, UNASSIGNED_FILE), UNASSIGNED_FILE);
  let header = false;
  for await (const row of unassigned.rows) {
    if (!header) context.print(`\n${style.bold('  Every unassigned record')}\n`);
    header = true;
    context.print(
      `    ${cellOf(unassigned, row, 'Id')}  ${cellOf(unassigned, row, 'OwnerId')}  ${style.dim(cellOf(unassigned, row, 'Reason'))}\n`,
    );
  }
}
