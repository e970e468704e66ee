import { join } from 'node:path';
import { CsvFileWriter } from '../csv/write.js';
import {
  type Explanation,
  newExplanation,
  type PlanInput,
  planHeader,
  planRows,
  UNASSIGNED_COLUMNS,
} from './plan-rows.js';
import { SummaryBuilder } from './summary.js';

export interface PlanOutput {
  summary: SummaryBuilder;
  explanation?: Explanation;
}

/** How far planning has got: a bar on a terminal, nothing under --json. */
export interface PlanProgress {
  progress(label: string): { tick(count?: number): void; done(): void };
}

/**
 * Streams the plan's rows into plan.csv and unassigned.csv in `dir`, named by `files` (the run
 * directory's own names, journal/run-files.ts).
 */
export async function writePlan(
  input: PlanInput,
  into: { dir: string; files: { plan: string; unassigned: string } },
  runId: string,
  reporter: PlanProgress,
  explainId?: string,
): Promise<PlanOutput> {
  const plan = await CsvFileWriter.create(join(into.dir, into.files.plan), planHeader(input.job));
  const unassigned = await CsvFileWriter.create(join(into.dir, into.files.unassigned), UNASSIGNED_COLUMNS);
  const summary = new SummaryBuilder();
  const explanation = newExplanation(explainId);
  const progress = reporter.progress('Planning');
  for await (const { rows, records } of planRows(input, runId, summary, explanation)) {
    for (const row of rows) await (row.file === 'plan' ? plan : unassigned).write(row.cells);
    if (records !== undefined) progress.tick(records);
  }
  progress.done();
  await Promise.all([plan.close(), unassigned.close()]);
  return { summary, explanation };
}
