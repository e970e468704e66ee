import { appendFile, readFile } from 'node:fs/promises';
import { dropTornRecord } from '../csv/write.js';
import { runFile } from './run-files.js';

/** A Bulk ingest job an apply created, with the records it carries. */
export interface JournalledJob {
  job: string;
  object: string;
  ids: string[];
}

type Entry = { sent: string[] } | JournalledJob;

/**
 * The write journal (writes.jsonl): one JSON line per request, appended and handed to the OS before the
 * request goes out. After a kill it answers two questions results.csv cannot: might this run have
 * written a record (its owner is already the planned new owner: ours, or someone else's doing?), and
 * which Bulk job was still running (attach to it, never write its records a second time).
 */
export class WriteJournal {
  private readonly entries: Entry[] = [];
  private sentIds = new Set<string>();
  private readonly journalledJobs: JournalledJob[] = [];
  private readonly jobsNeverRan = new Set<string>();

  private constructor(private readonly path: string) {}

  static async open(runDir: string): Promise<WriteJournal> {
    const journal = new WriteJournal(runFile(runDir, 'writes'));
    // A line torn by a kill was never followed by its request: it is cut off, and means nothing.
    await dropTornRecord(journal.path);
    const text = await readFile(journal.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) if (line.trim()) journal.add(JSON.parse(line) as Entry);
    return journal;
  }

  /** This run sent a write of the record, in this attempt or an earlier one. */
  mayHaveWritten(id: string): boolean {
    return this.sentIds.has(id);
  }

  /** Bulk jobs created by earlier attempts, oldest first. */
  jobs(): readonly JournalledJob[] {
    return this.journalledJobs;
  }

  /**
   * A journalled job was found never to have run (aborted before its upload completed): its records
   * were not written by it, so an owner already the planned new one is someone else's doing.
   */
  neverRan(job: string): void {
    this.jobsNeverRan.add(job);
    this.sentIds = new Set();
    for (const entry of this.entries) this.remember(entry);
  }

  /** Before a REST request: these records are about to be written. */
  async sending(ids: string[]): Promise<void> {
    await this.append({ sent: ids });
  }

  /** Right after a Bulk job is created, before its data is uploaded. */
  async bulkJob(job: JournalledJob): Promise<void> {
    await this.append(job);
  }

  private async append(entry: Entry): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    this.add(entry);
  }

  private add(entry: Entry): void {
    this.entries.push(entry);
    if ('job' in entry) this.journalledJobs.push(entry);
    this.remember(entry);
  }

  private remember(entry: Entry): void {
    if ('job' in entry && this.jobsNeverRan.has(entry.job)) return;
    for (const id of 'sent' in entry ? entry.sent : entry.ids) this.sentIds.add(id);
  }
}
