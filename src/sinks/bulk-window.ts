import type { JournalledJob, WriteJournal } from '../journal/write-journal.js';
import type {
  AttachedJob,
  IngestJobRef,
  OwnerChange,
  SalesforceClient,
  WriteOutcome,
} from '../salesforce/index.js';
import type { PlannedChange } from './sink.js';

/** What one window wrote of one object: the changes Salesforce accepted, and the Bulk jobs that did it. */
export interface Written {
  changes: PlannedChange[];
  jobs: IngestJobRef[];
}

/**
 * Errors that mean the record changed since the plan, not that the write failed: the lead was converted,
 * or the record deleted (a cross-reference error that names no field is about the record's own Id).
 */
export function driftOf(outcome: Extract<WriteOutcome, { ok: false }>): string | undefined {
  const onRecord = !outcome.fields?.length || outcome.fields.every((field) => field === 'Id');
  if (outcome.code === 'CANNOT_UPDATE_CONVERTED_LEAD')
    return `the lead was converted since the plan (${outcome.code})`;
  if (outcome.code === 'ENTITY_IS_DELETED') return `the record was deleted since the plan (${outcome.code})`;
  if (outcome.code === 'INVALID_CROSS_REFERENCE_KEY' && onRecord)
    return `the record no longer exists (${outcome.code})`;
  return undefined;
}

/**
 * The Bulk side of a window: the jobs earlier, stopped applies left behind (journalled as they were
 * created), attached to once each; and owner history read after a job, where the org keeps it.
 */
export class BulkJobs {
  /** The latest journalled job of each record: a record is only in a later job if the earlier never ran. */
  private readonly jobOf = new Map<string, JournalledJob>();
  private readonly attached = new Map<string, Promise<AttachedJob | undefined>>();
  private readonly noHistory = new Set<string>();

  constructor(
    private readonly client: SalesforceClient,
    private readonly journal: WriteJournal,
    private readonly warn: (message: string) => void,
  ) {
    for (const job of journal.jobs()) for (const id of job.ids) this.jobOf.set(id, job);
  }

  /**
   * Takes out of `changes` the records a journalled job carries and that job ran: their outcomes go to
   * `collect` (and the job to `written`, for the check after). Returns the records still to be written.
   */
  async attach(
    object: string,
    changes: PlannedChange[],
    written: Written,
    collect: (changes: PlannedChange[], outcomes: WriteOutcome[]) => void,
  ): Promise<PlannedChange[]> {
    const byJob = new Map<JournalledJob, PlannedChange[]>();
    const left: PlannedChange[] = [];
    for (const change of changes) {
      const job = this.jobOf.get(change.id);
      if (!job || job.object !== object) left.push(change);
      else byJob.set(job, [...(byJob.get(job) ?? []), change]);
    }
    for (const [job, carried] of byJob) {
      const found = await this.find(job);
      if (found?.kind === 'never ran') this.journal.neverRan(job.job);
      if (found?.kind !== 'ran') {
        left.push(...carried);
        continue;
      }
      if (!written.jobs.some((j) => j.id === found.job.id)) written.jobs.push(found.job);
      collect(carried, found.outcomes);
    }
    return left;
  }

  private find(job: JournalledJob): Promise<AttachedJob | undefined> {
    let found = this.attached.get(job.job);
    if (!found) {
      found = this.client.attachIngestJob(job.job, job.ids);
      this.attached.set(job.job, found);
    }
    return found;
  }

  /**
   * Owner changes other users made since the first of `jobs` was created, by record; undefined when no
   * job wrote or the object keeps no owner history (said once per object).
   */
  async changesByOthers(
    object: string,
    jobs: IngestJobRef[],
  ): Promise<Map<string, OwnerChange[]> | undefined> {
    const first = jobs.find((job) => job.createdDate && job.createdById);
    if (!first || this.noHistory.has(object)) return undefined;
    const since = jobs.map((job) => job.createdDate).sort()[0] ?? first.createdDate;
    const changes = await this.client.ownerChangesByOthers(object, since, first.createdById);
    if (changes) return changes;
    this.noHistory.add(object);
    this.warn(
      `${object} keeps no owner history (field history on Owner), so changes someone made while a Bulk job ran cannot be told apart: Bulk API 2.0 has no compare-and-set. Write with write.api: rest to check each request.`,
    );
    return undefined;
  }
}
