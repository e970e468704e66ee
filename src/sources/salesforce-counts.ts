import { checkConditions, conditionToSoql, describedFields } from '../conditions/index.js';
import { toId18 } from '../ids.js';
import type { SalesforceClient } from '../salesforce/index.js';
import { chunk, IDS_PER_QUERY, soqlList } from './soql-clauses.js';
import type { OwnedCount } from './source-kit.js';

/**
 * Records per owner meeting a condition, by SOQL aggregate: one `GROUP BY OwnerId` query per slice of
 * owners, so the count costs a request per 300 members however many records they own. The condition is
 * checked against the object's describe first, so a misspelt field names the job key, not the query.
 */
export async function countOwnedInSalesforce(
  client: SalesforceClient,
  request: OwnedCount,
): Promise<Map<string, number>> {
  const described = await client.describe(request.object);
  checkConditions(
    [{ text: request.where.text, place: request.place }],
    describedFields(request.object, described.fields),
  );
  const counts = new Map(request.ownerIds.map((id) => [id, 0]));
  const where = conditionToSoql(request.where);
  for (const part of chunk(request.ownerIds, IDS_PER_QUERY)) {
    const soql = `SELECT OwnerId, COUNT(Id) FROM ${request.object} WHERE OwnerId IN ${soqlList(part)} AND ${where} GROUP BY OwnerId`;
    for (const row of await client.aggregate(soql)) {
      const id = typeof row.ownerid === 'string' ? toId18(row.ownerid) : undefined;
      if (id) counts.set(id, Number(row.expr0 ?? 0));
    }
  }
  return counts;
}

/**
 * Which field paths the object has: a plain field by its describe, a lookup's field (`Account.Industry`)
 * by following the relationship to its object's describe, one level at a time.
 */
export async function knownSalesforceFields(
  client: SalesforceClient,
  object: string,
  paths: readonly string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (const path of paths) if (await hasPath(client, object, path.split('.'))) known.add(path.toLowerCase());
  return known;
}

async function hasPath(client: SalesforceClient, object: string, parts: string[]): Promise<boolean> {
  const [head, ...rest] = parts;
  if (!head) return false;
  const described = await client.describe(object).catch(() => undefined);
  if (!described) return false;
  const name = head.toLowerCase();
  if (rest.length === 0) return described.fields.some((field) => field.name.toLowerCase() === name);
  const lookup = described.fields.find((field) => field.relationshipName?.toLowerCase() === name);
  const target = lookup?.referenceTo.length === 1 ? lookup.referenceTo[0] : undefined;
  return target ? hasPath(client, target, rest) : false;
}
