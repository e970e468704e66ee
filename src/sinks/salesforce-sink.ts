import type { RunManifest } from '../journal/run-manifest.js';
import { WriteJournal } from '../journal/write-journal.js';
import type { ChangeResult, FieldValue } from '../model.js';
import {
  type Assignment,
  connectSalesforce,
  type IngestJobRef,
  type SalesforceClient,
  type WriteOutcome,
  type WriteRow,
} from '../salesforce/index.js';
import { BulkJobs, driftOf, type Written } from './bulk-window.js';
import { resultAfterWrite } from './owner-check.js';
import { RestWindows, splitByOwner } from './rest-window.js';
import type { PlannedChange, Sink } from './sink.js';
import {
  assignmentRuleIdOf,
  BULK_FROM,
  chooseWriteApi,
  estimateCalls,
  type WriteApi,
  windowSizeOf,
} from './write-api.js';

/** The lookup whose record Salesforce locks when a child's owner changes. */
const PARENT_FIELD: Record<string, string> = {
  Contact: 'AccountId',
  Opportunity: 'AccountId',
  Case: 'AccountId',
};

/** Owners in one `OwnerId IN (…)`: about 21 characters each, far under SOQL's 100,000-character limit. */
const MAX_OWNERS_IN_CLAUSE = 3000;
/** Without a Bulk job's own date, SystemModstamp is read from a little before our start, for clock skew. */
const CLOCK_MARGIN_MS = 15 * 60_000;

/** How old the usage an answer reported may be and still stand in for /limits. */
const USAGE_FRESH_MS = 60_000;

export interface SalesforceSinkOptions {
  api: WriteApi;
  assignmentRuleId: string | undefined;
  batchSize: number;
  journal: WriteJournal;
  warn: (message: string) => void;
}

/**
 * Writes owner changes to Salesforce: reads owners right before writing (a record whose owner moved is
 * skipped, never overwritten), writes the rest, reads owners again (a trigger or rule that moved it is
 * `overridden`), and reports every record. What it sends is journalled first (journal/write-journal.ts),
 * so a resumed apply knows its own writes and finds its Bulk jobs again.
 */
export class SalesforceSink implements Sink {
  readonly kind = 'salesforce';
  readonly windowSize: number;
  private readonly api: WriteApi;
  private readonly jobs: BulkJobs;
  private readonly rest: RestWindows;
  /** When this apply began: every record it writes has a SystemModstamp after it (on our clock). */
  private readonly openedAt = Date.now();

  constructor(
    private readonly client: SalesforceClient,
    private readonly options: SalesforceSinkOptions,
  ) {
    this.api = options.api;
    this.windowSize = windowSizeOf(options.api);
    this.jobs = new BulkJobs(client, options.journal, options.warn);
    this.rest = new RestWindows(client, options);
  }

  estimateCalls(changes: number): number {
    return estimateCalls(changes, { api: this.api, batchSize: this.options.batchSize });
  }

  async remainingApiRequests(): Promise<number> {
    // Every REST answer carries the org's usage (Sforce-Limit-Info): right after a plan, /limits would
    // only repeat it, at the price of a request.
    const reported = this.client.recentApiUsage(USAGE_FRESH_MS);
    if (reported) return Math.max(0, reported.limit - reported.used);
    return (await this.client.limits()).dailyApiRequests.remaining;
  }

  applyWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void> {
    return this.window(changes, report, 'write');
  }

  mayHaveWritten(id: string): boolean {
    return this.options.journal.mayHaveWritten(id);
  }

  settleWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void> {
    return this.window(changes, report, 'settle');
  }

