import { type Directory, ownerRefusal } from '../directory/directory.js';
import { InputError, type Place } from '../errors.js';

/** Resolves a person or queue for `object`, or throws an InputError naming where it was written. */
export function resolveTarget(reference: string, place: Place, directory: Directory, object: string): string {
  const found = directory.find(reference);
  if (found.kind !== 'found') {
    throw new InputError({
      ...place,
      message: found.reason,
      hint: 'Name an active user by username, email or Id, or a queue as queue:NAME',
    });
  }
  const id = found.owner.kind === 'user' ? found.owner.user.id : found.owner.queue.id;
  const refusal = ownerRefusal(found.owner, object);
  if (refusal) {
    throw new InputError({
      ...place,
      message: `"${reference}" ${refusal}`,
      hint: 'Choose an active user, or a queue that takes this object',
    });
  }
  return id;
}
