import type { Condition } from '../conditions/index.js';
import type { Directory } from '../directory/directory.js';
import type { SourceRecord } from '../model.js';

/** The selectors, resolved: people are Ids, conditions are parsed. All given selectors must hold. */
export interface Selection {
  object: string;
  inactiveOwners: boolean;
  ownerIds: string[];
  /** The record's account lookup, when selecting records whose account has another owner. */
  accountOwnerField?: string;
  where?: Condition;
  exclude?: Condition;
}

export interface SelectContext {
  directory: Directory;
  accountOwners?: Map<string, string>;
  /** Account Id → the owner this plan gives it (moved earlier in the same plan): what "the account's owner" means. */
  plannedAccountOwners?: Map<string, string>;
  now: Date;
  /** Lower-cased field names the rules and selectors read, beyond Id and OwnerId. */
  fields: string[];
}

/** Where records come from. Selection happens inside: pushed into SOQL, or evaluated on CSV rows. */
export interface RecordSource {
  /** `csv:leads.csv` or `salesforce (acme.my.salesforce.com)`, for the diff and run.json. */
  readonly description: string;
  /** Streams the selected records, a chunk at a time. Converted leads never appear. */
  select(selection: Selection, context: SelectContext): AsyncIterable<SourceRecord[]>;
  /** Open records of the object per owner, for the fairness preview and load balancing. */
  openCounts(ownerIds: string[]): Promise<Map<string, number>>;
  /**
   * These owners' records that are not open (converted, closed, ended): what a plan of their records
   * leaves alone. Asked after `select`; undefined for an object whose records are all open.
   */
  historyCount?(ownerIds: string[], now: Date): Promise<number | undefined>;
}

/** Records per chunk handed from a source to the planner: large enough to amortise, small enough to bound memory. */
export const CHUNK_SIZE = 1000;
