import type { ChalkInstance } from 'chalk';
import { cellOf, openCsv } from '../csv/read.js';
import { readPlanFile } from '../journal/plan-file.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { readManifest } from '../journal/run-manifest.js';

/** --verbose: every record of the plan, read back from the run directory rather than held in memory. */
/** Where a listing goes: a command's stdout, styled or not. */
export interface Printer {
  style: ChalkInstance;
  print(text: string): void;
}

export async function printVerbosePlan(runDir: string, context: Printer): Promise<void> {
  const manifest = await readManifest(runDir);
  const { style } = context;
  context.print(`\n${style.bold('  Every change')}\n`);
  for await (const change of readPlanFile(runDir, RUN_FILES.plan, manifest?.object ?? 'Lead')) {
    context.print(`    ${change.id}  ${change.oldOwner} → ${change.newOwner}  ${style.dim(change.rule)}\n`);
  }
  const unassigned = await openCsv(runFile(runDir, 'unassigned'), RUN_FILES.unassigned);
  let header = false;
  for await (const row of unassigned.rows) {
    if (!header) context.print(`\n${style.bold('  Every unassigned record')}\n`);
    header = true;
    context.print(
      `    ${cellOf(unassigned, row, 'Id')}  ${cellOf(unassigned, row, 'OwnerId')}  ${style.dim(cellOf(unassigned, row, 'Reason'))}\n`,
    );
  }
}
