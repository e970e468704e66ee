import type { Directory } from '../directory/directory.js';
import { queueNameOf } from '../directory/queue-reference.js';
import { GROUP_PREFIX, toId18 } from '../ids.js';
import type { FieldValue, User } from '../model.js';
import type { SalesforceClient } from '../salesforce/index.js';
import { chunk, IDS_PER_QUERY, soqlList } from './soql-clauses.js';

type Flat = Record<string, FieldValue>;

const USER_FIELDS = 'Id, Username, Email, Name, IsActive, ManagerId';

/** Reads into the directory only the users and queues a run needs: named people, owners, managers. */
export class SalesforceDirectoryLoader {
  private readonly tried = new Set<string>();

  constructor(
    private readonly client: SalesforceClient,
    private readonly directory: Directory,
  ) {}

  /** People as a job names them: Ids, usernames, emails, `queue:NAME`. */
  async loadReferences(references: string[]): Promise<void> {
    const ids: string[] = [];
    const logins: string[] = [];
    const queueNames: string[] = [];
    for (const reference of references) {
      const text = reference.trim();
      // A name looked for once (by an earlier object of the same job) is known, or known to be nobody.
      if (this.tried.has(`name:${text.toLowerCase()}`)) continue;
      this.tried.add(`name:${text.toLowerCase()}`);
      const queueName = queueNameOf(text);
      if (queueName !== undefined) queueNames.push(queueName);
      else if (toId18(text)) ids.push(toId18(text) as string);
      else logins.push(text);
    }
    await this.loadIds(ids);
    for (const part of chunk([...new Set(logins)], IDS_PER_QUERY / 2)) {
      const list = soqlList(part);
      await this.addUsers(`SELECT ${USER_FIELDS} FROM User WHERE Username IN ${list} OR Email IN ${list}`);
    }
    for (const part of chunk([...new Set(queueNames)], IDS_PER_QUERY / 2)) {
      const list = soqlList(part);
      await this.addQueues(
        `SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' AND (DeveloperName IN ${list} OR Name IN ${list})`,
      );
    }
  }

  /** Users and queues by Id, skipping those already known or already looked for. */
  async loadIds(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.tried.has(id) && !this.directory.owner(id));
    for (const id of wanted) this.tried.add(id);
    const users = wanted.filter((id) => !id.startsWith(GROUP_PREFIX));
    const queues = wanted.filter((id) => id.startsWith(GROUP_PREFIX));
    for (const part of chunk(users, IDS_PER_QUERY))
      await this.addUsers(`SELECT ${USER_FIELDS} FROM User WHERE Id IN ${soqlList(part)}`);
    for (const part of chunk(queues, IDS_PER_QUERY)) {
      await this.addQueues(
        `SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' AND Id IN ${soqlList(part)}`,
      );
    }
  }

  /** Every active user: the people who could take records over. */
  async loadActiveUsers(): Promise<User[]> {
    await this.addUsers(`SELECT ${USER_FIELDS} FROM User WHERE IsActive = true AND UserType = 'Standard'`);
    return [...this.directory.allUsers()].filter((user) => user.isActive);
  }

  /** Walks up the manager chains of these users until every manager is known (for the manager rule). */
  async loadManagers(userIds: Iterable<string>): Promise<void> {
    let frontier = [...userIds];
    for (let depth = 0; depth < 10 && frontier.length > 0; depth++) {
      const managers = frontier
        .map((id) => this.directory.user(id)?.managerId)
        .filter((id): id is string => !!id);
      const unknown = managers.filter((id) => !this.directory.user(id) && !this.tried.has(id));
      await this.loadIds(unknown);
      frontier = managers.filter((id) => !this.directory.user(id)?.isActive);
    }
  }

  private async addUsers(soql: string): Promise<void> {
    for await (const page of this.client.query(soql)) {
      for (const row of page) {
        const id = idOf(row.id);
        if (!id) continue;
        this.directory.addUser({
          id,
          isActive: row.isactive === true || row.isactive === 'true',
          username: text(row.username),
          email: text(row.email),
          name: text(row.name),
          managerId: idOf(row.managerid),
        });
      }
    }
  }

  private async addQueues(soql: string): Promise<void> {
    const found: string[] = [];
    for await (const page of this.client.query(soql)) {
      for (const row of page) {
        const id = idOf(row.id);
        if (!id) continue;
        found.push(id);
        this.directory.addQueue({
          id,
          name: text(row.name),
          developerName: text(row.developername),
          objects: [],
        });
      }
    }
    for (const part of chunk(found, IDS_PER_QUERY)) {
      for await (const page of this.client.query(
        `SELECT QueueId, SobjectType FROM QueueSobject WHERE QueueId IN ${soqlList(part)}`,
      )) {
        for (const row of page) {
          const queue = this.directory.queue(idOf(row.queueid) ?? '');
          const object = text(row.sobjecttype);
          if (queue && object) queue.objects?.push(object);
        }
      }
    }
  }
}

function idOf(value: FieldValue | undefined): string | undefined {
  return typeof value === 'string' ? toId18(value) : undefined;
}

function text(value: FieldValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export type { Flat };
