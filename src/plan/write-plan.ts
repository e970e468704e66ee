import { join } from 'node:path';
import type { Reporter } from '../core/ports.js';
import type { PreparedRun } from '../core/prepare.js';
import { CsvFileWriter } from '../csv/write.js';
import type { Decision, SourceRecord } from '../model.js';
import type { RuleTrace } from '../rules/types.js';
import { decideOwner } from './decide.js';
import { renderStamps } from './stamps.js';
import { SALESFORCE_RULES_LABEL, SummaryBuilder } from './summary.js';

export const PLAN_FILE = 'plan.csv';
export const UNASSIGNED_FILE = 'unassigned.csv';
export const PLAN_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Rule', 'OldOwner', 'NewOwner'] as const;
export const UNASSIGNED_COLUMNS = ['Id', 'OwnerId', 'Reason'] as const;

export interface Explanation {
  id: string;
  found: boolean;
  ownerId?: string;
  owner?: string;
  trace: RuleTrace[];
  decision?: Decision;
}

export interface PlanOutput {
  summary: SummaryBuilder;
  explanation?: Explanation;
}

/**
 * Streams the selected records through the rules into plan.csv and unassigned.csv. Memory holds a
 * chunk of records and the per-owner tallies, never the whole plan.
 */
export async function writePlan(
  prepared: PreparedRun,
  dir: string,
  runId: string,
  reporter: Reporter,
  explainId?: string,
): Promise<PlanOutput> {
  const { job, rules, ruleContext, kit } = prepared;
  const stampFields = Object.keys(job.write.stamp);
  const plan = await CsvFileWriter.create(join(dir, PLAN_FILE), [...PLAN_COLUMNS, ...stampFields]);
  const unassigned = await CsvFileWriter.create(join(dir, UNASSIGNED_FILE), UNASSIGNED_COLUMNS);
  const summary = new SummaryBuilder();
  const label = (id: string) => ruleContext.directory.label(id);
  const date = ruleContext.now.toISOString().slice(0, 10);
  const explanation: Explanation | undefined = explainId
    ? { id: explainId, found: false, trace: [] }
    : undefined;
  const progress = reporter.progress('Planning');
  for await (const chunk of kit.source.select(prepared.selection, prepared.selectContext)) {
    for (const record of chunk) {
      summary.selected++;
      const trace = explanation && record.id === explanation.id ? explanation.trace : undefined;
      const decision = decideOwner(record, rules, ruleContext, trace);
      if (trace && explanation)
        Object.assign(explanation, {
          found: true,
          ownerId: record.ownerId,
          owner: label(record.ownerId),
          decision,
        });
      await recordDecision(record, decision, {
        plan,
        unassigned,
        summary,
        label,
        stamp: (rule, newOwner) =>
          renderStamps(job.write.stamp, { rule, runId, date, oldOwner: label(record.ownerId), newOwner }),
      });
    }
    progress.tick(chunk.length);
  }
  progress.done();
  await Promise.all([plan.close(), unassigned.close()]);
  return { summary, explanation };
}

interface Sinks {
  plan: CsvFileWriter;
  unassigned: CsvFileWriter;
  summary: SummaryBuilder;
  label: (id: string) => string;
  stamp: (rule: string, newOwner: string) => Record<string, string>;
}

async function recordDecision(record: SourceRecord, decision: Decision, sinks: Sinks): Promise<void> {
  switch (decision.kind) {
    case 'assign':
    case 'salesforceRules': {
      const newOwnerId = decision.kind === 'assign' ? decision.ownerId : '';
      const newOwner = decision.kind === 'assign' ? sinks.label(newOwnerId) : SALESFORCE_RULES_LABEL;
      const stamps = sinks.stamp(decision.rule, newOwner);
      await sinks.plan.write([
        record.id,
        record.ownerId,
        newOwnerId,
        decision.rule,
        sinks.label(record.ownerId),
        newOwner,
        ...Object.values(stamps),
      ]);
      sinks.summary.addChange(record.ownerId, newOwnerId, decision.rule);
      return;
    }
    case 'keep':
      sinks.summary.kept++;
      return;
    case 'unassigned':
      await sinks.unassigned.write([record.id, record.ownerId, decision.reason]);
      sinks.summary.addUnassigned(decision.reason);
  }
}
