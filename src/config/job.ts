import type { Place } from '../errors.js';

/**
 * A job as resolved from the job file and the flags: the one options object every command hands to the
 * core. Paths are absolute (a job file's relative paths are taken from the job file's folder).
 */

export type SourceSpec = { kind: 'salesforce' } | { kind: 'csv'; path: string };

export type WriteApi = 'rest' | 'bulk' | 'auto';

/** One strategy of SPEC's rule table, with its options. Exactly one strategy key per rule. */
export type AssignSpec =
  | { user: string }
  | { map: string }
  | { queue: string }
  | { keep: true }
  | { manager: true }
  | { accountOwner: true }
  | { roundRobin: string[]; weights?: number[]; balance?: 'load'; capacity?: number }
  | { salesforceRules: true | string };

export interface RuleSpec {
  name?: string;
  when?: ConditionSpec;
  assign: AssignSpec;
  /** Where the rule was written: the job file and line, or the flag (`--map`). */
  place: Place;
}

/** A condition string and where it was written, so a parse error can point at it. */
export interface ConditionSpec {
  text: string;
  place: Place;
}

export interface SelectSpec {
  inactiveOwners: boolean;
  /** People named by Id, username or email. */
  owners: string[];
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
  /** The job file this came from, if any. */
  jobFile?: string;
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
