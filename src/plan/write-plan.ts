import { join } from 'node:path';
import { CsvFileWriter } from '../csv/write.js';
import {
  type Explanation,
  multiLayout,
  newExplanation,
  type PlanInput,
  type PlannedSoFar,
  planHeader,
  planRows,
  singleLayout,
  unassignedHeader,
} from './plan-rows.js';
import { SummaryBuilder } from './summary.js';

export interface PlanOutput {
  /** One per object planned, in the order given. */
  summaries: SummaryBuilder[];
  explanation?: Explanation;
}

/** How far planning has got: a bar on a terminal, nothing under --json. */
export interface PlanProgress {
  progress(label: string): { tick(count?: number): void; done(): void };
}

/**
 * Streams the plan's rows into plan.csv and unassigned.csv in `dir`, named by `files` (the run
 * directory's own names, journal/run-files.ts). Several inputs (a job of several objects) are planned one
 * after the other into the same files, each row naming its object; an account's planned new owner is
 * seen by the objects after it.
 */
export async function writePlan(
  inputs: readonly PlanInput[],
  into: { dir: string; files: { plan: string; unassigned: string } },
  runId: string,
  reporter: PlanProgress,
  explainId?: string,
): Promise<PlanOutput> {
  const several = inputs.length > 1;
  const layout = several ? multiLayout(inputs.map((input) => input.job)) : singleLayout(firstOf(inputs).job);
  const plan = await CsvFileWriter.create(join(into.dir, into.files.plan), planHeader(layout));
  const unassigned = await CsvFileWriter.create(
    join(into.dir, into.files.unassigned),
    unassignedHeader(layout),
  );
  const explanation = newExplanation(explainId);
  const soFar: PlannedSoFar | undefined = several ? { ids: new Set(), accounts: new Map() } : undefined;
  const summaries: SummaryBuilder[] = [];
  for (const input of inputs) {
    const summary = new SummaryBuilder();
    summaries.push(summary);
    const plannedAccountOwners = soFar?.accounts.size ? soFar.accounts : undefined;
    const context = plannedAccountOwners
      ? {
          ...input,
          ruleContext: { ...input.ruleContext, plannedAccountOwners },
          selectContext: { ...input.selectContext, plannedAccountOwners },
        }
      : input;
    const progress = reporter.progress(several ? `Planning ${input.job.object}` : 'Planning');
    for await (const { rows, records } of planRows(context, runId, summary, explanation, layout, soFar)) {
      for (const row of rows) await (row.file === 'plan' ? plan : unassigned).write(row.cells);
      if (records !== undefined) progress.tick(records);
    }
    progress.done();
  }
  await Promise.all([plan.close(), unassigned.close()]);
  return { summaries, explanation };
}

function firstOf(inputs: readonly PlanInput[]): PlanInput {
  const first = inputs[0];
  if (!first) throw new Error('a plan needs an object to plan');
  return first;
}
