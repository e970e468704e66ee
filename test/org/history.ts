// Owner history and the running user's permissions, as a real org records and reports them.

import { to18 } from './ids.js';
import { HISTORY_OBJECTS } from './schema.js';
import type { OrgState } from './state.js';
import { type Rec, sfDateTime } from './store.js';

function historyObjectFor(object: string): [string, string] | undefined {
  for (const [name, h] of Object.entries(HISTORY_OBJECTS))
    if (h.parent === object) return [name, h.parentField];
  return undefined;
}

function ownerName(state: OrgState, id: unknown): string | null {
  const found = state.store.lookup(id);
  return found ? String(found.rec.Name ?? '') : null;
}

/**
 * One owner change as field history records it: two rows with Field 'Owner', one carrying the Ids
 * (DataType 'EntityId') and one carrying the owners' names (DataType 'Text'), so a reader has to tell
 * them apart. Written for every owner change, by any user, at the org's clock.
 */
export function recordOwnerChange(
  state: OrgState,
  object: string,
  rec: Rec,
  oldOwner: unknown,
  userId: string,
): void {
  const newOwner = rec.OwnerId;
  if (to18(oldOwner) === to18(newOwner)) return;
  const target = historyObjectFor(object);
  if (!target) return;
  const [history, parentField] = target;
  const stamp = sfDateTime(state.store.now());
  const base = { [parentField]: rec.Id, Field: 'Owner', CreatedById: userId, CreatedDate: stamp };
  state.store.insert(history, [
    { ...base, DataType: 'EntityId', OldValue: oldOwner ?? null, NewValue: newOwner ?? null },
    {
      ...base,
      DataType: 'Text',
      OldValue: ownerName(state, oldOwner),
      NewValue: ownerName(state, newOwner),
    },
  ]);
}

/** Whether a permission (e.g. 'PermissionsUpdateWithInactiveOwner') is on any set assigned to the user. */
export function userHasPermission(state: OrgState, userId: string, permission: string): boolean {
  const user = to18(userId);
  return state.store
    .all('PermissionSetAssignment')
    .filter((a) => to18(a.AssigneeId) === user && a.IsDeleted !== true)
    .some((a) => state.store.get('PermissionSet', String(a.PermissionSetId))?.[permission] === true);
}
