// Shared mutable state of one test org (store, sessions, faults, counters, jobs).

import type { IngestJob } from './bulk-ingest.js';
import type { QueryJob } from './bulk-query.js';
import type { Rec, Store } from './store.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
  kind: string;
  /** Counted against the daily API request limit. */
  counted: boolean;
}

export interface LeadAssignmentRule {
  id?: string;
  assign: (lead: Record<string, unknown>) => string | undefined;
}

export interface RequestFault {
  method?: string;
  pathIncludes?: string;
  status: number;
  remaining: number;
}

export interface Session {
  userId: string;
  valid: boolean;
}

export interface OrgConfig {
  minVersion: number;
  maxVersion: number;
  queryBatchSize: number;
  bulkQueryPageSize: number;
  bulkDelayMs: number;
  isSandbox: boolean;
}

export interface OrgState {
  store: Store;
  config: OrgConfig;
  url: string;
  orgId: string;
  sessions: Map<string, Session>;
  refreshTokens: Map<string, string>; // refresh token → userId
  apiUsed: number;
  apiLimit: number;
  requests: RecordedRequest[];
  locks: Map<string, number>;
  requestFaults: RequestFault[];
  beforeWrite: ((object: string, id: string) => void)[];
  rejectLogins: boolean;
  leadRule?: LeadAssignmentRule;
  leadRuleId?: string;
  triggers: Map<string, ((record: Rec) => void)[]>;
  cursors: Map<string, { records: Rec[]; batchSize: number }>;
  ingestJobs: Map<string, IngestJob>;
  queryJobs: Map<string, QueryJob>;
  credentials: {
    username: string;
    password: string;
    securityToken: string;
    clientId: string;
    clientSecret: string;
    privateKeyPem: string;
  };
  publicKeyPem: string;
}
