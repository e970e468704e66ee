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

/** How the plan's rows are laid out: the stamp columns, and whether each row names its object. */
export interface PlanLayout {
  /** This object's stamp fields, or in a plan of several objects every object's (blank for the others). */
  stampColumns: string[];
  /** Every plan row ends with its object: an Account cascade, or a plan of several objects. */
  objectColumn: boolean;
  /** unassigned.csv names the object too (a plan of several objects). */
  unassignedObject: boolean;
}

/** What one object's planning leaves for the next ones of the same plan. */
export interface PlannedSoFar {
  /** Ids already planned (records cascaded with their account): a later object's selection skips them. */
  ids: Set<string>;
  /** Account Id → the new owner planned for it, for later objects' `accountOwner` rules. */
  accounts: Map<string, string>;
}

export function singleLayout(job: JobSpec): PlanLayout {
  const cascade = job.object === 'Account' ? job.write.cascade : [];
  return {
    stampColumns: Object.keys(job.write.stamp),
    objectColumn: cascade.length > 0,
    unassignedObject: false,
  };
}

/** The layout of a plan of several objects: each object's stamp columns once, every row naming its object. */
export function multiLayout(jobs: readonly JobSpec[]): PlanLayout {
  const columns = new Map<string, string>();
  for (const job of jobs)
    for (const field of Object.keys(job.write.stamp))
      if (!columns.has(field.toLowerCase())) columns.set(field.toLowerCase(), field);
  return { stampColumns: [...columns.values()], objectColumn: true, unassignedObject: true };
}

export function planHeader(layout: PlanLayout): string[] {
  return [...PLAN_COLUMNS, ...layout.stampColumns, ...(layout.objectColumn ? [OBJECT_COLUMN] : [])];
}

export function unassignedHeader(layout: PlanLayout): string[] {
  return [...UNASSIGNED_COLUMNS, ...(layout.unassignedObject ? [OBJECT_COLUMN] : [])];
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
  layout: PlanLayout = singleLayout(input.job),
  soFar?: PlannedSoFar,
): AsyncIterable<PlanChunk> {
  const { job, rules, ruleContext } = input;
  const cascade = job.object === 'Account' ? job.write.cascade : [];
  const label = (id: string) => ruleContext.directory.label(id);
  const date = ruleContext.now.toISOString().slice(0, 10);
  const moved = new Map<string, MovedAccount>();
  const cells = cellsOf(layout, job.object);
  const keepsAccounts = soFar !== undefined && job.object === 'Account';
  const unassignedObject: [string] | undefined = layout.unassignedObject ? [job.object] : undefined;
  for await (const chunk of input.kit.source.select(input.selection, input.selectContext)) {
    const rows: PlanRow[] = [];
    for (const record of chunk) {
      if (soFar?.ids.has(record.id)) continue;
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
      if (keepsAccounts && decision.kind === 'assign') soFar.accounts.set(record.id, decision.ownerId);
      const stamps = (rule: string, newOwner: string) =>
        renderStamps(job.write.stamp, { rule, runId, date, oldOwner: label(record.ownerId), newOwner });
      const row = rowOf(record, decision, { summary, label, stamps, cells, unassignedObject });
      if (row) rows.push(row);
    }
    yield { rows, records: chunk.length };
  }
  for (const object of cascade) yield* cascadeRows(input, object, moved, summary, layout, soFar);
}

/** A row's cells in the layout's order: the plan columns, the stamps, then the object where it is named. */
function cellsOf(layout: PlanLayout, object: string) {
  const tail = layout.objectColumn ? [object] : [];
  return (fixed: string[], stamps: Record<string, string>, of = object): string[] => [
    ...fixed,
    ...layout.stampColumns.map((column) => stamps[column] ?? ''),
    ...(of === object ? tail : [of]),
  ];
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
  layout: PlanLayout,
  soFar: PlannedSoFar | undefined,
): AsyncIterable<PlanChunk> {
  if (moved.size === 0 || !input.kit.related) return;
  const label = (id: string) => input.ruleContext.directory.label(id);
  const cells = cellsOf(layout, input.job.object);
  const oldOwners = new Map([...moved].map(([id, account]) => [id, account.oldOwnerId]));
  for await (const chunk of input.kit.related(object, oldOwners)) {
    const rows: PlanRow[] = [];
    for (const record of chunk) {
      const account = moved.get(String(record.fields.accountid ?? ''));
      if (!account || account.oldOwnerId !== record.ownerId) continue;
      const rule = `${account.rule} (with its account)`;
      const fixed = [
        record.id,
        record.ownerId,
        account.newOwnerId,
        rule,
        label(record.ownerId),
        label(account.newOwnerId),
      ];
      rows.push({ file: 'plan', cells: cells(fixed, {}, object) });
      soFar?.ids.add(record.id);
      summary.addChange(record.ownerId, account.newOwnerId, `${rule}: ${object}`, false);
    }
    yield { rows };
  }
}

interface RowContext {
  summary: SummaryBuilder;
  label: (id: string) => string;
  stamps: (rule: string, newOwner: string) => Record<string, string>;
  cells: (fixed: string[], stamps: Record<string, string>) => string[];
  /** The object, for unassigned.csv of a plan of several objects. */
  unassignedObject?: [string];
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
        cells: context.cells(
          [record.id, record.ownerId, newOwnerId, decision.rule, context.label(record.ownerId), newOwner],
          stamps,
        ),
      };
    }
    case 'keep':
      context.summary.kept++;
      return undefined;
    case 'unassigned':
      context.summary.addUnassigned(decision.reason);
      return {
        file: 'unassigned',
        cells: [record.id, record.ownerId, decision.reason, ...(context.unassignedObject ?? [])],
      };
  }
}
