import { GROUP_PREFIX, keyPrefix } from '../ids.js';

/**
 * The key prefix (first three characters) of every standard object leadshift moves, with the phrase a
 * message names its records by. A custom object's prefix differs per org, so an export of one is not checked.
 */
const OBJECTS: ReadonlyArray<{ prefix: string; object: string; phrase: string }> = [
  { prefix: '00Q', object: 'lead', phrase: 'a Lead' },
  { prefix: '003', object: 'contact', phrase: 'a Contact' },
  { prefix: '001', object: 'account', phrase: 'an Account' },
  { prefix: '006', object: 'opportunity', phrase: 'an Opportunity' },
  { prefix: '500', object: 'case', phrase: 'a Case' },
  { prefix: '00T', object: 'task', phrase: 'a Task' },
  { prefix: '00U', object: 'event', phrase: 'an Event' },
];

const USER_PREFIX = '005';

const OBJECT_PREFIXES: Record<string, string> = Object.fromEntries(OBJECTS.map((o) => [o.object, o.prefix]));

const PREFIX_NAMES: Record<string, string> = {
  ...Object.fromEntries(OBJECTS.map((o) => [o.prefix, o.phrase])),
  [USER_PREFIX]: 'a user',
  [GROUP_PREFIX]: 'a queue or group',
};

/** What the Id is the Id of, as a phrase ("an Account"), or "another object" when not known. */
function kindOf(id: string): string {
  return PREFIX_NAMES[keyPrefix(id)] ?? `another object (key prefix ${keyPrefix(id)})`;
}

/** Why `id` cannot be a record of `object`, or undefined when it can (or the object's prefix is unknown). */
export function foreignRecordId(id: string, object: string): string | undefined {
  const want = OBJECT_PREFIXES[object.toLowerCase()];
  if (!want || keyPrefix(id) === want) return undefined;
  return `${id} is the Id of ${kindOf(id)}, not of ${PREFIX_NAMES[want]} (${want}…)`;
}

/** Why `id` cannot own a record, or undefined when it is a user's or a queue's Id. */
export function foreignOwnerId(id: string): string | undefined {
  const prefix = keyPrefix(id);
  if (prefix === USER_PREFIX || prefix === GROUP_PREFIX) return undefined;
  return `${id} is the Id of ${kindOf(id)}, not of a user (005…) or a queue (00G…)`;
}
