import type { PlannedChange } from '../journal/plan-file.js';
import type { SinkKind } from '../journal/run-manifest.js';
import type { ChangeResult } from '../model.js';

export type { PlannedChange, SinkKind };

/**
 * Where an apply writes. The apply loop hands it windows of planned changes; the sink checks that each
 * record's owner is still the planned old owner, writes the rest, and reports every record's result.
 */
export interface Sink {
  readonly kind: SinkKind;
  /** Changes per window: the unit of the freshness read, the write and the journal flush. */
  readonly windowSize: number;
  /**
   * Writes one window. Results may be reported in several calls (one per request), each of which is
   * journalled before the next request goes out.
   */
  applyWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void>;
  /**
   * An earlier attempt of this apply sent the record (or put it in an update file) and results.csv may not
   * say so yet: a kill between the write and its journal line, or a Bulk job still running.
   */
  mayHaveWritten(id: string): boolean;
  /**
   * Reports what earlier attempts wrote of these records (waiting for a Bulk job still running) and sends
   * nothing: records no attempt wrote are not reported. Undo settles a stopped apply so first.
   */
  settleWindow(changes: PlannedChange[], report: (results: ChangeResult[]) => Promise<void>): Promise<void>;
  /** The API requests writing this many changes will make; 0 where writing costs none. */
  estimateCalls(changes: number): number;
  /** What is left of the org's daily API allowance; undefined where writing costs none. */
  remainingApiRequests(): Promise<number | undefined>;
  /** API calls made, by kind, for run.json (Salesforce only). */
  apiCalls(): Record<string, number> | undefined;
  close(): Promise<void>;
}
