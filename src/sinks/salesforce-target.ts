import type { Ports } from '../core/ports.js';
import { RefusedError } from '../errors.js';
import type { RunRecord } from '../journal/run-record.js';
import type { ChangeResult } from '../model.js';
import {
  type Assignment,
  connectSalesforce,
  type SalesforceClient,
  type WriteOutcome,
  type WriteRow,
} from '../salesforce/index.js';
import type { ApplyTarget, PlannedChange } from './target.js';

/** SPEC: `write.api: auto` goes to Bulk API 2.0 from 2,000 records. */
export const BULK_FROM = 2000;
/** REST windows: ten sObject Collections requests of 200, one owner read before and one after. */
const REST_WINDOW = 2000;
/** Bulk windows: one ingest job each; large enough that a 100k-record run is a couple of jobs. */
const BULK_WINDOW = 100_000;

/**
 * Writes owner changes to Salesforce: reads owners right before writing (a record whose owner moved is
 * skipped, never overwritten), writes the rest, reads owners again (a trigger or rule that moved it is
 * `overridden`), and reports every record.
 */
export class SalesforceTarget implements ApplyTarget {
  readonly kind = 'salesforce';
  readonly windowSize: number;

  constructor(
    private readonly client: SalesforceClient,
    private readonly object: string,
    private readonly api: 'rest' | 'bulk',
    private readonly assignmentRuleId: string | undefined,
  ) {
    this.windowSize = api === 'bulk' ? BULK_WINDOW : REST_WINDOW;
  }

  async applyWindow(
    changes: PlannedChange[],
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const current = await this.client.readOwners(
      this.object,
      changes.map((c) => c.id),
    );
    const results: ChangeResult[] = [];
    const toWrite: PlannedChange[] = [];
    for (const change of changes) {
      const owner = current.get(change.id);
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      if (owner === undefined)
        results.push({ ...base, status: 'skipped', error: 'the record no longer exists' });
      else if (change.newOwnerId && owner === change.newOwnerId)
        results.push({ ...base, status: 'updated', error: '' });
      else if (owner !== change.oldOwnerId)
        results.push({
          ...base,
          status: 'skipped',
          error: `the owner is now ${owner}, not the planned ${change.oldOwnerId}`,
        });
      else toWrite.push(change);
    }
    const direct = toWrite.filter((c) => c.newOwnerId !== '');
    const byRules = toWrite.filter((c) => c.newOwnerId === '');
    const written = [
      ...(await this.write(direct, false, results)),
      ...(await this.write(byRules, this.assignmentRuleId ?? true, results)),
    ];
    await this.verify(written, results);
    await report(results);
  }

  /** Writes rows and returns the changes that Salesforce accepted; failures go straight to results. */
  private async write(
    changes: PlannedChange[],
    assignment: Assignment,
    results: ChangeResult[],
  ): Promise<PlannedChange[]> {
    if (changes.length === 0) return [];
    const rows: WriteRow[] = changes.map((c) => ({
      Id: c.id,
      OwnerId: c.newOwnerId || c.oldOwnerId,
      ...c.stamps,
    }));
    let outcomes: WriteOutcome[];
    try {
      outcomes = await this.client.update(this.object, rows, { api: this.api, assignment });
    } catch (error) {
      // Rows finished before the failure are still results: the journal stays true (SPEC, Writing back).
      const done = (error as { written?: WriteOutcome[] }).written ?? [];
      await this.verify(this.collect(changes, done, results), results);
      throw error;
    }
    return this.collect(changes, outcomes, results);
  }

  private collect(
    changes: PlannedChange[],
    outcomes: WriteOutcome[],
    results: ChangeResult[],
  ): PlannedChange[] {
    const byId = new Map(changes.map((c) => [c.id, c]));
    const accepted: PlannedChange[] = [];
    for (const outcome of outcomes) {
      const change = byId.get(outcome.id);
      if (!change) continue;
      if (outcome.ok) accepted.push(change);
      else
        results.push({
          id: change.id,
          oldOwnerId: change.oldOwnerId,
          newOwnerId: change.newOwnerId,
          status: 'failed',
          error: `${outcome.code}: ${outcome.message}`,
        });
    }
    return accepted;
  }

  /** Owners read once more after writing: anything that is not what we wrote was moved by the org. */
  private async verify(written: PlannedChange[], results: ChangeResult[]): Promise<void> {
    if (written.length === 0) return;
    const after = await this.client.readOwners(
      this.object,
      written.map((c) => c.id),
    );
    for (const change of written) {
      const owner = after.get(change.id) ?? '';
      const base = { id: change.id, oldOwnerId: change.oldOwnerId };
      if (change.newOwnerId === '')
        results.push({ ...base, newOwnerId: owner, status: 'updated', error: '' });
      else if (owner === change.newOwnerId)
        results.push({ ...base, newOwnerId: change.newOwnerId, status: 'updated', error: '' });
      else
        results.push({
          ...base,
          newOwnerId: change.newOwnerId,
          status: 'overridden',
          error: `written, then changed to ${owner || 'nobody'} by the org (a trigger, flow or assignment rule)`,
        });
    }
  }

  apiCalls(): Record<string, number> {
    return this.client.calls.snapshot();
  }

  async close(): Promise<void> {}
}

/** Opens the target for a run, after checking the daily API allowance against `limits.maxApiShare`. */
export async function openSalesforceApplyTarget(record: RunRecord, ports: Ports): Promise<ApplyTarget> {
  const client = await connectSalesforce({ org: record.job.org, env: ports.env });
  const changes = record.counts.changes - (record.counts.updated ?? 0);
  const api =
    record.job.write.api === 'auto' ? (changes >= BULK_FROM ? 'bulk' : 'rest') : record.job.write.api;
  const { dailyApiRequests } = await client.limits();
  const needed = estimateCalls(changes, api);
  const share = record.job.limits.maxApiShare ?? 1;
  const allowed = Math.floor(dailyApiRequests.remaining * share);
  if (needed > allowed) {
    throw new RefusedError(
      `writing ${changes} records needs about ${needed} API requests, ${needed - allowed} more than allowed (${Math.round(share * 100)}% of the ${dailyApiRequests.remaining} remaining today)`,
      'Wait for the daily allowance to recover, use --api bulk, or raise limits.maxApiShare',
    );
  }
  const ruleId = record.job.rules
    .map((r) => r.assign)
    .find((a) => 'salesforceRules' in a && typeof a.salesforceRules === 'string');
  return new SalesforceTarget(
    client,
    record.object,
    api,
    ruleId && 'salesforceRules' in ruleId ? String(ruleId.salesforceRules) : undefined,
  );
}

function estimateCalls(changes: number, api: 'rest' | 'bulk'): number {
  if (api === 'rest') return Math.ceil(changes / 200) + 2 * Math.ceil(changes / 300);
  const windows = Math.ceil(changes / BULK_WINDOW);
  // Per window: owner reads before and after (bulk query: create, a few polls, result pages) and one ingest job.
  return windows * 25;
}
