import { planJob } from '../../core/plan.js';
import { InputError } from '../../errors.js';
import { toId18 } from '../../ids.js';
import { foreignRecordId } from '../../sources/key-prefixes.js';
import { renderExplanation, renderPlan } from '../../ui/diff.js';
import { printVerbosePlan } from '../../ui/verbose.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { planJson } from '../json.js';
import type { Outcome } from '../run-action.js';
import { resolveJobOptions } from './resolve-job.js';

export interface PlanOptions extends JobOptionValues {
  out?: string;
  explain?: string;
  verbose?: boolean;
}

/** An Id that is no record of the object would be explained as "not found", hiding the typo. */
function checkExplainId(text: string, object: string): string {
  const id = toId18(text.trim());
  const problem = id ? foreignRecordId(id, object) : `"${text}" is not a Salesforce Id`;
  if (!problem) return text.trim();
  throw new InputError({
    key: '--explain',
    message: problem,
    hint: `Give the 15- or 18-character Id of one ${object} record, as in the export or Salesforce`,
  });
}

export async function planCommand(options: PlanOptions, context: CommandContext): Promise<Outcome> {
  const job = await resolveJobOptions(options, context.ports.cwd);
  const explainId = options.explain === undefined ? undefined : checkExplainId(options.explain, job.object);
  const result = await planJob(
    { job, home: context.home, out: options.out, explainId, command: 'plan' },
    context.ports,
  );
  if (context.json) {
    context.printJson(planJson(result.manifest, result.runDir, result.explanation));
    return 'done';
  }
  context.print(renderPlan(result.manifest, result.runDir, context.style));
  if (result.explanation) context.print(`\n${renderExplanation(result.explanation, context.style)}`);
  if (options.verbose) await printVerbosePlan(result.runDir, context);
  context.print(`\nApply exactly this plan with: leadshift apply ${result.runDir}\n`);
  return 'done';
}
