import type { Condition } from '../conditions/index.js';
import type { Directory } from '../directory/directory.js';
import type { Place } from '../errors.js';
import type { SourceRecord } from '../model.js';

/** What one rule says about one record. `pass` hands the record to the next rule, with the reason. */
export type RuleOutcome =
  | { kind: 'assign'; ownerId: string }
  | { kind: 'keep' }
  | { kind: 'salesforceRules'; assignmentRuleId?: string }
  | { kind: 'pass'; reason: string };

/** Everything a rule may consult. Mutable state (round-robin turns, capacity) lives in `state`. */
export interface RuleContext {
  directory: Directory;
  object: string;
  now: Date;
  /** Account Id → owner Id, where the source knows it (CSV `--accounts`; Salesforce `Account.OwnerId`). */
  accountOwners?: Map<string, string>;
  /** Account Id → the owner this plan gives it, when the plan moves accounts before this object. */
  plannedAccountOwners?: Map<string, string>;
  /** Open records per owner before this run, for `balance: load` and the fairness preview. */
  loads?: Map<string, number>;
  /** Records per owner that rules weigh their members by, under the key `countKey` gives each count. */
  counts?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface Rule {
  /** Shown in plan.csv's Rule column and in the diff. */
  name: string;
  when?: Condition;
  place: Place;
  decide(record: SourceRecord, context: RuleContext): RuleOutcome;
  /** For `--explain`: how the rule reached its outcome for the record, beyond the outcome itself. */
  explain?(record: SourceRecord, context: RuleContext): string;
  /** For the diff: each member's load or weight and the share of this plan they got. */
  shares?(context: RuleContext): MemberShares;
}

/** What a rule that spreads records weighed its members by, and what each of them got. */
export interface MemberShares {
  basis: 'load' | 'weight';
  members: Array<{ ownerId: string; value: number; received: number }>;
}

/** One line of `--explain`: a rule, whether it applied, and why. */
export interface RuleTrace {
  rule: string;
  result: 'condition not met' | 'assigned' | 'kept' | 'salesforce rules' | 'passed';
  detail: string;
}
