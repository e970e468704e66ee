import type { ConditionSpec, RuleSpec } from '../rules/spec.js';

/**
 * A job as resolved from the job file and the flags: the one options object every command hands to the
 * core. Paths are absolute (a job file's relative paths are taken from the job file's folder).
 */

export type SourceSpec = { kind: 'salesforce' } | { kind: 'csv'; path: string };

export type WriteApi = 'rest' | 'bulk' | 'auto';

/** How the new owners are told after an apply to Salesforce: the org's emailSimple action, or a Task. */
export type NotifyChannel = 'email' | 'task';

export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['email', 'task'];

export type { ConditionSpec, RuleSpec } from '../rules/spec.js';
export type { AssignSpec } from '../rules/strategies/index.js';

export interface SelectSpec {
  inactiveOwners: boolean;
  /** People named by Id, username or email. */
  owners: string[];
  /** Where the owners were named, for a message about one of them (default: `select.owners` or `--owner`). */
  ownersFrom?: string;
  /** `true` for the object's standard `AccountId`; a field name for a Lead lookup. */
  accountOwner?: true | string;
  where?: ConditionSpec;
  exclude?: ConditionSpec;
}

export interface WriteSpec {
  api: WriteApi;
  batchSize: number;
  stamp: Record<string, string>;
  cascade: string[];
}

export interface LimitsSpec {
  maxChanges?: number;
  maxApiShare?: number;
}

export interface JobSpec {
  object: string;
  source: SourceSpec;
  /** Salesforce CLI alias (`--org` / `org:`), used when the source or target is Salesforce. */
  org?: string;
  users?: string;
  queues?: string;
  accounts?: string;
  /** Contact and Opportunity exports, for an Account job's cascade on CSV. */
  contacts?: string;
  opportunities?: string;
  select: SelectSpec;
  rules: RuleSpec[];
  write: WriteSpec;
  limits: LimitsSpec;
  /**
   * `objects:`: several objects in one plan, each with keys that override the job's own for it. `object`
   * is then the first of them in apply order.
   */
  objects?: ObjectPart[];
  /** Tell each receiving owner what they received, once the apply is done (`notify:`, `--notify`). */
  notify?: NotifyChannel;
  /** The job file this came from, if any. */
  jobFile?: string;
}

/** One object of a job that names several: what it sets of its own over the job's keys. */
export interface ObjectPart {
  object: string;
  select?: Partial<SelectSpec>;
  rules?: RuleSpec[];
  write?: Partial<WriteSpec>;
  /** A Data Export folder's file for this object, once the folder is read. */
  source?: SourceSpec;
}

export const DEFAULT_BATCH_SIZE = 200;

export function emptyJob(): JobSpec {
  return {
    object: 'Lead',
    source: { kind: 'salesforce' },
    select: { inactiveOwners: false, owners: [] },
    rules: [],
    write: { api: 'auto', batchSize: DEFAULT_BATCH_SIZE, stamp: {}, cascade: [] },
    limits: {},
  };
}