  /** `settle`: attach to journalled jobs and read owners as for a write, then send nothing. */
  private async window(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
    mode: 'write' | 'settle',
  ): Promise<void> {
    const results: ChangeResult[] = [];
    const written = new Map<string, Written>();
    try {
      // An Account cascade mixes objects; each goes to its own endpoint, accounts first as planned.
      for (const [object, group] of groupByObject(changes)) {
        const accepted: Written = { changes: [], jobs: [] };
        written.set(object, accepted);
        // A Bulk job a stopped apply left running is waited for first: its records are never sent twice,
        // also when the resume writes the rest over REST (fewer changes are left than when it began).
        const left = await this.jobs.attach(object, group, accepted, (c, o) =>
          this.collect(c, o, results, accepted),
        );
        if (mode === 'settle') {
          await this.checkOwners(object, left, results);
          continue;
        }
        if (this.api === 'rest') {
          await this.rest.apply(object, left, PARENT_FIELD[object], report);
          continue;
        }
        const toWrite = await this.checkOwners(object, left, results);
        const withOwner = toWrite.filter((c) => c.newOwnerId !== '');
        const byRules = toWrite.filter((c) => c.newOwnerId === '');
        await this.write(object, withOwner, false, results, accepted);
        await this.write(object, byRules, this.options.assignmentRuleId ?? true, results, accepted);
      }
    } finally {
      // Even when a write stops part-way (daily limit, outage), what Salesforce accepted is journalled.
      for (const [object, accepted] of written) await this.verify(object, accepted, results);
      await report(results);
    }
  }

  /** Compare-and-set (splitByOwner) against owners read right before the Bulk job. */
  private async checkOwners(
    object: string,
    changes: PlannedChange[],
    results: ChangeResult[],
  ): Promise<PlannedChange[]> {
    if (changes.length === 0) return [];
    const parentField = PARENT_FIELD[object];
    // Old and new owners: a resumed window finds the records it already moved in the same read.
    const owners = [...new Set(changes.flatMap((c) => [c.oldOwnerId, c.newOwnerId]))].filter(Boolean);
    const current = await this.readOwners(
      object,
      changes.map((c) => c.id),
      parentField ? [parentField] : [],
      owners.length <= MAX_OWNERS_IN_CLAUSE
        ? `OwnerId IN (${owners.map((id) => `'${id}'`).join(',')})`
        : undefined,
    );
    const journal = this.options.journal;
    return splitByOwner(changes, current, results, {
      parentField,
      mayHaveWritten: (id) => journal.mayHaveWritten(id),
    });
  }

