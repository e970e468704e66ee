/**
 * The one object the rest of leadshift uses to talk to Salesforce. Built by connectSalesforce();
 * every method maps failures into the tool's errors (errors.ts).
 */
import { toId18 } from '../ids.js';
import type { FieldValue } from '../model.js';
import { type ActionOutcome, createRecord, invokeStandardAction } from './actions.js';
import { type AttachedJob, attachIngestJob, updateViaBulk } from './bulk-ingest.js';
import { bulkQueryPages } from './bulk-query.js';
import type { ApiCallCounter } from './calls.js';
import { type CompositeOutcome, type CompositeStep, sendComposite } from './composite.js';
import { type ApiUsage, type Channel, recentApiUsage } from './http.js';
import { type OwnerChange, ownerChangesByOthers } from './owner-history.js';
import { aggregateRecords, countRecords, queryPages } from './query.js';
import { readCurrentRows, readOwnerMap } from './read-owners.js';
import type { RetryPolicy } from './retry.js';
import type { UpdateOptions, WriteOutcome, WriteRow } from './types.js';
import { updateViaRest } from './update.js';

type Flat = Record<string, FieldValue>;

export interface FieldInfo {
  name: string;
  type: string;
  updateable: boolean;
  referenceTo: string[];
  /** The name a lookup is followed by in SOQL (`Account` for AccountId). */
  relationshipName?: string;
}

export interface ObjectInfo {
  name: string;
  fields: FieldInfo[];
}

export interface OrganizationInfo {
  id: string;
  name: string;
  isSandbox: boolean;
}

interface LimitEntry {
  Max: number | string;
  Remaining: number | string;
}

export class SalesforceClient {
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly host: string;
  readonly calls: ApiCallCounter;
  private readonly describeCache = new Map<string, Promise<ObjectInfo>>();

  constructor(private readonly channel: Channel) {
    this.instanceUrl = channel.conn.instanceUrl;
    this.apiVersion = channel.conn.version;
    this.host = new URL(channel.conn.instanceUrl).host;
    this.calls = channel.calls;
  }

  /** Daily API usage as of the latest REST response (Sforce-Limit-Info); undefined before any call. */
  get apiUsage(): ApiUsage | undefined {
    return this.channel.apiUsage;
  }

  /** Daily API usage the org reported on any connection of this process at most `maxAgeMs` ago. */
  recentApiUsage(maxAgeMs: number): ApiUsage | undefined {
    return recentApiUsage(this.instanceUrl, maxAgeMs);
  }

  /** REST query pages (≤2,000 records each), followed to the end whatever the size. */
  query(soql: string): AsyncIterable<Flat[]> {
    return queryPages(this.channel, soql);
  }

  /** Bulk API 2.0 query pages; values are strings, empty cells null. */
  bulkQuery(soql: string): AsyncIterable<Flat[]> {
    return bulkQueryPages(this.channel, soql);
  }

  count(soql: string): Promise<number> {
    return countRecords(this.channel, soql);
  }

  aggregate(soql: string): Promise<Flat[]> {
    return aggregateRecords(this.channel, soql);
  }

  /** One outcome per row, in input order. Errors thrown part-way carry `written` (types.ts). */
  update(object: string, rows: WriteRow[], options: UpdateOptions): Promise<WriteOutcome[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return options.api === 'bulk'
      ? updateViaBulk(this.channel, object, rows, options)
      : updateViaRest(this.channel, object, rows, options);
  }

  /**
   * One Composite step: sObject Collections writes, then a read of owners, in one API call where they
   * fit. Never retried here: after a lost reply only the caller knows what to read before sending again.
   */
  writeAndRead(step: CompositeStep): Promise<CompositeOutcome> {
    return sendComposite(this.channel, step);
  }

  /** How failed attempts are retried: the same policy for writes the caller re-sends itself. */
  get retryPolicy(): RetryPolicy {
    return this.channel.tuning.retry;
  }

  /** Finds a Bulk ingest job an earlier apply created: aborts it if never closed, else waits for its results. */
  attachIngestJob(jobId: string, ids: string[]): Promise<AttachedJob | undefined> {
    return attachIngestJob(this.channel, jobId, ids);
  }

  /** Owner changes other users made since `since` (org time), by record; undefined without owner history. */
  ownerChangesByOthers(
    object: string,
    since: string,
    runningUser: string,
  ): Promise<Map<string, OwnerChange[]> | undefined> {
    return ownerChangesByOthers(this.channel, object, since, runningUser);
  }

  /** Current OwnerId by 18-character Id; ids that no longer exist are absent. */
  readOwners(object: string, ids: string[]): Promise<Map<string, string>> {
    return readOwnerMap(this.channel, object, ids);
  }

