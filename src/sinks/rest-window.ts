import type { WriteJournal } from '../journal/write-journal.js';
import type { ChangeResult, FieldValue } from '../model.js';
import { HEAVY_PER_CALL, readsFor } from '../salesforce/composite.js';
import {
  type CompositeOutcome,
  type CompositeWrite,
  type SalesforceClient,
  SalesforceError,
  type WriteOutcome,
} from '../salesforce/index.js';
import { backoffDelay } from '../salesforce/retry.js';
import { idKey } from '../salesforce/types.js';
import { COLLECTION_LIMIT, LOCK_ERROR } from '../salesforce/update.js';
import { driftOf } from './bulk-window.js';
import { ownerVerdict, resultAfterWrite } from './owner-check.js';
import type { PlannedChange } from './sink.js';

type Row = Record<string, FieldValue>;

/**
 * Records per sObject Collections PATCH, and PATCHes per composite call: as many as fit beside the
 * queries that read their owners back and the next step's owners (5 such subrequests per call).
 */
export function restStep(batchSize: number): { perWrite: number; writes: number } {
  const perWrite = Math.max(1, Math.min(batchSize, COLLECTION_LIMIT));
  let writes = 1;
  while (writes + 1 + readsFor(2 * (writes + 1) * perWrite) <= HEAVY_PER_CALL) writes++;
  return { perWrite, writes };
}

/**
 * Compare-and-set against owners just read: results for the records not to write (moved by someone,
 * gone, or already written by an earlier attempt of this run), the rest returned to write. Records that
 * share a parent account come out next to each other, so they land in the same request and parallel
 * requests do not wait on the account's lock.
 */
export function splitByOwner(
  changes: PlannedChange[],
  current: Map<string, Row>,
  results: ChangeResult[],
  options: { parentField: string | undefined; mayHaveWritten: (id: string) => boolean },
): PlannedChange[] {
  const toWrite: Array<{ change: PlannedChange; parent: string }> = [];
  const { parentField } = options;
  for (const change of changes) {
    const row = current.get(idKey(change.id));
    const owner = row ? String(row.ownerid) : undefined;
    const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
    const verdict =
      owner === undefined ? undefined : ownerVerdict(change, owner, options.mayHaveWritten(change.id));
    if (!verdict) results.push({ ...base, status: 'skipped', error: 'the record no longer exists' });
    else if (verdict.kind === 'already')
      results.push({ ...base, newOwnerId: owner ?? '', status: 'updated', error: '' });
    else if (verdict.kind === 'skip') results.push({ ...base, status: 'skipped', error: verdict.error });
    else toWrite.push({ change, parent: parentField ? String(row?.[parentField.toLowerCase()] ?? '') : '' });
  }
  if (parentField) toWrite.sort((a, b) => a.parent.localeCompare(b.parent));
  return toWrite.map((entry) => entry.change);
}

export interface RestWindowOptions {
  assignmentRuleId: string | undefined;
  batchSize: number;
  journal: WriteJournal;
}

function transient(error: unknown): boolean {
  return error instanceof SalesforceError && error.transient;
}

function pick(rows: Map<string, Row>, changes: PlannedChange[]): Map<string, Row> {
  const picked = new Map<string, Row>();
  for (const change of changes) {
    const row = rows.get(idKey(change.id));
    if (row) picked.set(idKey(change.id), row);
  }
  return picked;
}

/**
 * REST writes through the Composite resource. Each call carries one step's PATCHes, then the reads of
 * those records' owners (the post-write check) and of the next step's owners (its compare-and-set read):
 * one API call per step, with no client round trip between a write and its check. Results are reported
 * per step, after the Ids were journalled as sent, so results.csv stays true when the run is killed.
 */
export class RestWindows {
  private readonly perWrite: number;
  private readonly stepSize: number;

  constructor(
    private readonly client: SalesforceClient,
    private readonly options: RestWindowOptions,
  ) {
    const { perWrite, writes } = restStep(options.batchSize);
    this.perWrite = perWrite;
    this.stepSize = perWrite * writes;
  }

  async apply(
    object: string,
    changes: PlannedChange[],
    parentField: string | undefined,
    report: (results: ChangeResult[]) => Promise<void>,
  ): Promise<void> {
    const fields = parentField ? [parentField] : [];
    const split = { parentField, mayHaveWritten: (id: string) => this.options.journal.mayHaveWritten(id) };
    let ahead: Map<string, Row> | undefined;
    for (let start = 0; start < changes.length; start += this.stepSize) {
      const step = changes.slice(start, start + this.stepSize);
      const next = changes.slice(start + this.stepSize, start + 2 * this.stepSize);
      const results: ChangeResult[] = [];
      try {
        const current = ahead ?? (await this.read(object, step, fields));
        const toWrite = splitByOwner(step, current, results, split);
        ahead = await this.writeStep(object, { toWrite, next, fields, split }, results);
      } finally {
        await report(results);
      }
    }
  }