  /**
   * Current owners of these records. A bulk window reads them with one Bulk query by a clause that covers
   * them (their old and new owners; everything modified since the write began), then by Id only the few
   * the clause missed (moved on to someone else). A REST window reads by Id.
   */
  private async readOwners(
    object: string,
    ids: string[],
    fields: string[],
    clause: string | undefined,
  ): Promise<Map<string, Record<string, FieldValue>>> {
    if (this.api !== 'bulk' || ids.length <= BULK_FROM || !clause)
      return this.client.readCurrent(object, ids, fields);
    const wanted = new Set(ids);
    const found = await this.client.readWhere(object, fields, clause, (id) => wanted.has(id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      for (const [id, row] of await this.client.readCurrent(object, missing, fields)) found.set(id, row);
    return found;
  }

  /** Writes rows; accepted changes go to `written`, refused ones straight to results. */
  private async write(
    object: string,
    changes: PlannedChange[],
    assignment: Assignment,
    results: ChangeResult[],
    written: Written,
  ): Promise<void> {
    if (changes.length === 0) return;
    // Rows for Salesforce's assignment rules carry no OwnerId: re-sending the old owner fails when that
    // user is inactive (INACTIVE_OWNER_OR_USER), the usual case; the rule sets the owner on save.
    const rows: WriteRow[] = changes.map((c) => ({
      Id: c.id,
      ...(c.newOwnerId ? { OwnerId: c.newOwnerId } : {}),
      ...c.stamps,
    }));
    const journal = this.options.journal;
    const onJobCreated = async (job: IngestJobRef, ids: string[]) => {
      written.jobs.push(job);
      await journal.bulkJob({ job: job.id, object, ids });
    };
    let outcomes: WriteOutcome[];
    try {
      outcomes = await this.client.update(object, rows, {
        api: this.api,
        assignment,
        batchSize: this.options.batchSize,
        onJobCreated,
      });
    } catch (error) {
      this.collect(changes, (error as { written?: WriteOutcome[] }).written ?? [], results, written);
      throw error;
    }
    this.collect(changes, outcomes, results, written);
  }

  /** Outcomes into results: accepted to `written` (checked after), drift skipped, the rest failed. */
  private collect(
    changes: PlannedChange[],
    outcomes: WriteOutcome[],
    results: ChangeResult[],
    written: Written,
  ): void {
    const byId = new Map(changes.map((c) => [c.id, c]));
    for (const outcome of outcomes) {
      const change = byId.get(outcome.id);
      if (!change) continue;
      if (outcome.ok) {
        written.changes.push(change);
        continue;
      }
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const drift = driftOf(outcome);
      if (drift) results.push({ ...base, status: 'skipped', error: drift });
      else results.push({ ...base, status: 'failed', error: `${outcome.code}: ${outcome.message}` });
    }
  }

  /**
   * Owners read once more after writing: anything that is not what we wrote was moved by the org. When
   * that read itself fails, the records Salesforce accepted are still reported as updated, with a note.
   * After a Bulk job, owner history says which records someone else changed while it ran.
   */
  private async verify(object: string, written: Written, results: ChangeResult[]): Promise<void> {
    if (written.changes.length === 0) return;
    let after: Map<string, string> | undefined;
    let unchecked = '';
    const since = earliest(written.jobs) ?? this.fallbackSince();
    try {
      const rows = await this.readOwners(
        object,
        written.changes.map((c) => c.id),
        [],
        `SystemModstamp >= ${soqlDateTime(since)}`,
      );
      after = new Map([...rows].map(([id, row]) => [id, String(row.ownerid)]));
    } catch (error) {
      unchecked = `written; the owner check after writing failed: ${(error as Error).message}`;
    }
    const others = after ? await this.jobs.changesByOthers(object, written.jobs) : undefined;
    for (const change of written.changes) {
      if (!after) {
        const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
        results.push({ ...base, status: 'updated', error: unchecked });
      } else results.push(resultAfterWrite(change, after.get(change.id) ?? '', others?.get(change.id) ?? []));
    }
  }

  private fallbackSince(): string {
    return new Date(this.openedAt - CLOCK_MARGIN_MS).toISOString();
  }

  apiCalls(): Record<string, number> {
    return this.client.calls.snapshot();
  }

  async close(): Promise<void> {}
}

export interface OpenSalesforceSinkOptions {
  env: Record<string, string | undefined>;
  runDir: string;
  warn: (message: string) => void;
}

/** Connects for a run; the API follows `write.api` and the number of changes still to write. */
export async function openSalesforceSink(
  manifest: RunManifest,
  options: OpenSalesforceSinkOptions,
): Promise<Sink> {
  const journal = await WriteJournal.open(options.runDir);
  const client = await connectSalesforce({ org: manifest.job.org, env: options.env });
  const changes = manifest.counts.changes - (manifest.counts.updated ?? 0);
  return new SalesforceSink(client, {
    api: chooseWriteApi(manifest.job, changes),
    assignmentRuleId: assignmentRuleIdOf(manifest.job),
    batchSize: manifest.job.write.batchSize,
    journal,
    warn: options.warn,
  });
}

/** The org's time the first of these jobs was created: the post-write read filters by the org's clock. */
function earliest(jobs: IngestJobRef[]): string | undefined {
  const dates = jobs.map((job) => job.createdDate).filter(Boolean);
  return dates.length > 0 ? dates.reduce((a, b) => (orgTime(a) <= orgTime(b) ? a : b)) : undefined;
}

function orgTime(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** SOQL datetimes in whole seconds, floored, so the second a job began is included. */
function soqlDateTime(text: string): string {
  return `${new Date(orgTime(text)).toISOString().slice(0, 19)}Z`;
}

function groupByObject(changes: PlannedChange[]): Map<string, PlannedChange[]> {
  const groups = new Map<string, PlannedChange[]>();
  for (const change of changes) {
    const group = groups.get(change.object) ?? [];
    group.push(change);
    groups.set(change.object, group);
  }
  return groups;
}
