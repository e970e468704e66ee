// TestOrg: a local Salesforce REST + Bulk API 2.0 emulator for tests (driven by the real jsforce).

import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SentEmail } from './actions.js';
import { newAccessToken, newRefreshToken, orgKeyPair } from './auth.js';
import { settleIngestJobs } from './bulk-ingest.js';
import { recordOwnerChange } from './history.js';
import { to18 } from './ids.js';
import type { FieldDef } from './schema.js';
import { startServer } from './server.js';
import type { DropFault, LeadAssignmentRule, OrgState, RecordedRequest } from './state.js';
import { computeName, normalise, type Rec, Store } from './store.js';

export type { SentEmail } from './actions.js';
export { to18 } from './ids.js';
export type { RecordedRequest } from './state.js';

export interface TestOrgOptions {
  /** Newest accepted API version (default '64.0'); versions 42.0 up to it are served, others get 404. */
  apiVersion?: string;
  /** Oldest accepted API version (default '42.0'). */
  minApiVersion?: string;
  dailyApiLimit?: number;
  /** REST query page size (default 2000). */
  queryBatchSize?: number;
  /** Bulk 2.0 query results page size when maxRecords is not given (default 10000). */
  bulkQueryPageSize?: number;
  isSandbox?: boolean;
  /** Delay of each Bulk 2.0 state step (UploadComplete → InProgress → JobComplete), default 50 ms. */
  bulkDelayMs?: number;
  /** Fixed port (default: random). */
  port?: number;
}

export interface TestOrgFaults {
  lockRecords(ids: string[], times?: number): void;
  failRequests(
    match: { method?: string; pathIncludes?: string; errorCode?: string },
    status: number,
    times?: number,
  ): void;
  expireSessions(): void;
  setApiUsage(used: number, limit?: number): void;
  onBeforeWrite(fn: (object: string, id: string, changes: Rec) => void): void;
  rejectLogins(reject?: boolean): void;
  /**
   * Closes the connection without a reply (a dropped network). `when: 'after'` handles the request
   * first, so the change is made but the client never learns it. `times` may be Infinity.
   */
  dropConnections(
    match: { method?: string; pathIncludes?: string; when?: DropFault['when'] },
    times?: number,
  ): void;
  /** Holds new Bulk ingest jobs InProgress for `polls` status reads (or `maxMs`, then they finish alone). */
  slowIngestJobs(polls: number, maxMs?: number): void;
  /** Moves the org's clock `minutes` away from the machine's (negative: behind). */
  skewClock(minutes: number): void;
  /** The emailSimple action refuses to email `address` with this error (until `clear`). */
  rejectEmail(address: string, statusCode?: string, message?: string): void;
  /** Ends every injected fault: request faults, drops, locks, slow jobs, API usage back to 0. */
  clear(): void;
}

export class TestOrg {
  readonly url: string;
  readonly credentials: OrgState['credentials'];
  readonly faults: TestOrgFaults;
  /** Id of the Organization record. */
  readonly orgId: string;
  /** Id of the running user (System Administrator). */
  readonly userId: string;

