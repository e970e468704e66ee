import { GROUP_PREFIX, toId18 } from '../ids.js';
import { type Owner, QUEUE_OWNABLE, type Queue, type User } from '../model.js';
import { queueNameOf, queueReference } from './queue-reference.js';

/** What a person reference (`ana@acme.com`, `005…`, `queue:Hopper`) resolved to. */
export type PersonLookup =
  | { kind: 'found'; owner: Owner }
  | { kind: 'missing'; reason: string }
  | { kind: 'ambiguous'; reason: string };

/**
 * Users and queues known to the run, looked up by Id, username, email or queue name. The CSV source
 * fills it from exports; the Salesforce source fills it with the owners and targets the run needs.
 */
export class Directory {
  private readonly users = new Map<string, User>();
  private readonly queues = new Map<string, Queue>();
  private readonly byUsername = new Map<string, User>();
  private readonly byEmail = new Map<string, User[]>();
  private readonly queuesByName = new Map<string, Queue[]>();

  addUser(user: User): void {
    this.users.set(user.id, user);
    if (user.username) this.byUsername.set(user.username.toLowerCase(), user);
    if (user.email) {
      const key = user.email.toLowerCase();
      const list = this.byEmail.get(key) ?? [];
      list.push(user);
      this.byEmail.set(key, list);
    }
  }

  addQueue(queue: Queue): void {
    this.queues.set(queue.id, queue);
    for (const name of new Set([queue.developerName, queue.name])) {
      if (!name) continue;
      const key = name.toLowerCase();
      const list = this.queuesByName.get(key) ?? [];
      list.push(queue);
      this.queuesByName.set(key, list);
    }
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  queue(id: string): Queue | undefined {
    return this.queues.get(id);
  }

  owner(id: string): Owner | undefined {
    const user = this.users.get(id);
    if (user) return { kind: 'user', user };
    const queue = this.queues.get(id);
    return queue ? { kind: 'queue', queue } : undefined;
  }

  allUsers(): IterableIterator<User> {
    return this.users.values();
  }

  /** A readable name for an owner Id: the user's username (or name), `queue:NAME`, or the Id itself. */
  label(id: string): string {
    const user = this.users.get(id);
    if (user) return user.username ?? user.email ?? user.name ?? id;
    const queue = this.queues.get(id);
    if (queue) return queueReference(queue.developerName ?? queue.name ?? id);
    return id;
  }

  /** Resolves a person as a job names them: by Id, username or email; queues by `queue:NAME`. */
  find(reference: string): PersonLookup {
    const text = reference.trim();
    const queueName = queueNameOf(text);
    if (queueName !== undefined) return this.findQueue(queueName);
    const id = toId18(text);
    if (id) {
      const owner = this.owner(id);
      if (owner) return { kind: 'found', owner };
      const what = id.startsWith(GROUP_PREFIX) ? 'queue' : 'user';
      return { kind: 'missing', reason: `no ${what} has the Id ${text}` };
    }
    const key = text.toLowerCase();
    const byUsername = this.byUsername.get(key);
    if (byUsername) return { kind: 'found', owner: { kind: 'user', user: byUsername } };
    const byEmail = this.byEmail.get(key) ?? [];
    const active = byEmail.filter((user) => user.isActive);
    const candidates = active.length > 0 ? active : byEmail;
    if (candidates.length === 1 && candidates[0])
      return { kind: 'found', owner: { kind: 'user', user: candidates[0] } };
    if (candidates.length > 1) {
      const names = candidates.map((user) => user.username ?? user.id).join(', ');
      return { kind: 'ambiguous', reason: `"${text}" is the email of ${candidates.length} users (${names})` };
    }
    return { kind: 'missing', reason: `no user has the username or email "${text}"` };
  }

  private findQueue(name: string): PersonLookup {
    // A DeveloperName of 15 letters and digits also reads as an Id, so an Id that matches no queue is a name.
    const id = toId18(name);
    const byId = id ? this.queues.get(id) : undefined;
    const found = byId ? [byId] : (this.queuesByName.get(name.toLowerCase()) ?? []);
    if (found.length === 1 && found[0]) return { kind: 'found', owner: { kind: 'queue', queue: found[0] } };
    if (found.length > 1) return { kind: 'ambiguous', reason: `${found.length} queues are named "${name}"` };
    return { kind: 'missing', reason: `no queue is named "${name}"` };
  }
}

/**
 * Why an owner cannot receive records of `object`, as a phrase that follows the owner's name
 * ("is an inactive user"), or undefined when it can. Mirrors the checks Salesforce makes on an owner write.
 */
export function ownerRefusal(owner: Owner, object: string): string | undefined {
  if (owner.kind === 'user') return owner.user.isActive ? undefined : 'is an inactive user';
  if (!QUEUE_OWNABLE.has(object) && !object.endsWith('__c')) {
    return `is a queue, and Salesforce does not let queues own ${object} records`;
  }
  const objects = owner.queue.objects;
  if (objects && !objects.some((o) => o.toLowerCase() === object.toLowerCase())) {
    return `is a queue that does not take ${object} records (it lists ${objects.join(', ') || 'none'})`;
  }
  return undefined;
}
