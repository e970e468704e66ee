import { toId18 } from '../ids.js';
import type { SourceRecord } from '../model.js';

/**
 * How a record leads to its account's owner. Rules (`accountOwner`) and sources (`select.accountOwner`)
 * both ask, so the answer lives beside the people it resolves to.
 */

/** The lookup that leads from a record to its account: a named field, or the object's standard one. */
export function accountField(object: string, named?: string): string | undefined {
  if (named) return named;
  return object === 'Lead' || object === 'Account' ? undefined : 'AccountId';
}

/** The relationship a lookup field is read through in SOQL: AccountId → Account, Account__c → Account__r. */
export function relationshipOf(field: string): string {
  return field.toLowerCase().endsWith('__c') ? `${field.slice(0, -3)}__r` : field.replace(/Id$/i, '');
}

/** The owner of the record's account, from the record's `<lookup>.OwnerId` or the accounts export. */
export function accountOwnerOf(
  record: SourceRecord,
  field: string,
  known: { accountOwners?: Map<string, string>; plannedAccountOwners?: Map<string, string> },
): string | undefined {
  // CSV exports may carry 15-character Ids; the directory and the accounts export are keyed by 18.
  const accountText = record.fields[field.toLowerCase()];
  const accountId =
    typeof accountText === 'string' && accountText ? (toId18(accountText) ?? accountText) : '';
  // An account moving in the same plan is followed to its new owner, not left with its old one.
  const planned = accountId ? known.plannedAccountOwners?.get(accountId) : undefined;
  if (planned) return planned;
  const fromQuery = record.fields[`${relationshipOf(field).toLowerCase()}.ownerid`];
  if (typeof fromQuery === 'string' && fromQuery) return toId18(fromQuery) ?? fromQuery;
  return accountId ? known.accountOwners?.get(accountId) : undefined;
}
