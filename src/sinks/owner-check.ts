import type { ChangeResult } from '../model.js';
import type { OwnerChange } from '../salesforce/index.js';
import type { PlannedChange } from './sink.js';

/** What a sink does with a planned change, given the record's owner as it is now. */
export type OwnerVerdict =
  | { kind: 'write' }
  /** This run sent the record before it was stopped, and the owner shows the write landed. */
  | { kind: 'already' }
  | { kind: 'skip'; error: string };

/**
 * Compare-and-set: a record is written only while its owner is still the planned old owner. A record
 * whose owner is already the planned new owner counts as this run's only if this run may have written it
 * (`mayHaveWritten`: an interrupted attempt sent it); otherwise someone else moved it, and it is skipped,
 * so that undo never reverts their change. A record left to Salesforce's assignment rules has no planned
 * new owner: once sent, any owner but the old one is what the rules chose.
 */
export function ownerVerdict(change: PlannedChange, owner: string, mayHaveWritten = false): OwnerVerdict {
  if (owner === change.oldOwnerId && change.newOwnerId !== change.oldOwnerId) return { kind: 'write' };
  if (mayHaveWritten && (change.newOwnerId === '' || owner === change.newOwnerId)) return { kind: 'already' };
  if (change.newOwnerId && owner === change.newOwnerId)
    return { kind: 'skip', error: `the owner is already ${owner}, set by someone else since the plan` };
  return { kind: 'skip', error: `the owner is now ${owner}, not the planned ${change.oldOwnerId}` };
}

/**
 * A written record, given its owner read after the write and the owner changes other users made while
 * its Bulk job ran (none over REST): `updated`; `conflict` when someone changed it while the job ran and
 * the job wrote over that; `overridden` when it holds another owner now (a trigger, a rule, a person).
 */
export function resultAfterWrite(change: PlannedChange, owner: string, theirs: OwnerChange[]): ChangeResult {
  const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
  const ours = change.newOwnerId === '' || owner === change.newOwnerId;
  const who = theirs.map((c) => `to ${c.to} by user ${c.by} at ${c.at}`).join('; ');
  if (ours && theirs.some((c) => c.to !== change.newOwnerId))
    return {
      ...base,
      newOwnerId: owner,
      status: 'conflict',
      error: `changed ${who} while the Bulk job ran; the job then wrote ${owner} over it: check who should own it`,
    };
  if (ours) return { ...base, newOwnerId: owner, status: 'updated', error: '' };
  const by = who
    ? `changed ${who}`
    : `changed to ${owner || 'nobody'} by the org (a trigger, flow or assignment rule)`;
  return { ...base, status: 'overridden', error: `written, then ${by}` };
}