  /** Owners only, retried on outages (a read changes nothing). */
  private async read(object: string, changes: PlannedChange[], fields: string[]): Promise<Map<string, Row>> {
    const policy = this.client.retryPolicy;
    const readIds = changes.map((c) => c.id);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.client.writeAndRead({ object, writes: [], readIds, fields });
        if (!outcome.rows)
          throw new SalesforceError('READ_FAILED', outcome.readError ?? 'the owner read failed', 'composite');
        return outcome.rows;
      } catch (error) {
        if (!transient(error) || attempt >= policy.maxAttempts) throw error;
        await policy.sleep(backoffDelay(policy, attempt));
      }
    }
  }

  /**
   * Writes one step until every record has a result. A lost reply (outage, dropped connection) may come
   * after Salesforce applied the writes, so owners are read before anything is sent again; locked rows
   * alone go again, after their owner read in the same call shows them still unchanged.
   */
  private async writeStep(
    object: string,
    step: {
      toWrite: PlannedChange[];
      next: PlannedChange[];
      fields: string[];
      split: Parameters<typeof splitByOwner>[3];
    },
    results: ChangeResult[],
  ): Promise<Map<string, Row> | undefined> {
    const policy = this.client.retryPolicy;
    let pending = step.toWrite;
    let ahead: Map<string, Row> | undefined;
    for (let locks = 1, lost = 1; pending.length > 0; ) {
      await this.options.journal.sending(pending.map((c) => c.id));
      const readIds = [...pending, ...step.next].map((c) => c.id);
      let outcome: CompositeOutcome;
      try {
        outcome = await this.client.writeAndRead({
          object,
          writes: this.writesOf(pending),
          readIds,
          fields: step.fields,
        });
      } catch (error) {
        if (!transient(error) || lost >= policy.maxAttempts) throw error;
        await policy.sleep(backoffDelay(policy, lost++));
        const rows = await this.read(object, [...pending, ...step.next], step.fields);
        ahead = pick(rows, step.next);
        pending = this.afterLostReply(pending, rows, results);
        continue;
      }
      ahead = outcome.rows ? pick(outcome.rows, step.next) : undefined;
      const locked = this.collect(pending, outcome, results, locks < policy.maxAttempts);
      pending = outcome.rows ? splitByOwner(locked, outcome.rows, results, step.split) : [];
      if (pending.length > 0) await policy.sleep(backoffDelay(policy, locks++));
    }
    return ahead;
  }

  /** Rows for owners set by this run, and rows left to the assignment rules, each PATCH with its header. */
  private writesOf(changes: PlannedChange[]): CompositeWrite[] {
    const writes: CompositeWrite[] = [];
    const groups: Array<[PlannedChange[], CompositeWrite['assignment']]> = [
      [changes.filter((c) => c.newOwnerId !== ''), false],
      [changes.filter((c) => c.newOwnerId === ''), this.options.assignmentRuleId ?? true],
    ];
    for (const [group, assignment] of groups)
      for (let start = 0; start < group.length; start += this.perWrite) {
        // Rows for Salesforce's assignment rules carry no OwnerId: re-sending the old owner fails when
        // that user is inactive (INACTIVE_OWNER_OR_USER); the rule sets the owner on save.
        const rows = group
          .slice(start, start + this.perWrite)
          .map((c) => ({ Id: c.id, ...(c.newOwnerId ? { OwnerId: c.newOwnerId } : {}), ...c.stamps }));
        writes.push({ rows, assignment });
      }
    return writes;
  }

  /** After a lost reply: rows whose owner shows the write landed are done, rows still unchanged go again. */
  private afterLostReply(
    pending: PlannedChange[],
    rows: Map<string, Row>,
    results: ChangeResult[],
  ): PlannedChange[] {
    const again: PlannedChange[] = [];
    for (const change of pending) {
      const row = rows.get(idKey(change.id));
      const owner = row ? String(row.ownerid) : undefined;
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const verdict = owner === undefined ? undefined : ownerVerdict(change, owner, true);
      if (!verdict) results.push({ ...base, status: 'skipped', error: 'the record no longer exists' });
      else if (verdict.kind === 'write') again.push(change);
      else if (verdict.kind === 'already') results.push(resultAfterWrite(change, owner ?? '', []));
      else results.push({ ...base, status: 'skipped', error: verdict.error });
    }
    return again;
  }

  /** Outcomes into results, owners read after the write deciding each; the locked rows are returned. */
  private collect(
    pending: PlannedChange[],
    outcome: CompositeOutcome,
    results: ChangeResult[],
    retryLocks: boolean,
  ): PlannedChange[] {
    const byId = new Map<string, WriteOutcome>();
    for (const write of outcome.writes) for (const o of write) byId.set(o.id, o);
    const locked: PlannedChange[] = [];
    for (const change of pending) {
      const base = { id: change.id, oldOwnerId: change.oldOwnerId, newOwnerId: change.newOwnerId };
      const result = byId.get(idKey(change.id));
      if (!result) {
        results.push({
          ...base,
          status: 'failed',
          error: 'NO_RESULT: Salesforce returned no result for this record',
        });
      } else if (result.ok && !outcome.rows) {
        const error = `written; the owner check after writing failed: ${outcome.readError ?? ''}`;
        results.push({ ...base, status: 'updated', error });
      } else if (result.ok) {
        const owner = outcome.rows?.get(idKey(change.id));
        results.push(resultAfterWrite(change, owner ? String(owner.ownerid) : '', []));
      } else if (result.code === LOCK_ERROR && retryLocks && outcome.rows) locked.push(change);
      else {
        const drift = driftOf(result);
        if (drift) results.push({ ...base, status: 'skipped', error: drift });
        else results.push({ ...base, status: 'failed', error: `${result.code}: ${result.message}` });
      }
    }
    return locked;
  }
}
