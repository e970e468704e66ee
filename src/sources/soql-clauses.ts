import { soqlString } from '../conditions/index.js';

/** Pieces of SOQL built from values, never from user text: every literal goes through `soqlString`. */

export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** Ids per IN list: about 27 URL-encoded bytes each keeps a REST query GET well under its 16,384-byte limit. */
export const IDS_PER_QUERY = 300;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Objects whose OwnerId is a plain User lookup; the others (Lead, Case, custom) may be owned by queues. */
export const USER_OWNED = new Set(['Account', 'Contact', 'Opportunity']);

/** Records whose owner is an inactive user. Lead, Case and custom owners may be queues: Owner.Type keeps them out. */
export function inactiveOwnerClauses(object: string): string[] {
  return USER_OWNED.has(object)
    ? ['Owner.IsActive = false']
    : ['Owner.IsActive = false', "Owner.Type = 'User'"];
}

/**
 * The WHERE clause that keeps only open records: open work per owner, and the activities a job may move.
 * An event is open until it ends. An all-day event's EndDateTime is midnight GMT of its last day, so it
 * stays open through that whole (GMT) day, as an export's EndDateTime or ActivityDate date does.
 */
export function openRecordsClause(object: string, now: Date = new Date()): string | undefined {
  if (object === 'Lead') return 'IsConverted = false';
  if (object === 'Opportunity' || object === 'Case' || object === 'Task') return 'IsClosed = false';
  if (object === 'Event') {
    const day = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
    return `(EndDateTime >= ${soqlDateTime(now)} OR (IsAllDayEvent = true AND EndDateTime >= ${day}))`;
  }
  return undefined;
}

/** A SOQL datetime literal, to the second (SOQL takes no fractions). */
function soqlDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