  private constructor(
    private readonly state: OrgState,
    private readonly server: Server,
  ) {
    this.url = state.url;
    this.credentials = state.credentials;
    this.orgId = state.orgId;
    this.userId = state.store.runningUserId;
    this.faults = {
      lockRecords: (ids, times = 1) => {
        for (const id of ids) state.locks.set(to18(id) ?? id, times);
      },
      failRequests: (match, status, times = 1) => {
        state.requestFaults.push({ ...match, status, remaining: times });
      },
      expireSessions: () => {
        for (const s of state.sessions.values()) s.valid = false;
      },
      setApiUsage: (used, limit) => {
        state.apiUsed = used;
        if (limit !== undefined) state.apiLimit = limit;
      },
      onBeforeWrite: (fn) => {
        state.beforeWrite.push(fn);
      },
      rejectLogins: (reject = true) => {
        state.rejectLogins = reject;
      },
      dropConnections: (match, times = 1) => {
        const { when = 'before', ...where } = match;
        state.dropFaults.push({ ...where, when, remaining: times });
      },
      slowIngestJobs: (polls, maxMs = 60_000) => {
        state.slowIngest = polls > 0 ? { polls, maxMs } : undefined;
      },
      skewClock: (minutes) => {
        state.clock.skewMs = minutes * 60_000;
      },
      rejectEmail: (address, statusCode = 'INVALID_EMAIL_ADDRESS', message) => {
        state.emailRejects.set(address.toLowerCase(), {
          statusCode,
          message: message ?? `Email address is invalid: ${address}`,
        });
      },
      clear: () => {
        state.emailRejects.clear();
        state.requestFaults.length = 0;
        state.dropFaults.length = 0;
        state.locks.clear();
        state.slowIngest = undefined;
        state.apiUsed = 0;
      },
    };
  }

