import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { JobSpec } from '../config/job.js';
import type { PlanSummary } from '../plan/summary.js';
import { readJson, writeFileAtomic } from './run-home.js';

export const RUN_FILE = 'run.json';

export type RunStatus =
  | 'planned'
  | 'applying'
  | 'applied'
  | 'partial'
  | 'interrupted'
  | 'declined'
  | 'refused'
  | 'failed';

export interface ApplyCounts {
  updated: number;
  failed: number;
  skipped: number;
  overridden: number;
}

/** run.json: what was asked, what was found, what happened. Read back by apply, undo and runs. */
export interface RunRecord {
  tool: { name: string; version: string };
  runId: string;
  kind: 'plan' | 'undo';
  /** For an undo run: the run it reverses. */
  undoOf?: string;
  status: RunStatus;
  object: string;
  source: string;
  target: 'csv' | 'salesforce';
  /** Where a Salesforce target lives (host only: no credentials ever go here). */
  instance?: string;
  job: JobSpec;
  ranBy: string;
  command: string;
  startedAt: string;
  plannedAt?: string;
  appliedAt?: string;
  endedAt?: string;
  counts: { selected: number; changes: number; unassigned: number; kept: number } & Partial<ApplyCounts>;
  summary: PlanSummary;
  /** What the write cost, when it went to Salesforce. */
  apiCalls?: Record<string, number>;
  error?: string;
}

let cachedVersion: string | undefined;

export function toolVersion(): string {
  if (!cachedVersion) {
    // dist/journal/ and src/journal/ both sit two levels below package.json.
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cachedVersion = (JSON.parse(text) as { version: string }).version;
  }
  return cachedVersion;
}

export function whoRan(): string {
  return `${userInfo().username}@${hostname()}`;
}

export async function writeRunRecord(dir: string, record: RunRecord): Promise<void> {
  await writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readRunRecord(dir: string): Promise<RunRecord | undefined> {
  return readJson<RunRecord>(join(dir, RUN_FILE));
}
