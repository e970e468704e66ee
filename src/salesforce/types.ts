/** Shapes shared by the REST and Bulk writers. */
import { toId18 } from '../ids.js';

export type WriteOutcome =
  | { id: string; ok: true }
  /** `fields` names the fields the error is about; none means the record itself. */
  | { id: string; ok: false; code: string; message: string; fields?: string[] };

/** A Bulk ingest job as the org created it: `createdDate` is the org's clock, not ours. */
export interface IngestJobRef {
  id: string;
  createdDate: string;
  createdById: string;
}

/** false: rules off (`Sforce-Auto-Assign: FALSE`); true: the active rule; a string: that rule's Id. */
export type Assignment = false | true | string;

export interface UpdateOptions {
  api: 'rest' | 'bulk';
  assignment: Assignment;
  /** Records per sObject Collections request (`write.batchSize`); capped at the API's 200. */
  batchSize?: number;
  /** Called with the number of rows that have a final outcome so far. */
  onProgress?: (done: number) => void;
  /**
   * Bulk: called once each ingest job exists and before its data is uploaded, so the caller can journal
   * it (a resume then finds the job instead of writing its records again).
   */
  onJobCreated?: (job: IngestJobRef, ids: string[]) => Promise<void>;
}

export type WriteRow = Record<string, string | null>;

/** Ids are matched on their 18-character form: results may echo either length. */
export function idKey(id: string | null | undefined): string {
  const raw = (id ?? '').trim();
  return toId18(raw) ?? raw;
}

/**
 * An error thrown part-way through update() carries `written`: the outcomes of rows finished before
 * it, so the caller's results.csv stays true for every record written.
 */
export function attachWritten(error: unknown, written: WriteOutcome[]): unknown {
  if (error instanceof Error) Object.assign(error, { written });
  return error;
}
