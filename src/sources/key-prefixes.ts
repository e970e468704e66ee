import { GROUP_PREFIX, keyPrefix } from '../ids.js';

/**
 * The key prefix (first three characters) of every standard object leadshift moves, and of the owners.
 * A custom object's prefix differs per org, so an export of one is not checked.
 */
const OBJECT_PREFIXES: Record<string, string> = {
  lead: '00Q',
  contact: '003',
  account: '001',
  opportunity: '006',
  case: '500',
  task: '00T',
  event: '00U',
};

const USER_PREFIX = '005';

const PREFIX_NAMES: Record<string, string> = {
  '00Q': 'a Lead',
  '003': 'a Contact',
  '001': 'an Account',
  '006': 'an Opportunity',
  '500': 'a Case',
  '00T': 'a Task',
  '00U': 'an Event',
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
