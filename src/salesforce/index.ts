/**
 * The Salesforce adapter: the only module in leadshift that imports jsforce.
 */

export type { ActionOutcome } from './actions.js';
export type { AttachedJob } from './bulk-ingest.js';
export { ApiCallCounter, type CallKind } from './calls.js';
export type { FieldInfo, ObjectInfo, OrganizationInfo } from './client.js';
export { SalesforceClient } from './client.js';
export type { CompositeOutcome, CompositeStep, CompositeWrite } from './composite.js';
export { type ConnectOptions, connectSalesforce, MAX_SESSION_REFRESHES } from './connect.js';
export { ApiLimitError, SalesforceError, SessionExpiredError } from './errors.js';
export type { OwnerChange } from './owner-history.js';
export type { Assignment, IngestJobRef, UpdateOptions, WriteOutcome, WriteRow } from './types.js';
