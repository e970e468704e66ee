import type { Issue } from '../rules/strategies/parts.js';
import { quote } from '../rules/strategies/parts.js';
import type { SourceSpec, WriteApi } from './job.js';

/**
 * Value checks shared by the job file schema and the command-line flags, so that `from: sf` and
 * `--from sf` are refused for the same reason and with the same advice.
 */

export type { Issue } from '../rules/strategies/parts.js';
export { quote } from '../rules/strategies/parts.js';

export const WRITE_APIS = ['rest', 'bulk', 'auto'] as const satisfies readonly WriteApi[];
export const CASCADE_OBJECTS = ['Contact', 'Opportunity'] as const;
export const STAMP_PLACEHOLDERS = ['rule', 'runId', 'date', 'oldOwner', 'newOwner'] as const;

/**
 * Bulk API batches hold at most 10,000 records; REST sObject Collections take 200 a request, and the
 * REST writer splits larger batches itself, so one setting serves both APIs.
 */
export const MIN_BATCH_SIZE = 1;
export const MAX_BATCH_SIZE = 10_000;

/** The standard objects leadshift moves; on CSV, any other object must be custom. */
const STANDARD_OBJECTS = ['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'Task', 'Event'];
// An optional namespace prefix (`ns__`), then letters, digits and single underscores, then `__c`.
const API_NAME = /^(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__c)?$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;

export function isApiName(value: string): boolean {
  return API_NAME.test(value) && !value.endsWith('_');
}

/** Salesforce API names are case-insensitive; standard objects are written back in their usual case. */
export function canonicalObject(value: string): string {
  return STANDARD_OBJECTS.find((name) => name.toLowerCase() === value.toLowerCase()) ?? value;
}

export function checkObjectName(value: string): Issue | undefined {
  if (isApiName(value)) return undefined;
  return {
    message: `${quote(value)} is not an sObject API name`,
    hint: 'Use the API name, e.g. Lead, Contact, Account, Opportunity, Case, Task, Event or My_Object__c',
  };
}

/**
 * Salesforce says which objects exist, but a CSV source has no org to ask: an object neither standard nor
 * custom (`__c`) is a typo there, and would otherwise be planned with none of the object's rules.
 */
export function checkCsvObject(value: string): Issue | undefined {
  const known = STANDARD_OBJECTS.some((name) => name.toLowerCase() === value.toLowerCase());
  if (known || !isApiName(value) || value.toLowerCase().endsWith('__c')) return undefined;
  return {
    message: `${quote(value)} is neither a standard object (${STANDARD_OBJECTS.join(', ')}) nor a custom one (ending in __c)`,
    hint: 'Use the API name of the object the export holds, e.g. Lead or Territory_Request__c',
  };
}

export function checkFieldName(value: string): Issue | undefined {
  if (isApiName(value)) return undefined;
  return {
    message: `${quote(value)} is not a field API name`,
    hint: 'Use the API name, e.g. Partner_Account__c',
  };
}

/** `salesforce` or `csv:PATH`; the path is returned as written, resolved by the caller. */
export function parseSource(value: string): SourceSpec | Issue {
  const text = value.trim();
  if (text === 'salesforce') return { kind: 'salesforce' };
  if (text.toLowerCase().startsWith('csv:')) {
    const path = text.slice(4).trim();
    if (path) return { kind: 'csv', path };
    return { message: `${quote(value)} names no file`, hint: 'Write csv:PATH, e.g. csv:exports/leads.csv' };
  }
  return {
    message: `${quote(value)} is not a source`,
    hint: 'Use salesforce, or csv:PATH for a record export, e.g. csv:exports/leads.csv',
  };
}

export function isIssue(value: object): value is Issue {
  return 'message' in value;
}

export function checkStampTemplate(value: string): Issue | undefined {
  const known: readonly string[] = STAMP_PLACEHOLDERS;
  for (const match of value.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!known.includes(name)) {
      return {
        message: `unknown placeholder {${name}} in ${quote(value)}`,
        hint: `Use ${STAMP_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      };
    }
  }
  return undefined;
}

export function checkStampField(field: string): Issue | undefined {
  const invalid = checkFieldName(field);
  if (invalid) return invalid;
  if (['ownerid', 'id'].includes(field.toLowerCase())) {
    return { message: `${field} cannot be stamped`, hint: 'The rules set OwnerId; stamp another field' };
  }
  return undefined;
}

export function checkBatchSize(value: number): Issue | undefined {
  if (Number.isInteger(value) && value >= MIN_BATCH_SIZE && value <= MAX_BATCH_SIZE) return undefined;
  return {
    message: `batch size ${quote(value)} is not a whole number from ${MIN_BATCH_SIZE} to ${MAX_BATCH_SIZE}`,
    hint: 'REST writes send at most 200 records a request whatever the batch size; 200 is the default',
  };
}

export function checkCascade(object: string, cascade: readonly string[]): Issue | undefined {
  if (cascade.length === 0 || object.toLowerCase() === 'account') return undefined;
  return {
    message: `cascade moves an account's related records, but the object is ${object}`,
    hint: 'Remove cascade, or set object: Account',
  };
}
