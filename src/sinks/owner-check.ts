import type { PlannedChange } from './sink.js';

/** What a sink does with a planned change, given the record's owner as it is now. */
export type OwnerVerdict =
  | { kind: 'write' }
  /** The planned new owner is already set: an earlier apply wrote it and was stopped before journalling. */
  | { kind: 'already' }
  | { kind: 'skip'; error: string };

/** Compare-and-set: a record is written only while its owner is still the planned old owner. */
export function ownerVerdict(change: PlannedChange, owner: string): OwnerVerdict {
  if (change.newOwnerId && owner === change.newOwnerId) return { kind: 'already' };
  if (owner === change.oldOwnerId) return { kind: 'write' };
  return { kind: 'skip', error: `the owner is now ${owner}, not the planned ${change.oldOwnerId}` };
}
