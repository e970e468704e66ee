import { join } from 'node:path';
import type { Reporter } from '../core/ports.js';
import type { PreparedRun } from '../core/prepare.js';
import { CsvFileWriter } from '../csv/write.js';
import { toId18 } from '../ids.js';
import type { Decision, SourceRecord } from '../model.js';
import type { RuleTrace } from '../rules/types.js';
import { decideOwner } from './decide.js';
import { renderStamps } from './stamps.js';
import { SALESFORCE_RULES_LABEL, SummaryBuilder } from './summary.js';

export const PLAN_FILE = 'plan.csv';
export const UNASSIGNED_FILE = 'unassigned.csv';
export const PLAN_COLUMNS = ['Id', 'OldOwnerId', 'NewOwnerId', 'Rule', 'OldOwner', 'NewOwner'] as const;
/** Added after the stamps when a plan holds more than one object (an Account cascade). */
export const OBJECT_COLUMN = 'Object';
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

interface MovedAccount {
  oldOwnerId: string;
  newOwnerId: string;
  rule: string;
}

/**
 * Streams the selected records through the rules into plan.csv and unassigned.csv. Memory holds a
 * chunk of records and the per-owner tallies, never the whole plan (a cascade also keeps the moved
 * accounts, to find their contacts and opportunities).
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
  const cascade = job.object === 'Account' ? job.write.cascade : [];
  const extra = cascade.length > 0 ? [OBJECT_COLUMN] : [];
  const plan = await CsvFileWriter.create(join(dir, PLAN_FILE), [...PLAN_COLUMNS, ...stampFields, ...extra]);
  const unassigned = await CsvFileWriter.create(join(dir, UNASSIGNED_FILE), UNASSIGNED_COLUMNS);
  const summary = new SummaryBuilder();
  const label = (id: string) => ruleContext.directory.label(id);
  const date = ruleContext.now.toISOString().slice(0, 10);
  const explainKey = explainId ? (toId18(explainId) ?? explainId) : undefined;
  const explanation: Explanation | undefined = explainKey
    ? { id: explainKey, found: false, trace: [] }
    : undefined;
  const moved = new Map<string, MovedAccount>();
  const progress = reporter.progress('Planning');
  for await (const chunk of kit.source.select(prepared.selection, prepared.selectContext)) {
    for (const record of chunk) {
      summary.selected++;
      const trace = explanation && record.id === explanation.id ? explanation.trace : undefined;
      const decision = decideOwner(record, rules, ruleContext, trace);
      if (trace && explanation) {
        Object.assign(explanation, {
          found: true,
          ownerId: record.ownerId,
          owner: label(record.ownerId),
          decision,
        });
      }
      if (cascade.length > 0 && decision.kind === 'assign') {
        moved.set(record.id, {
          oldOwnerId: record.ownerId,
          newOwnerId: decision.ownerId,
          rule: decision.rule,
        });
      }
      const stamps = (rule: string, newOwner: string) =>
        renderStamps(job.write.stamp, { rule, runId, date, oldOwner: label(record.ownerId), newOwner });
      await recordDecision(record, decision, {
        plan,
        unassigned,
        summary,
        label,
        stamps,
        object: cascade.length > 0 ? job.object : undefined,
      });
    }
    progress.tick(chunk.length);
  }
  for (const object of cascade)
    await writeCascade(prepared, object, moved, plan, summary, stampFields.length);
  progress.done();
  await Promise.all([plan.close(), unassigned.close()]);
  return { summary, explanation };
}

/**
 * The contacts and open opportunities of each moved account that its old owner owned go with it, as
 * Salesforce's own Mass Transfer does in its UI and as an API write of the account does not.
 */
async function writeCascade(
  prepared: PreparedRun,
  object: string,
  moved: Map<string, MovedAccount>,
  plan: CsvFileWriter,
  summary: SummaryBuilder,
  stampCount: number,
): Promise<void> {
  if (moved.size === 0 || !prepared.kit.related) return;
  const label = (id: string) => prepared.ruleContext.directory.label(id);
  const oldOwners = new Map([...moved].map(([id, account]) => [id, account.oldOwnerId]));
  for await (const chunk of prepared.kit.related(object, oldOwners)) {
    for (const record of chunk) {
      const account = moved.get(String(record.fields.accountid ?? ''));
      if (!account || account.oldOwnerId !== record.ownerId) continue;
      const rule = `${account.rule} (with its account)`;
      const blanks = new Array<string>(stampCount).fill('');
      await plan.write([
        record.id,
        record.ownerId,
        account.newOwnerId,
        rule,
        label(record.ownerId),
        label(account.newOwnerId),
        ...blanks,
        object,
      ]);
      summary.addChange(record.ownerId, account.newOwnerId, `${rule}: ${object}`, false);
    }
  }
}

interface Sinks {
  plan: CsvFileWriter;
  unassigned: CsvFileWriter;
  summary: SummaryBuilder;
  label: (id: string) => string;
  stamps: (rule: string, newOwner: string) => Record<string, string>;
  /** Set when the plan has an Object column. */
  object?: string;
}

async function recordDecision(record: SourceRecord, decision: Decision, sinks: Sinks): Promise<void> {
  switch (decision.kind) {
    case 'assign':
    case 'salesforceRules': {
      const newOwnerId = decision.kind === 'assign' ? decision.ownerId : '';
      const newOwner = decision.kind === 'assign' ? sinks.label(newOwnerId) : SALESFORCE_RULES_LABEL;
      const stamps = sinks.stamps(decision.rule, newOwner);
      const row = [
        record.id,
        record.ownerId,
        newOwnerId,
        decision.rule,
        sinks.label(record.ownerId),
        newOwner,
        ...Object.values(stamps),
      ];
      await sinks.plan.write(sinks.object ? [...row, sinks.object] : row);
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
