import type { Condition } from '../conditions/index.js';
import type { Directory } from '../directory/directory.js';
import type { Place } from '../errors.js';
import type { SourceRecord, User } from '../model.js';
import type { RecordSource, Selection } from './source.js';

/**
 * What the job's rules need of a source, worked out from the rule strategies before the source is
 * opened and handed over as plain data, so sources know nothing of rules.
 */
export interface SourceNeeds {
  /** Companion exports a CSV source must be given for the rules. */
  exports: { users: boolean; queues: boolean; accounts: boolean };
  /** A rule walks up the owners' managers: their managers must be known too. */
  managers: boolean;
  /** A rule reads the account's owner through this lookup. */
  accountLookup?: string;
}

/** Records of `object` meeting `where`, counted per owner for rules that weigh members by them. */
export interface OwnedCount {
  object: string;
  where: Condition;
  /** Where the condition was written, for a field the object or its export lacks. */
  place: Place;
  ownerIds: string[];
  /** The moment relative dates (LAST_N_DAYS:90) are counted from. */
  now: Date;
}

/** A source with the people it knows, ready to plan against. */
export interface SourceKit {
  source: RecordSource;
  directory: Directory;
  accountOwners?: Map<string, string>;
  target: 'csv' | 'salesforce';
  /** The Salesforce host, for run.json and the production check. */
  instance?: string;
  /** The org's host when it is a production org (not a sandbox): writing there asks for the host. */
  productionHost?: () => Promise<string | undefined>;
  /** Makes sure the people named by the job are in the directory (Salesforce reads only those). */
  resolvePeople(references: string[]): Promise<void>;
  /**
   * Records of `object` (Contact, Opportunity) under these accounts, for an Account cascade: account Id →
   * the account's old owner. Yields records with `accountid` among their fields.
   */
  related?(object: string, accounts: Map<string, string>): AsyncIterable<SourceRecord[]>;
  /**
   * Whether records may be given to inactive users (Salesforce: the running user's "Update Records with
   * Inactive Owners"). Absent where nobody can tell (a CSV export): then they may not.
   */
  mayAssignInactiveOwners?(): Promise<boolean>;
  /** Inactive owners' open records, per object the source can count (for `leadshift owners`). */
  inactiveOwnerCounts(): Promise<Array<{ object: string; counts: Map<string, number> }>>;
  /** Active users who can take records over (for `leadshift owners` on a terminal). */
  activeUsers(): Promise<User[]>;
  /** Records per owner meeting a condition, of the job's object or another (every owner listed, 0 if none). */
  countOwned(request: OwnedCount): Promise<Map<string, number>>;
  /** Which of these field paths (lower-cased) the selected records can carry. */
  knownFields?(paths: string[]): Promise<ReadonlySet<string>>;
  /** Which selected-record fields must be read beyond the conditions' own. */
  extraFields(selection: Selection): string[];
  close(): Promise<void>;
}
