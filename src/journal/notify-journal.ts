import { appendFile, readFile } from 'node:fs/promises';
import { runFile } from './run-files.js';

export type NoticeStatus = 'sent' | 'failed' | 'skipped';

/** One attempt to tell one new owner, as notify.jsonl keeps it (one line per attempt, appended). */
export interface NoticeEntry {
  ownerId: string;
  owner: string;
  channel: 'email' | 'task';
  status: NoticeStatus;
  /** Records the message told them about. */
  records: number;
  /** Why it failed or was skipped. */
  reason?: string;
  /** The Task created, for `task`. */
  taskId?: string;
  at: string;
}

/** Appends one attempt and flushes it, so that a resend after a crash knows what went out. */
export async function journalNotice(runDir: string, entry: NoticeEntry): Promise<void> {
  await appendFile(runFile(runDir, 'notify'), `${JSON.stringify(entry)}\n`, { flush: true });
}

/** Each owner's latest attempt; a torn last line (a crash while writing it) is ignored. */
export async function readNotices(runDir: string): Promise<Map<string, NoticeEntry>> {
  const latest = new Map<string, NoticeEntry>();
  const text = await readFile(runFile(runDir, 'notify'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as NoticeEntry;
      if (typeof entry.ownerId === 'string') latest.set(entry.ownerId, entry);
    } catch {
      // the line a crash cut short: that attempt's outcome is unknown, and it is sent again
    }
  }
  return latest;
}
