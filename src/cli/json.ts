/**
 * --json output in the Salesforce CLI's envelope, so scripts that read `sf … --json` read leadshift the
 * same way: `{status, result, warnings}` on success (status 3 with its result when some records failed),
 * `{status, name, message, exitCode, actions, data}` on failure. The result shapes are pinned by
 * schemas/*.result.json (README "Scripting with --json").
 */

import type { InactiveOwner } from '../core/owners.js';
import { InputError, InterruptedError, type Problem, RefusedError } from '../errors.js';
import { runFile } from '../journal/run-files.js';
import type { RunManifest } from '../journal/run-manifest.js';
import type { Explanation } from '../plan/plan-rows.js';
import type { NotifyReport } from '../sinks/notify/index.js';

export function planJson(record: RunManifest, runDir: string, explanation?: Explanation) {
  return {
    command: record.command,
    runId: record.runId,
    runDir,
    page: runFile(runDir, 'page'),
    status: record.status,
    object: record.object,
    source: record.source,
    target: record.target,
    counts: record.counts,
    changes: record.summary.groups,
    unassigned: record.summary.unassignedReasons,
    receivers: record.summary.receivers,
    // A plan of several objects: each object's own counts, changes and receivers, in apply order.
    ...(record.summary.objects
      ? {
          objects: record.summary.objects.map((part) => ({
            object: part.object,
            counts: {
              selected: part.selected,
              changes: part.changes,
              unassigned: part.unassigned,
              kept: part.kept,
            },
            changes: part.groups,
            unassigned: part.unassignedReasons,
            receivers: part.receivers,
            ...(part.leftAlone ? { leftAlone: part.leftAlone } : {}),
          })),
        }
      : {}),
    ...(explanation ? { explanation } : {}),
  };
}

export function applyJson(record: RunManifest, runDir: string, notify?: NotifyReport) {
  return { ...planJson(record, runDir), apiCalls: record.apiCalls, ...(notify ? { notify } : {}) };
}

export function notifyJson(record: RunManifest, runDir: string, report: NotifyReport) {
  return { runId: record.runId, runDir, page: runFile(runDir, 'page'), notify: report };
}

export function ownersJson(objects: string[], owners: InactiveOwner[]) {
  const records = owners.reduce(
    (sum, owner) => sum + Object.values(owner.records).reduce((a, b) => a + b, 0),
    0,
  );
  const uncovered = owners.filter((owner) => !owner.mappedTo).length;
  return { objects, owners, uncovered, counts: { owners: owners.length, uncovered, records } };
}

export function runsJson(runs: Array<{ dir: string; manifest: RunManifest }>) {
  return {
    runs: runs.map(({ dir, manifest: record }) => ({
      runId: record.runId,
      runDir: dir,
      kind: record.kind,
      status: record.status,
      object: record.object,
      source: record.source,
      ranBy: record.ranBy,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      counts: record.counts,
    })),
    counts: { runs: runs.length },
  };
}

export interface SuccessEnvelope {
  status: number;
  result: unknown;
  warnings: string[];
}

export interface FailureEnvelope {
  status: number;
  name: string;
  message: string;
  exitCode: number;
  actions: string[];
  data: Record<string, unknown>;
  warnings: string[];
}

export function successEnvelope(status: number, result: unknown, warnings: string[]): SuccessEnvelope {
  return { status, result: result ?? {}, warnings };
}

export function failureEnvelope(
  error: unknown,
  exitCode: number,
  warnings: string[],
  usageOf?: string,
): FailureEnvelope {
  const name = error instanceof Error && error.name !== 'Error' ? error.name : 'LeadshiftError';
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: exitCode,
    name: usageOf === undefined ? name : 'UsageError',
    message: usageOf === undefined ? message : message.replace(/^error: /, ''),
    exitCode,
    actions: actionsOf(error, message, usageOf),
    data: dataOf(error),
    warnings,
  };
}

function dataOf(error: unknown): Record<string, unknown> {
  if (error instanceof InputError) return { problems: error.problems.map(problemJson) };
  if (error instanceof RefusedError) return error.hint ? { hint: error.hint } : {};
  if (error instanceof InterruptedError) return error.runDir ? { runDir: error.runDir } : {};
  return {};
}

function problemJson(problem: Problem) {
  const { file, line, column, key, recordId, message, hint } = problem;
  return { file, line, column, key, recordId, message, hint };
}

/** Commands quoted in backticks are the next step to run; advice without one is kept as it is. */
function actionsOf(error: unknown, message: string, usageOf?: string): string[] {
  if (usageOf !== undefined) return [`leadshift ${usageOf ? `${usageOf} ` : ''}--help`];
  if (error instanceof InterruptedError) return error.runDir ? [`leadshift apply ${error.runDir}`] : [];
  const advice =
    error instanceof InputError
      ? error.problems.map((problem) => problem.hint ?? problem.message)
      : error instanceof RefusedError && error.hint
        ? [error.hint]
        : [message];
  const actions = new Set<string>();
  for (const text of advice) {
    const commands = [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    if (commands.length > 0) for (const command of commands) actions.add(command);
    else if (error instanceof InputError || error instanceof RefusedError) actions.add(text);
  }
  if (actions.size === 0 && !(error instanceof InputError)) actions.add('leadshift runs');
  return [...actions];
}
