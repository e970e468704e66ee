/**
 * Owner history, read after a Bulk job: Bulk API 2.0 has no compare-and-set, so a change someone makes
 * while a job runs can be overwritten. Where the object tracks its owner (field history on Owner), the
 * rows other users wrote since the job was created say who changed which record, and to whom.
 */
import { InputError } from '../errors.js';
import { toId18 } from '../ids.js';
import { SalesforceError } from './errors.js';
import type { Channel } from './http.js';
import { queryPages } from './query.js';

export interface OwnerChange {
  /** The record whose owner changed. */
  id: string;
  by: string;
  to: string;
  /** The org's clock, as the history row says. */
  at: string;
}

/** Field history lives in `<Object>History`, except Opportunity's, and custom objects' `__History`. */
export function historyObjectOf(object: string): { history: string; parentField: string } {
  if (object === 'Opportunity') return { history: 'OpportunityFieldHistory', parentField: 'OpportunityId' };
  if (object.endsWith('__c')) return { history: `${object.slice(0, -3)}__History`, parentField: 'ParentId' };
  return { history: `${object}History`, parentField: `${object}Id` };
}

/** The Id rows of an owner change (the other row of each pair carries the owners' names). */
const OWNER_ID = /^(005|00G)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

/** SOQL datetimes take whole seconds; flooring keeps every row of the second the job began. */
function soqlDateTime(orgTime: string): string {
  const date = new Date(orgTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Owner changes by anyone but `runningUser` since `since` (an org timestamp), by record; undefined when
 * the org keeps no owner history for this object (the query is refused).
 */
export async function ownerChangesByOthers(
  channel: Channel,
  object: string,
  since: string,
  runningUser: string,
): Promise<Map<string, OwnerChange[]> | undefined> {
  const { history, parentField } = historyObjectOf(object);
  const soql =
    `SELECT ${parentField}, CreatedById, CreatedDate, NewValue FROM ${history} ` +
    `WHERE Field = 'Owner' AND CreatedDate >= ${soqlDateTime(since)} AND CreatedById != '${runningUser}' ` +
    'ORDER BY CreatedDate';
  const changes = new Map<string, OwnerChange[]>();
  try {
    for await (const page of queryPages(channel, soql)) {
      for (const row of page) {
        const to = String(row.newvalue ?? '');
        if (!OWNER_ID.test(to)) continue;
        const id = toId18(String(row[parentField.toLowerCase()] ?? '')) ?? '';
        const list = changes.get(id) ?? [];
        list.push({
          id,
          by: toId18(String(row.createdbyid)) ?? '',
          to: toId18(to) ?? to,
          at: String(row.createddate),
        });
        changes.set(id, list);
      }
    }
  } catch (error) {
    // No history object, or Owner not tracked on it: Salesforce rejects the query itself.
    if (error instanceof InputError) return undefined;
    if (error instanceof SalesforceError && error.status === 400) return undefined;
    throw error;
  }
  return changes;
}