  static async start(options: TestOrgOptions = {}): Promise<TestOrg> {
    const clock = { skewMs: 0 };
    const store = new Store(() => new Date(Date.now() + clock.skewMs));
    const keys = orgKeyPair();
    const suffix = randomBytes(4).toString('hex');
    const [orgId = ''] = store.insert('Organization', [
      {
        Name: 'Leadshift Test Org',
        IsSandbox: options.isSandbox ?? false,
        InstanceName: options.isSandbox ? 'CS42' : 'NA42',
        OrganizationType: 'Enterprise Edition',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'GMT',
      },
    ]);
    const [profileId = ''] = store.insert('Profile', [
      { Name: 'System Administrator', UserType: 'Standard' },
    ]);
    const username = `admin.${suffix}@leadshift.test`;
    const [userId = ''] = store.insert('User', [
      {
        FirstName: 'Ada',
        LastName: 'Admin',
        Username: username,
        Email: username,
        Alias: 'aadmin',
        IsActive: true,
        ProfileId: profileId,
        UserType: 'Standard',
      },
    ]);
    store.runningUserId = userId;
    const [adminSet = ''] = store.insert('PermissionSet', [
      {
        Name: 'X00ex00000018ozh_128_09_04_12_1',
        Label: 'System Administrator',
        IsOwnedByProfile: true,
        ProfileId: profileId,
        PermissionsUpdateWithInactiveOwner: false,
        PermissionsModifyAllData: true,
      },
    ]);
    store.insert('PermissionSetAssignment', [{ AssigneeId: userId, PermissionSetId: adminSet }]);
    for (const obj of ['Organization', 'Profile', 'User', 'PermissionSet', 'PermissionSetAssignment']) {
      for (const r of store.all(obj)) {
        r.CreatedById = userId;
        r.LastModifiedById = userId;
      }
    }
    const state: OrgState = {
      store,
      config: {
        minVersion: Number.parseInt(options.minApiVersion ?? '42.0', 10),
        maxVersion: Number.parseInt(options.apiVersion ?? '64.0', 10),
        queryBatchSize: options.queryBatchSize ?? 2000,
        bulkQueryPageSize: options.bulkQueryPageSize ?? 10_000,
        bulkDelayMs: options.bulkDelayMs ?? 50,
        isSandbox: options.isSandbox ?? false,
      },
      url: '',
      orgId,
      sessions: new Map(),
      refreshTokens: new Map(),
      apiUsed: 0,
      apiLimit: options.dailyApiLimit ?? 100_000,
      requests: [],
      locks: new Map(),
      requestFaults: [],
      beforeWrite: [],
      dropFaults: [],
      requestHooks: [],
      clock,
      rejectLogins: false,
      triggers: new Map(),
      cursors: new Map(),
      ingestJobs: new Map(),
      outbox: [],
      emailRejects: new Map(),
      queryJobs: new Map(),
      credentials: {
        username,
        password: `Pw-${suffix}-secret`,
        securityToken: `Tok${randomBytes(6).toString('hex')}`,
        clientId: `3MVG9${randomBytes(24).toString('base64url')}`,
        clientSecret: randomBytes(16).toString('hex').toUpperCase(),
        privateKeyPem: keys.privateKeyPem,
      },
      publicKeyPem: keys.publicKeyPem,
    };
    const server = await startServer(state, options.port ?? 0);
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new TestOrg(state, server);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Emails the org sent through the emailSimple action, oldest first. */
  get outbox(): SentEmail[] {
    return this.state.outbox.map((email) => ({ ...email, to: [...email.to] }));
  }

  get requests(): RecordedRequest[] {
    return this.state.requests;
  }

  /** Calls that count against the daily API limit (REST and Bulk 2.0 under /services/data). */
  apiCallCount(kind?: string): number {
    return this.state.requests.filter((r) => r.counted && (kind === undefined || r.kind === kind)).length;
  }

  /** The usage the org reports (Sforce-Limit-Info / DailyApiRequests). */
  get apiUsage(): { used: number; limit: number } {
    return { used: this.state.apiUsed, limit: this.state.apiLimit };
  }

  resetRequests(): void {
    this.state.requests.length = 0;
  }

  issueAccessToken(userId = this.userId): string {
    return newAccessToken(this.state, userId);
  }

  /** A refresh token the token endpoint accepts (grant_type=refresh_token). */
  issueRefreshToken(userId = this.userId): string {
    return newRefreshToken(this.state, userId);
  }

  insert(object: string, records: Record<string, unknown>[]): string[] {
    return this.state.store.insert(object, records);
  }

  /** Declares fields, e.g. `defineFields('Lead', ['Region__c:string', 'Partner__c:reference::Account'])`. */
  defineFields(object: string, fields: (string | (Partial<FieldDef> & { name: string }))[]): void {
    this.state.store.defineFields(object, fields);
  }

  record(object: string, id: string): Record<string, unknown> | undefined {
    const r = this.state.store.get(object, id);
    return r ? { ...r } : undefined;
  }

  records(object: string): Record<string, unknown>[] {
    return this.state.store.all(object).map((r) => ({ ...r }));
  }

  /** "Someone else changed it": sets a field directly and bumps LastModifiedDate (as the running user). */
  setField(object: string, id: string, field: string, value: unknown): void {
    this.editAs(this.userId, object, id, { [field]: value });
  }

  /**
   * Another user edits a record in the UI: no API call is counted, no validation beyond field names,
   * LastModifiedById is that user, and an owner change writes owner history like any other.
   */
  editAs(userId: string, object: string, id: string, changes: Record<string, unknown>): void {
    const def = this.state.store.describe(object);
    const rec = this.state.store.get(object, id);
    if (!def || !rec) throw new Error(`No ${object} record ${id}`);
    const oldOwner = rec.OwnerId;
    for (const [field, value] of Object.entries(changes)) {
      const f = def.fields.get(field.toLowerCase());
      if (!f) throw new Error(`No field ${field} on ${object}`);
      rec[f.name] = normalise(f, value);
    }
    computeName(def, rec);
    this.state.store.touch(rec, userId);
    recordOwnerChange(this.state, def.name, rec, oldOwner, userId);
  }

  /**
   * Converts a lead as the UI does: an Account and a Contact are created with the lead's owner, the lead
   * becomes IsConverted (read-only from then on: updates fail CANNOT_UPDATE_CONVERTED_LEAD).
   * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_convertlead.htm
   */
  convertLead(id: string, userId = this.userId): { accountId: string; contactId: string } {
    const lead = this.state.store.get('Lead', id);
    if (!lead) throw new Error(`No Lead record ${id}`);
    if (lead.IsConverted === true) throw new Error(`Lead ${id} is already converted`);
    const owner = lead.OwnerId;
    const [accountId = ''] = this.state.store.insert('Account', [
      { Name: lead.Company ?? lead.LastName, OwnerId: owner, CreatedById: userId, LastModifiedById: userId },
    ]);
    const [contactId = ''] = this.state.store.insert('Contact', [
      {
        FirstName: lead.FirstName,
        LastName: lead.LastName,
        AccountId: accountId,
        OwnerId: owner,
        CreatedById: userId,
        LastModifiedById: userId,
      },
    ]);
    Object.assign(lead, {
      IsConverted: true,
      ConvertedDate: this.now().toISOString().slice(0, 10),
      ConvertedAccountId: accountId,
      ConvertedContactId: contactId,
      Status: 'Closed - Converted',
    });
    this.state.store.touch(lead, userId);
    return { accountId, contactId };
  }

  /** Gives a user a permission through a new permission set, e.g. 'PermissionsUpdateWithInactiveOwner'. */
  grantPermission(permission: string, userId = this.userId): string {
    const def = this.state.store.describe('PermissionSet');
    if (!def?.fields.has(permission.toLowerCase())) throw new Error(`No permission ${permission}`);
    const name = permission.replace(/^Permissions/, '');
    const [setId = ''] = this.state.store.insert('PermissionSet', [
      { Name: name, Label: name, IsOwnedByProfile: false, [permission]: true },
    ]);
    this.state.store.insert('PermissionSetAssignment', [{ AssigneeId: userId, PermissionSetId: setId }]);
    return setId;
  }

  /** Owner history rows (both DataTypes) of a record, oldest first. */
  ownerHistory(object: string, id: string): Record<string, unknown>[] {
    const key = to18(id);
    return this.state.store
      .all(`${object === 'Opportunity' ? 'OpportunityField' : object}History`)
      .filter((h) => Object.entries(h).some(([k, v]) => k === `${object}Id` && v === key))
      .map((h) => ({ ...h }));
  }

  /** The org's clock (the machine's, moved by faults.skewClock). */
  now(): Date {
    return this.state.store.now();
  }

  /**
   * Runs `fn` for every request once it was handled, before its reply is sent: a test can kill the
   * client at the Nth request the org sees, with that request's change made and its reply never read.
   */
  onRequest(fn: (request: RecordedRequest) => void): void {
    this.state.requestHooks.push(fn);
  }

  /** Finishes every Bulk ingest job still queued or in progress now; returns how many. */
  settleIngestJobs(): number {
    return settleIngestJobs(this.state);
  }

  /** Bulk ingest jobs as the org lists them (state, createdDate, createdById, …). */
  ingestJobs(): Record<string, unknown>[] {
    return [...this.state.ingestJobs.values()].map((j) => ({ ...j.info }));
  }

  /** Moves a record to the recycle bin (queries skip it; queryAll returns it; writes fail ENTITY_IS_DELETED). */
  delete(object: string, id: string): void {
    const rec = this.state.store.get(object, id);
    if (!rec) throw new Error(`No ${object} record ${id}`);
    rec.IsDeleted = true;
    this.state.store.touch(rec);
  }

  setLeadAssignmentRule(rule: LeadAssignmentRule | undefined): void {
    this.state.leadRule = rule;
    if (!rule) {
      this.state.leadRuleId = undefined;
      return;
    }
    const existing = rule.id ? this.state.store.get('AssignmentRule', rule.id) : undefined;
    const id = existing
      ? String(existing.Id)
      : (this.state.store.insert('AssignmentRule', [
          { ...(rule.id ? { Id: rule.id } : {}), Name: 'Standard', SobjectType: 'Lead', Active: true },
        ])[0] ?? '');
    this.state.leadRuleId = id;
  }

  /** Id of the active lead assignment rule (after setLeadAssignmentRule). */
  get leadAssignmentRuleId(): string | undefined {
    return this.state.leadRuleId;
  }

  addTrigger(object: string, fn: (record: Record<string, unknown>) => void): void {
    const name = this.state.store.describe(object)?.name ?? object;
    const list = this.state.triggers.get(name) ?? [];
    list.push(fn as (record: Rec) => void);
    this.state.triggers.set(name, list);
  }
}
