import type { NotifyChannel } from '../../config/job.js';
import { journalNotice, type NoticeEntry, type NoticeStatus } from '../../journal/notify-journal.js';
import type { RunManifest } from '../../journal/run-manifest.js';
import { ApiLimitError, type SalesforceClient, SessionExpiredError } from '../../salesforce/index.js';
import { composeMessage, type RunFacts } from './compose.js';
import type { NoticeDraft } from './drafts.js';

/** Ids in one `Id IN (…)`: 20 characters each, far inside SOQL's limits. */
const IDS_PER_QUERY = 200;
const QUEUE_PREFIX = '00G';
/** Objects whose records are named by another field than Name. */
const NAME_FIELDS: Record<string, string> = { Case: 'CaseNumber', Task: 'Subject', Event: 'Subject' };

export interface NoticeOutcome {
  ownerId: string;
  owner: string;
  status: NoticeStatus;
  records: number;
  reason?: string;
}

interface Person {
  name: string;
  email: string;
  username: string;
}

export interface DeliveryContext {
  channel: NotifyChannel;
  runDir: string;
  manifest: RunManifest;
  now: () => Date;
  warn: (message: string) => void;
}

type Attempt = { status: NoticeStatus; reason?: string; taskId?: string };

/**
 * Tells each drafted owner, one request each (an email through the org's emailSimple action, or an
 * open Task they own), journalling every attempt as it ends. Queues are skipped: a queue has no inbox
 * of its own and cannot own a Task. Once Salesforce stops answering for the whole org (the daily limit,
 * a session gone), the rest are journalled failed without being sent.
 */
export async function deliverNotices(
  client: SalesforceClient,
  drafts: NoticeDraft[],
  context: DeliveryContext,
): Promise<NoticeOutcome[]> {
  const people = await readPeople(
    client,
    drafts.map((d) => d.ownerId).filter((id) => !id.startsWith(QUEUE_PREFIX)),
  );
  const names = await readNames(client, drafts);
  const run = await runFacts(client, context.manifest);
  const outcomes: NoticeOutcome[] = [];
  let stopped: string | undefined;
  for (const draft of drafts) {
    let attempt: Attempt;
    const person = people.get(draft.ownerId);
    if (draft.ownerId.startsWith(QUEUE_PREFIX)) {
      attempt = { status: 'skipped', reason: 'a queue: it has no inbox of its own and cannot own a Task' };
      context.warn(`${draft.owner} is a queue and is not told about its ${draft.records} records`);
    } else if (stopped) attempt = { status: 'failed', reason: `not sent: ${stopped}` };
    else if (!person) attempt = { status: 'failed', reason: `no user ${draft.ownerId} in the org` };
    else {
      const message = composeMessage(draft, person.name || person.username, names, run);
      attempt = await send(client, context.channel, draft.ownerId, person, message).catch(
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          // The org refuses everyone alike now: the rest are not sent, and say why.
          if (error instanceof ApiLimitError || error instanceof SessionExpiredError) stopped = reason;
          return { status: 'failed' as const, reason };
        },
      );
    }
    outcomes.push(await journal(draft, attempt, context));
  }
  return outcomes;
}

async function journal(
  draft: NoticeDraft,
  attempt: Attempt,
  context: DeliveryContext,
): Promise<NoticeOutcome> {
  const outcome: NoticeOutcome = {
    ownerId: draft.ownerId,
    owner: draft.owner,
    records: draft.records,
    status: attempt.status,
    ...(attempt.reason ? { reason: attempt.reason } : {}),
  };
  const entry: NoticeEntry = {
    ...outcome,
    channel: context.channel,
    ...(attempt.taskId ? { taskId: attempt.taskId } : {}),
    at: context.now().toISOString(),
  };
  await journalNotice(context.runDir, entry);
  return outcome;
}

async function send(
  client: SalesforceClient,
  channel: NotifyChannel,
  ownerId: string,
  person: Person,
  message: { subject: string; body: string },
): Promise<Attempt> {
  if (channel === 'task') {
    const taskId = await client.create('Task', {
      Subject: message.subject,
      Description: message.body,
      OwnerId: ownerId,
      Status: 'Not Started',
    });
    return { status: 'sent', taskId };
  }
  if (!person.email) return { status: 'failed', reason: 'the user has no email address' };
  const [result] = await client.invokeStandardAction('emailSimple', [
    { emailAddresses: person.email, emailSubject: message.subject, emailBody: message.body },
  ]);
  return result?.isSuccess ? { status: 'sent' } : { status: 'failed', reason: result?.error ?? 'no result' };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

const inList = (ids: string[]) => ids.map((id) => `'${id}'`).join(', ');

async function readPeople(client: SalesforceClient, ids: string[]): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  for (const part of chunks(ids, IDS_PER_QUERY))
    for await (const page of client.query(
      `SELECT Id, Name, Email, Username FROM User WHERE Id IN (${inList(part)})`,
    ))
      for (const row of page)
        people.set(String(row.id), {
          name: String(row.name ?? ''),
          email: String(row.email ?? ''),
          username: String(row.username ?? ''),
        });
  return people;
}

/** The named records' names, by object; a record whose name cannot be read is listed by its link alone. */
async function readNames(client: SalesforceClient, drafts: NoticeDraft[]): Promise<Map<string, string>> {
  const byObject = new Map<string, string[]>();
  for (const draft of drafts)
    for (const { id, object } of draft.named) byObject.set(object, [...(byObject.get(object) ?? []), id]);
  const names = new Map<string, string>();
  for (const [object, ids] of byObject) {
    const field = NAME_FIELDS[object] ?? 'Name';
    try {
      for (const part of chunks(ids, IDS_PER_QUERY))
        for await (const page of client.query(
          `SELECT Id, ${field} FROM ${object} WHERE Id IN (${inList(part)})`,
        ))
          for (const row of page) {
            const name = row[field.toLowerCase()];
            if (name !== null && name !== undefined && name !== '') names.set(String(row.id), String(name));
          }
    } catch {
      // an object without that name field, or one the user cannot read: its links still say enough
    }
  }
  return names;
}

async function runFacts(client: SalesforceClient, manifest: RunManifest): Promise<RunFacts> {
  const userId = await client.runningUserId();
  const user = (await readPeople(client, [userId])).get(userId);
  const salesforceUser = user ? `${user.name || user.username} (${user.username})` : userId;
  return { runId: manifest.runId, salesforceUser, ranBy: manifest.ranBy, instanceUrl: client.instanceUrl };
}
