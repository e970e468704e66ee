/**
 * Telling the new owners (README "Telling the new owners"): after an apply to Salesforce, one message
 * per receiving owner, journalled in notify.jsonl so that `leadshift notify` resends only what failed.
 */
import type { NotifyChannel } from '../../config/job.js';
import { journalNotice, readNotices } from '../../journal/notify-journal.js';
import type { RunManifest } from '../../journal/run-manifest.js';
import { connectSalesforce } from '../../salesforce/index.js';
import { deliverNotices, type NoticeOutcome } from './deliver.js';
import { draftNotices, type NoticeDraft } from './drafts.js';

export type { NoticeOutcome } from './deliver.js';

/** Whom a send covers: owners never tried (after an apply), those not told yet (a resend), or all. */
export type NoticeSelection = 'untried' | 'unsent' | 'all';

export interface NotifyReport {
  channel: NotifyChannel;
  sent: number;
  failed: number;
  skipped: number;
  /** Owners already told by an earlier send, and not sent to again. */
  alreadySent: number;
  owners: NoticeOutcome[];
}

export interface NotifyOptions {
  channel: NotifyChannel;
  selection: NoticeSelection;
  env: Record<string, string | undefined>;
  now: () => Date;
  warn: (message: string) => void;
}

/**
 * Sends the run's messages. Nothing here throws for a message that could not go out, nor for an org
 * that cannot be reached: each owner's outcome is reported and journalled, and the apply stays as it is.
 */
export async function tellNewOwners(
  runDir: string,
  manifest: RunManifest,
  options: NotifyOptions,
): Promise<NotifyReport> {
  const drafts = await draftNotices(runDir, manifest);
  const earlier = await readNotices(runDir);
  const wanted = drafts.filter((draft) => {
    const last = earlier.get(draft.ownerId);
    if (options.selection === 'all') return true;
    if (options.selection === 'untried') return !last;
    return !last || last.status === 'failed';
  });
  const alreadySent = drafts.filter((d) => earlier.get(d.ownerId)?.status === 'sent').length;
  const report = (owners: NoticeOutcome[]): NotifyReport => ({
    channel: options.channel,
    sent: owners.filter((o) => o.status === 'sent').length,
    failed: owners.filter((o) => o.status === 'failed').length,
    skipped: owners.filter((o) => o.status === 'skipped').length,
    alreadySent: options.selection === 'all' ? 0 : alreadySent,
    owners,
  });
  if (wanted.length === 0) return report([]);
  let client: Awaited<ReturnType<typeof connectSalesforce>>;
  try {
    client = await connectSalesforce({ org: manifest.job.org, env: options.env });
  } catch (error) {
    return report(await failAll(runDir, wanted, error, options));
  }
  const owners = await deliverNotices(client, wanted, {
    channel: options.channel,
    runDir,
    manifest,
    now: options.now,
    warn: options.warn,
  }).catch((error: unknown) => failAll(runDir, wanted, error, options));
  return report(owners);
}

/** The org could not be reached, or the people or record names not read: nothing was sent. */
async function failAll(
  runDir: string,
  drafts: NoticeDraft[],
  error: unknown,
  options: NotifyOptions,
): Promise<NoticeOutcome[]> {
  const reason = `not sent: ${error instanceof Error ? error.message : String(error)}`;
  const owners: NoticeOutcome[] = [];
  for (const draft of drafts) {
    const outcome = {
      ownerId: draft.ownerId,
      owner: draft.owner,
      records: draft.records,
      status: 'failed' as const,
      reason,
    };
    await journalNotice(runDir, { ...outcome, channel: options.channel, at: options.now().toISOString() });
    owners.push(outcome);
  }
  return owners;
}
