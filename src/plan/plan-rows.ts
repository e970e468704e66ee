import type { JobSpec } from '../config/job.js';
import { toId18 } from '../ids.js';
import type { Decision, SourceRecord } from '../model.js';
import type { Rule, RuleContext, RuleTrace } from '../rules/types.js';
import type { RecordSource, SelectContext, Selection } from '../sources/source.js';
import { decideOwner } from './decide.js';
import { renderStamps } from './stamps.js';
import { SALESFORCE_RULES_LABEL, type SummaryBuilder } from './summary.js';

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

/** What planning reads: the checked job, its compiled rules, and the source to select from. */
export interface PlanInput {
  job: JobSpec;
  rules: readonly Rule[];
  ruleContext: RuleContext;
  selection: Selection;
  selectContext: SelectContext;
  kit: {
    source: Pick<RecordSource, 'select'>;
    related?(object: string, accounts: Map<string, string>): AsyncIterable<SourceRecord[]>;
  };
}

/** One line of plan.csv or unassigned.csv, cells in column order. */
export interface PlanRow {
  file: 'plan' | 'unassigned';
  cells: string[];
}

/** The rows one chunk of records gave; `records` counts the selected ones (a cascade's are not). */
export interface PlanChunk {
  rows: PlanRow[];
  records?: number;
}

interface MovedAccount {
  oldOwnerId: string;
  newOwnerId: string;
  rule: string;
}

export function planHeader(job: JobSpec): string[] {
  const cascade = job.object === 'Account' ? job.write.cascade : [];
  return [...PLAN_COLUMNS, ...Object.keys(job.write.stamp), ...(cascade.length > 0 ? [OBJECT_COLUMN] : [])];
}

export function newExplanation(explainId: string | undefined): Explanation | undefined {
  return explainId ? { id: toId18(explainId) ?? explainId, found: false, trace: [] } : undefined;
}

/**
 * Runs each selected record through the rules, a chunk at a time: yields the rows of the chunk and
 * counts it in `summary`. Memory holds a chunk and the per-owner tallies, never the whole plan (a cascade
 * also keeps the moved accounts, to find their contacts and opportunities).
 */
export async function* planRows(
  input: PlanInput,
  runId: string,
  summary: SummaryBuilder,
  explanation?: Explanation,
): AsyncIterable<PlanChunk> {
  const { job, rules, ruleContext } = input;
  const cascade = job.object === 'Account' ? job.write.cascade : [];
  const label = (id: string) => ruleContext.directory.label(id);
  const date = ruleContext.now.toISOString().slice(0, 10);
  const moved = new Map<string, MovedAccount>();
  for await (const chunk of input.kit.source.select(input.selection, input.selectContext)) {
    const rows: PlanRow[] = [];
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
      if (cascade.length > 0 && decision.kind === 'assign')
        moved.set(record.id, {
          oldOwnerId: record.ownerId,
          newOwnerId: decision.ownerId,
          rule: decision.rule,
        });
      const stamps = (rule: string, newOwner: string) =>
        renderStamps(job.write.stamp, { rule, runId, date, oldOwner: label(record.ownerId), newOwner });
      const row = rowOf(record, decision, { summary, label, stamps });
      if (row)
        rows.push(
          cascade.length > 0 && row.file === 'plan' ? { ...row, cells: [...row.cells, job.object] } : row,
        );
    }
    yield { rows, records: chunk.length };
  }
  for (const object of cascade) yield* cascadeRows(input, object, moved, summary);
}

/**
 * The contacts and open opportunities of each moved account that its old owner owned go with it, as
 * Salesforce's own Mass Transfer does in its UI and as an API write of the account does not.
 */
async function* cascadeRows(
  input: PlanInput,
  object: string,
  moved: Map<string, MovedAccount>,
  summary: SummaryBuilder,
): AsyncIterable<PlanChunk> {
  if (moved.size === 0 || !input.kit.related) return;
  const label = (id: string) => input.ruleContext.directory.label(id);
  const blanks = new Array<string>(Object.keys(input.job.write.stamp).length).fill('');
  const oldOwners = new Map([...moved].map(([id, account]) => [id, account.oldOwnerId]));
  for await (const chunk of input.kit.related(object, oldOwners)) {
    const rows: PlanRow[] = [];
    for (const record of chunk) {
      const account = moved.get(String(record.fields.accountid ?? ''));
      if (!account || account.oldOwnerId !== record.ownerId) continue;
      const rule = `${account.rule} (with its account)`;
      rows.push({
        file: 'plan',
        cells: [
          record.id,
          record.ownerId,
          account.newOwnerId,
          rule,
          label(record.ownerId),
          label(account.newOwnerId),
          ...blanks,
          object,
        ],
      });
      summary.addChange(record.ownerId, account.newOwnerId, `${rule}: ${object}`, false);
    }
    yield { rows };
  }
}

interface RowContext {
  summary: SummaryBuilder;
  label: (id: string) => string;
  stamps: (rule: string, newOwner: string) => Record<string, string>;
}

function rowOf(record: SourceRecord, decision: Decision, context: RowContext): PlanRow | undefined {
  switch (decision.kind) {
    case 'assign':
    case 'salesforceRules': {
      const newOwnerId = decision.kind === 'assign' ? decision.ownerId : '';
      const newOwner = decision.kind === 'assign' ? context.label(newOwnerId) : SALESFORCE_RULES_LABEL;
      const stamps = context.stamps(decision.rule, newOwner);
      context.summary.addChange(record.ownerId, newOwnerId, decision.rule);
      return {
        file: 'plan',
        cells: [
          record.id,
          record.ownerId,
          newOwnerId,
          decision.rule,
          context.label(record.ownerId),
          newOwner,
          ...Object.values(stamps),
        ],
      };
    }
    case 'keep':
      context.summary.kept++;
      return undefined;
    case 'unassigned':
      context.summary.addUnassigned(decision.reason);
      return { file: 'unassigned', cells: [record.id, record.ownerId, decision.reason] };
  }
}
