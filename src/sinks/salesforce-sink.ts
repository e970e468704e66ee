import type { RunManifest } from '../journal/run-manifest.js';
import type { ChangeResult, FieldValue } from '../model.js';
import {
  type Assignment,
  connectSalesforce,
  type SalesforceClient,
  type WriteOutcome,
  type WriteRow,
} from '../salesforce/index.js';
import { ownerVerdict } from './owner-check.js';
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

/** Old owners in one `OwnerId IN (…)`: about 21 characters each, far under SOQL's 100,000-character limit. */
const MAX_OWNERS_IN_CLAUSE = 3000;
/** SystemModstamp is the org's clock: reading from a little before our own start absorbs a skew. */
const CLOCK_MARGIN_MS = 15 * 60_000;

/**
 * Writes owner changes to Salesforce: reads owners right before writing (a record whose owner moved is
 * skipped, never overwritten), writes the rest, reads owners again (a trigger or rule that moved it is
 * `overridden`), and reports every record.
 */
export class SalesforceSink implements Sink {
  readonly kind = 'salesforce';
  readonly windowSize: number;

  constructor(
    private readonly client: SalesforceClient,
    private readonly api: WriteApi,
    private readonly assignmentRuleId: string | undefined,
    private readonly batchSize: number,
  ) {
    this.windowSize = windowSizeOf(api);
  }

  estimateCalls(changes: number): number {
    return estimateCalls(changes, { api: this.api, batchSize: this.batchSize });
  }

  async remainingApiRequests(): Promise<number> {
    return (await this.client.limits()).dailyApiRequests.remaining;
  }

  /** When this apply began: every record it writes has a SystemModstamp after it. */
  private readonly openedAt = Date.now();

  async applyWindow(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const results: ChangeResult[] = [];
    const written = new Map<string, PlannedChange[]>();
    try {
      // An Account cascade mixes objects; each goes to its own endpoint, accounts first as planned.
      for (const [object, group] of groupByObject(changes)) {
        const toWrite = await this.checkOwners(object, group, results);
        const accepted: PlannedChange[] = [];
        written.set(object, accepted);
        await this.write(
          object,
          toWrite.filter((c) => c.newOwnerId !== ''),
          false,
          results,
          accepted,
        );
        await this.write(
          object,
          toWrite.filter((c) => c.newOwnerId === ''),
          this.assignmentRuleId ?? true,
          results,
          accepted,
        );
      }
    } finally {
      // Even when a write stops part-way (daily limit, outage), what Salesforce accepted is journalled.
      for (const [object, accepted] of written) await this.verify(object, accepted, results);
      await report(results);
    }
  }

  /**
   * Compare-and-set: only records still owned by the planned old owner go on to be written. Records that
   * share a parent account are sorted next to each other, so they land in the same request and parallel
   * requests do not wait on the account's lock.
   */
  private async checkOwners(
    object: string,
    changes: PlannedChange[],
    results: ChangeResult[],
  ): Promise<PlannedChange[]> {
    const parentField = PARENT_FIELD[object];
    const oldOwners = [...new Set(changes.map((c) => c.oldOwnerId))];
    const current = await this.readOwners(
      object,
      changes.map((c) => c.id),
      parentField ? [parentField] : [],
      oldOwners.length <= MAX_OWNERS_IN_CLAUSE
        ? `OwnerId IN (${oldOwners.map((id) => `'${id}'`).join(',')})`
        : undefined,
    );
    const toWrite: Array<{ change: PlannedChange; parent: string }> = [];
    for (const change of changes) {
      const row = current.get(change.id);
      const owner = row ? String(row.ownerid) : undefined;
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const verdict = owner === undefined ? undefined : ownerVerdict(change, owner);
      if (!verdict) results.push({ ...base, status: 'skipped', error: 'the record no longer exists' });
      else if (verdict.kind === 'already') results.push({ ...base, status: 'updated', error: '' });
      else if (verdict.kind === 'skip') results.push({ ...base, status: 'skipped', error: verdict.error });
      else
        toWrite.push({ change, parent: parentField ? String(row?.[parentField.toLowerCase()] ?? '') : '' });
    }
    if (parentField) toWrite.sort((a, b) => a.parent.localeCompare(b.parent));
    return toWrite.map((entry) => entry.change);
  }

