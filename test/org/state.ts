// Shared mutable state of one test org (store, sessions, faults, counters, jobs).

import type { SentEmail } from './actions.js';
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
  /** Error code of the reply (default by status: SERVER_UNAVAILABLE, REQUEST_LIMIT_EXCEEDED, …). */
  errorCode?: string;
  status: number;
  remaining: number;
}

/** Connections closed without a reply: before the request is handled, or after (the change is made). */
export interface DropFault {
  method?: string;
  pathIncludes?: string;
  when: 'before' | 'after';
  remaining: number;
}

/** Bulk ingest jobs held InProgress until polled this many times, or until maxMs passed. */
export interface SlowIngest {
  polls: number;
  maxMs: number;
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
  beforeWrite: ((object: string, id: string, changes: Rec) => void)[];
  dropFaults: DropFault[];
  /** Called for each request after it was handled and before its reply is sent. */
  requestHooks: ((request: RecordedRequest) => void)[];
  slowIngest?: SlowIngest;
  /** Offset of the org's clock from the machine's (SystemModstamp, job dates, the Date header). */
  clock: { skewMs: number };
  rejectLogins: boolean;
  leadRule?: LeadAssignmentRule;
  leadRuleId?: string;
  triggers: Map<string, ((record: Rec) => void)[]>;
  cursors: Map<string, { records: Rec[]; batchSize: number }>;
  ingestJobs: Map<string, IngestJob>;
  /** Emails the emailSimple action sent, oldest first. */
  outbox: SentEmail[];
  /** Addresses (lower case) the org refuses to email, with the error the action reports. */
  emailRejects: Map<string, { statusCode: string; message: string }>;
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