  /**
   * Records matching a WHERE clause built by the caller from Ids and dates (never user text), read with
   * one Bulk API 2.0 query: a handful of calls however many records, where an Id list would take one
   * query per few hundred.
   */
  async readWhere(
    object: string,
    fields: readonly string[],
    where: string,
    keep: (id: string) => boolean = () => true,
  ): Promise<Map<string, Flat>> {
    const rows = new Map<string, Flat>();
    // Owners repeat on every row: one string per owner keeps a large read small.
    const owners = new Map<string, string>();
    const soql = `SELECT ${['Id', 'OwnerId', ...fields].join(', ')} FROM ${object} WHERE ${where}`;
    for await (const page of this.bulkQuery(soql)) {
      for (const row of page) {
        if (typeof row.id !== 'string') continue;
        const id = toId18(row.id) ?? row.id;
        // The clause may cover far more records than asked about (everything those owners own): only the
        // wanted ones are kept, so memory follows the window, not the org.
        if (!keep(id)) continue;
        if (typeof row.ownerid === 'string') {
          const owner = owners.get(row.ownerid) ?? row.ownerid;
          if (owners.size < 10_000) owners.set(owner, owner);
          row.ownerid = owner;
        }
        rows.set(id, row);
      }
    }
    return rows;
  }

  /** Current OwnerId plus `fields` (lower-cased keys) by 18-character Id; ids that no longer exist are absent. */
  readCurrent(object: string, ids: string[], fields: readonly string[]): Promise<Map<string, Flat>> {
    return readCurrentRows(this.channel, object, ids, fields);
  }

  async limits(): Promise<{ dailyApiRequests: { max: number; remaining: number } }> {
    const response = await this.channel.call<Record<string, LimitEntry>>({
      kind: 'limits',
      method: 'GET',
      url: '/limits',
    });
    const entry = response.body.DailyApiRequests;
    // Older API versions send the numbers as strings (List Organization Limits doc).
    return { dailyApiRequests: { max: Number(entry?.Max ?? 0), remaining: Number(entry?.Remaining ?? 0) } };
  }

  /** The Id of the user the session belongs to, from OAuth userinfo (not counted against the daily allowance). */
  async runningUserId(): Promise<string> {
    const response = await this.channel.call<{ user_id?: string }>({
      kind: 'auth',
      method: 'GET',
      url: '/services/oauth2/userinfo',
    });
    const id = String(response.body.user_id ?? '');
    return toId18(id) ?? id;
  }

  /** A standard invocable action (e.g. emailSimple), sent once: one outcome per input. */
  invokeStandardAction(name: string, inputs: Array<Record<string, unknown>>): Promise<ActionOutcome[]> {
    return invokeStandardAction(this.channel, name, inputs);
  }

  /** Creates one record (sent once, never retried); its Id. */
  create(object: string, fields: Record<string, string>): Promise<string> {
    return createRecord(this.channel, object, fields);
  }

  describe(object: string): Promise<ObjectInfo> {
    const key = object.toLowerCase();
    let cached = this.describeCache.get(key);
    if (!cached) {
      cached = this.fetchDescribe(object);
      // A failed describe is not cached, so a retry can succeed.
      cached.catch(() => this.describeCache.delete(key));
      this.describeCache.set(key, cached);
    }
    return cached;
  }

  async organization(): Promise<OrganizationInfo> {
    const rows = await this.firstRecord('SELECT Id, Name, IsSandbox FROM Organization');
    return {
      id: toId18(String(rows?.id ?? '')) ?? String(rows?.id ?? ''),
      name: String(rows?.name ?? ''),
      isSandbox: rows?.issandbox === true || rows?.issandbox === 'true',
    };
  }

  private async firstRecord(soql: string): Promise<Flat | undefined> {
    for await (const page of this.query(soql)) return page[0];
    return undefined;
  }

  private async fetchDescribe(object: string): Promise<ObjectInfo> {
    const response = await this.channel.call<{ name: string; fields: Array<Record<string, unknown>> }>({
      kind: 'describe',
      method: 'GET',
      url: `/sobjects/${encodeURIComponent(object)}/describe`,
      object,
    });
    const fields = response.body.fields.map((field) => ({
      name: String(field.name),
      type: String(field.type),
      updateable: field.updateable === true,
      referenceTo: Array.isArray(field.referenceTo) ? field.referenceTo.map(String) : [],
      ...(typeof field.relationshipName === 'string' ? { relationshipName: field.relationshipName } : {}),
    }));
    return { name: response.body.name, fields };
  }
}
