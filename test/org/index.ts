// TestOrg: a local Salesforce REST + Bulk API 2.0 emulator for tests (driven by the real jsforce).

import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newAccessToken, newRefreshToken, orgKeyPair } from './auth.js';
import { to18 } from './ids.js';
import type { FieldDef } from './schema.js';
import { startServer } from './server.js';
import type { LeadAssignmentRule, OrgState, RecordedRequest } from './state.js';
import { computeName, normalise, type Rec, Store } from './store.js';

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
  failRequests(match: { method?: string; pathIncludes?: string }, status: number, times?: number): void;
  expireSessions(): void;
  setApiUsage(used: number, limit?: number): void;
  onBeforeWrite(fn: (object: string, id: string) => void): void;
  rejectLogins(reject?: boolean): void;
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
    };
  }

  static async start(options: TestOrgOptions = {}): Promise<TestOrg> {
    const store = new Store();
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
    for (const obj of ['Organization', 'Profile', 'User']) {
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
      rejectLogins: false,
      triggers: new Map(),
      cursors: new Map(),
      ingestJobs: new Map(),
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

  /** "Someone else changed it": sets a field directly and bumps LastModifiedDate. */
  setField(object: string, id: string, field: string, value: unknown): void {
    const def = this.state.store.describe(object);
    const rec = this.state.store.get(object, id);
    if (!def || !rec) throw new Error(`No ${object} record ${id}`);
    const f = def.fields.get(field.toLowerCase());
    if (!f) throw new Error(`No field ${field} on ${object}`);
    rec[f.name] = normalise(f, value);
    computeName(def, rec);
    this.state.store.touch(rec);
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
