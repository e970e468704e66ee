/**
 * Counts the HTTP calls one client makes, by kind. The run compares these against the daily API
 * allowance (`limits.maxApiShare`); jsforce's own `limitInfo` misses Bulk traffic.
 */

export type CallKind =
  | 'query'
  | 'queryMore'
  | 'bulkQuery'
  | 'collections'
  | 'composite'
  | 'bulkIngest'
  | 'limits'
  | 'describe'
  | 'auth'
  | 'other';

export const CALL_KINDS: readonly CallKind[] = [
  'query',
  'queryMore',
  'bulkQuery',
  'collections',
  'composite',
  'bulkIngest',
  'limits',
  'describe',
  'auth',
  'other',
];

export class ApiCallCounter {
  private readonly counts = new Map<CallKind, number>();
  private sent = 0;

  /** Records one HTTP request (every attempt counts: Salesforce counts retries too). */
  add(kind: CallKind, bodyBytes = 0): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.sent += bodyBytes;
  }

  count(kind?: CallKind): number {
    if (kind) return this.counts.get(kind) ?? 0;
    let total = 0;
    for (const value of this.counts.values()) total += value;
    return total;
  }

  get bytesSent(): number {
    return this.sent;
  }

  /** Every kind with its count, zeros included, for run.json. */
  snapshot(): Record<CallKind, number> & { bytesSent: number } {
    const entries = CALL_KINDS.map((kind) => [kind, this.count(kind)] as const);
    return { ...(Object.fromEntries(entries) as Record<CallKind, number>), bytesSent: this.sent };
  }
}
