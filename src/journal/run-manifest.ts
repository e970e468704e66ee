import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { JobSpec } from '../config/job.js';
import type { PlanSummary } from '../plan/summary.js';
import { type AssignSpec, STRATEGY_KEYS } from '../rules/strategies/index.js';
import { runFile } from './run-files.js';
import { readJson, writeFileAtomic } from './run-home.js';

export type RunStatus =
  | 'planned'
  | 'applying'
  | 'applied'
  | 'partial'
  | 'interrupted'
  | 'declined'
  | 'refused'
  | 'failed';

/** Where a plan is applied: a CSV file for Data Loader, or Salesforce itself. */
export type SinkKind = 'csv' | 'salesforce';

export interface ApplyCounts {
  updated: number;
  failed: number;
  skipped: number;
  overridden: number;
  /** Written by a Bulk job while someone else changed the owner (owner history says who). */
  conflict: number;
}

/** run.json, the run manifest: what was asked, what was found, what happened. Read back by apply, undo and runs. */
export interface RunManifest {
  tool: { name: string; version: string };
  runId: string;
  kind: 'plan' | 'undo';
  /** For an undo run: the run it reverses. */
  undoOf?: string;
  status: RunStatus;
  object: string;
  source: string;
  /** The sink the plan is applied to (the key keeps its name: run directories already hold it). */
  target: SinkKind;
  /** Where a Salesforce sink lives (host only: no credentials ever go here). */
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
  /** The plan's round-robin turns were added to the run home's (once per run, however often applied). */
  turnsCommitted?: boolean;
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

export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await writeFileAtomic(runFile(dir, 'manifest'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(dir: string): Promise<RunManifest | undefined> {
  const manifest = await readJson<RunManifest>(runFile(dir, 'manifest'));
  // Plans written before rules were tagged by strategy name it only by its key: tag them on reading, so
  // a plan made with an earlier version still applies and undoes.
  for (const rule of manifest?.job.rules ?? []) {
    const assign = rule.assign as Partial<AssignSpec> & Record<string, unknown>;
    if (assign.strategy === undefined) {
      const key = STRATEGY_KEYS.find((name) => assign[name] !== undefined);
      if (key) Object.assign(assign, { strategy: key });
    }
  }
  return manifest;
}

/** The manifest of a freshly planned run (a plan, or the undo of an applied one). */
export function plannedManifest(
  fields: Omit<RunManifest, 'tool' | 'status' | 'ranBy' | 'startedAt' | 'plannedAt'>,
  times: { startedAt: Date; plannedAt: Date },
): RunManifest {
  return {
    tool: { name: 'leadshift', version: toolVersion() },
    runId: fields.runId,
    kind: fields.kind,
    ...(fields.undoOf === undefined ? {} : { undoOf: fields.undoOf }),
    status: 'planned',
    object: fields.object,
    source: fields.source,
    target: fields.target,
    instance: fields.instance,
    job: fields.job,
    ranBy: whoRan(),
    command: fields.command,
    startedAt: times.startedAt.toISOString(),
    plannedAt: times.plannedAt.toISOString(),
    counts: fields.counts,
    summary: fields.summary,
  };
}
