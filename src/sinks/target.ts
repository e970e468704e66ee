import type { ChangeResult } from '../model.js';

/** One row of plan.csv as apply reads it back. */
export interface PlannedChange {
  id: string;
  oldOwnerId: string;
  /** Empty when Salesforce's assignment rules decide. */
  newOwnerId: string;
  rule: string;
  oldOwner: string;
  newOwner: string;
  stamps: Record<string, string>;
  object: string;
}

/**
 * Where an apply writes. The apply loop hands it windows of planned changes; the target checks that each
 * record's owner is still the planned old owner, writes the rest, and reports every record's result.
 */
export interface ApplyTarget {
  readonly kind: 'csv' | 'salesforce';
  /** Changes per window: the unit of the freshness read, the write and the journal flush. */
  readonly windowSize: number;
  /**
   * Writes one window. Results may be reported in several calls (one per request), each of which is
   * journalled before the next request goes out.
   */
  applyWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void>;
  /** API calls made, by kind, for run.json (Salesforce only). */
  apiCalls(): Record<string, number> | undefined;
  close(): Promise<void>;
}
