/** The domain shared by every stage: records, people, decisions, changes. Ids are always 18 characters. */

export type FieldValue = string | number | boolean | null;

/**
 * One record as read from a source. `fields` is keyed by the lower-cased API name; relationship fields
 * keep their dotted path (`owner.isactive`, `account.ownerid`). CSV values are strings; Salesforce
 * values keep their JSON types.
 */
export interface SourceRecord {
  id: string;
  ownerId: string;
  fields: Record<string, FieldValue>;
  /** Where the record came from, for messages: the CSV line, or undefined for Salesforce. */
  line?: number;
}

export interface User {
  id: string;
  isActive: boolean;
  username?: string;
  email?: string;
  name?: string;
  managerId?: string;
}

export interface Queue {
  id: string;
  name?: string;
  developerName?: string;
  /** sObject types the queue accepts (QueueSobject); undefined when the source does not say. */
  objects?: string[];
}

export type Owner = { kind: 'user'; user: User } | { kind: 'queue'; queue: Queue };

/** Objects whose records Salesforce lets a queue own. */
export const QUEUE_OWNABLE = new Set(['Lead', 'Case']);

/** What the rules decided for one record. */
export type Decision =
  | { kind: 'assign'; ownerId: string; rule: string }
  | { kind: 'salesforceRules'; rule: string; assignmentRuleId?: string }
  | { kind: 'keep'; rule: string }
  | { kind: 'unassigned'; reason: string };

export type ResultStatus = 'updated' | 'failed' | 'skipped' | 'overridden' | 'conflict';

/** One row of results.csv. */
export interface ChangeResult {
  id: string;
  oldOwnerId: string;
  newOwnerId: string;
  status: ResultStatus;
  error: string;
  /** The record's object, in a plan of several objects. */
  object?: string;
}