  /**
   * Current owners of these records. A bulk window reads them with one Bulk query by a clause that covers
   * them (their old owners; everything modified since the apply began), then by Id only the few the
   * clause missed (moved on, or written by an apply that was stopped). A REST window reads by Id.
   */
  private async readOwners(
    object: string,
    ids: string[],
    fields: string[],
    clause: string | undefined,
  ): Promise<Map<string, Record<string, FieldValue>>> {
    if (this.api !== 'bulk' || ids.length <= BULK_FROM || !clause)
      return this.client.readCurrent(object, ids, fields);
    const found = await this.client.readWhere(object, fields, clause);
    const wanted = new Set(ids);
    for (const id of found.keys()) if (!wanted.has(id)) found.delete(id);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      for (const [id, row] of await this.client.readCurrent(object, missing, fields)) found.set(id, row);
    return found;
  }

  /** Writes rows; accepted changes go to `written`, refused ones straight to results as failed. */
  private async write(
    object: string,
    changes: PlannedChange[],
    assignment: Assignment,
    results: ChangeResult[],
    written: PlannedChange[],
  ): Promise<void> {
    if (changes.length === 0) return;
    // Rows for Salesforce's assignment rules carry no OwnerId: re-sending the old owner fails when that
    // user is inactive (INACTIVE_OWNER_OR_USER), the usual case; the rule sets the owner on save.
    const rows: WriteRow[] = changes.map((c) => ({
      Id: c.id,
      ...(c.newOwnerId ? { OwnerId: c.newOwnerId } : {}),
      ...c.stamps,
    }));
    let outcomes: WriteOutcome[];
    try {
      outcomes = await this.client.update(object, rows, {
        api: this.api,
        assignment,
        batchSize: this.batchSize,
      });
    } catch (error) {
      this.collect(changes, (error as { written?: WriteOutcome[] }).written ?? [], results, written);
      throw error;
    }
    this.collect(changes, outcomes, results, written);
  }

  private collect(
    changes: PlannedChange[],
    outcomes: WriteOutcome[],
    results: ChangeResult[],
    written: PlannedChange[],
  ): void {
    const byId = new Map(changes.map((c) => [c.id, c]));
    for (const outcome of outcomes) {
      const change = byId.get(outcome.id);
      if (!change) continue;
      if (outcome.ok) written.push(change);
      else {
        results.push({
          id: change.id,
          oldOwnerId: change.oldOwnerId,
          newOwnerId: change.newOwnerId,
          status: 'failed',
          error: `${outcome.code}: ${outcome.message}`,
        });
      }
    }
  }

  /**
   * Owners read once more after writing: anything that is not what we wrote was moved by the org. When
   * that read itself fails, the records Salesforce accepted are still reported as updated, with a note.
   */
  private async verify(object: string, written: PlannedChange[], results: ChangeResult[]): Promise<void> {
    if (written.length === 0) return;
    let after: Map<string, string> | undefined;
    let unchecked = '';
    try {
      const since = new Date(this.openedAt - CLOCK_MARGIN_MS).toISOString().replace(/\.\d+Z$/, 'Z');
      const rows = await this.readOwners(
        object,
        written.map((c) => c.id),
        [],
        `SystemModstamp >= ${since}`,
      );
      after = new Map([...rows].map(([id, row]) => [id, String(row.ownerid)]));
    } catch (error) {
      unchecked = `written; the owner check after writing failed: ${(error as Error).message}`;
    }
    for (const change of written) {
      const base = { id: change.id, oldOwnerId: change.oldOwnerId };
      const owner = after?.get(change.id) ?? '';
      if (!after)
        results.push({ ...base, newOwnerId: change.newOwnerId, status: 'updated', error: unchecked });
      else if (change.newOwnerId === '')
        results.push({ ...base, newOwnerId: owner, status: 'updated', error: '' });
      else if (owner === change.newOwnerId)
        results.push({ ...base, newOwnerId: change.newOwnerId, status: 'updated', error: '' });
      else {
        results.push({
          ...base,
          newOwnerId: change.newOwnerId,
          status: 'overridden',
          error: `written, then changed to ${owner || 'nobody'} by the org (a trigger, flow or assignment rule)`,
        });
      }
    }
  }

  apiCalls(): Record<string, number> {
    return this.client.calls.snapshot();
  }

  async close(): Promise<void> {}
}

/** Connects for a run; the API follows `write.api` and the number of changes still to write. */
export async function openSalesforceSink(
  manifest: RunManifest,
  env: Record<string, string | undefined>,
): Promise<Sink> {
  const client = await connectSalesforce({ org: manifest.job.org, env });
  const changes = manifest.counts.changes - (manifest.counts.updated ?? 0);
  return new SalesforceSink(
    client,
    chooseWriteApi(manifest.job, changes),
    assignmentRuleIdOf(manifest.job),
    manifest.job.write.batchSize,
  );
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
