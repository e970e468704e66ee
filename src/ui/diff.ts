import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChalkInstance } from 'chalk';
import { inApplyOrder } from '../config/job-parts.js';
import { runFile } from '../journal/run-files.js';
import type { RunManifest } from '../journal/run-manifest.js';
import type { Explanation } from '../plan/plan-rows.js';
import type { RuleShares } from '../plan/shares.js';
import type { PlanSummary } from '../plan/summary.js';
import { noticeLines } from './notify-lines.js';
import { count, table } from './style.js';

/** The human diff: what will change, for whom, by which rule, and what stays unassigned. */
export function renderPlan(manifest: RunManifest, runDir: string, style: ChalkInstance): string {
  const { summary } = manifest;
  const lines: string[] = [];
  const title = manifest.kind === 'undo' ? `Undo of ${manifest.undoOf}` : `Plan ${manifest.runId}`;
  const objects = manifest.job.objects
    ? inApplyOrder(manifest.job.objects)
        .map((part) => part.object)
        .join(', ')
    : manifest.object;
  lines.push(style.bold(`${title}: ${objects} from ${manifest.source}`), '');
  lines.push(`  ${totals(summary, style)}`);
  if (summary.objects) {
    // A plan of several objects: each object on its own, in the order they are written.
    for (const part of summary.objects) {
      const history = part.leftAlone?.count
        ? `; ${count(part.leftAlone.count)} ${part.leftAlone.reason} stay as they are`
        : '';
      lines.push('', style.bold(`  ${part.object}: `) + totals(part, style) + history);
      lines.push(...summaryLines(part, part.object, manifest.kind, style, '    '));
    }
  } else lines.push(...summaryLines(summary, manifest.object, manifest.kind, style, '  '));
  lines.push(...noticeLines(manifest, runDir, style));
  lines.push('', `  Run directory: ${runDir}`);
  return `${lines.join('\n')}\n`;
}

function totals(summary: Omit<PlanSummary, 'objects'>, style: ChalkInstance): string {
  return (
    `${style.bold(count(summary.selected))} selected, ${style.bold(count(summary.changes))} to change, ` +
    `${count(summary.unassigned)} unassigned, ${count(summary.kept)} kept`
  );
}

/** One object's changes, unassigned reasons, receivers and shares, indented by `indent`. */
function summaryLines(
  summary: Omit<PlanSummary, 'objects'>,
  object: string,
  kind: RunManifest['kind'],
  style: ChalkInstance,
  indent: string,
): string[] {
  const lines: string[] = [];
  const inner = `${indent}  `;
  if (summary.groups.length > 0) {
    lines.push('', style.bold(`${indent}Changes`));
    const rows = summary.groups.map((g) => [g.oldOwner, '→', g.newOwner, count(g.count), style.dim(g.rule)]);
    lines.push(
      ...table(
        [['Old owner', '', 'New owner', 'Records', 'Rule'].map((h) => style.dim(h)), ...rows],
        new Set([3]),
        inner,
      ),
    );
  }
  if (summary.unassignedReasons.length > 0) {
    const heading =
      kind === 'undo'
        ? `Left alone (${count(summary.unassigned)}): skipped, nothing is sent for them`
        : `Unassigned (${count(summary.unassigned)}), left as they are`;
    lines.push('', style.bold(`${indent}${heading}`));
    lines.push(
      ...table(
        summary.unassignedReasons.map((r) => [count(r.count), r.reason]),
        new Set([0]),
        inner,
      ),
    );
  }
  if (summary.receivers.length > 0) {
    lines.push('', style.bold(`${indent}Receiving owners: open ${object} records before → after`));
    const rows = summary.receivers.map((r) => [
      r.owner,
      count(r.before),
      '→',
      count(r.after),
      style.green(`+${count(r.received)}`),
    ]);
    lines.push(...table(rows, new Set([1, 3]), inner));
  }
  for (const shares of summary.shares ?? []) lines.push('', ...renderShares(shares, style, indent));
  return lines;
}

function renderShares(shares: RuleShares, style: ChalkInstance, indent = '  '): string[] {
  const byLoad = shares.basis === 'load';
  const heading = byLoad ? 'load before, fewest first' : 'weight and share';
  const rows = shares.members.map((m) => [
    m.owner,
    byLoad ? `load ${count(m.value)}` : `weight ${count(m.value)}`,
    m.share === undefined ? '' : `${m.share}%`,
    style.green(`+${count(m.received)}`),
  ]);
  return [
    style.bold(`${indent}${shares.rule}: ${heading}`),
    ...table(rows, new Set([1, 2, 3]), `${indent}  `),
  ];
}

export function renderExplanation(explanation: Explanation, style: ChalkInstance): string {
  if (!explanation.found) {
    return `Record ${explanation.id} was not selected: it is not in the source, or a selector (owner, --where, --exclude, converted) leaves it out.\n`;
  }
  const lines = [style.bold(`Record ${explanation.id}, owned by ${explanation.owner}`)];
  for (const [i, step] of explanation.trace.entries()) {
    lines.push(`  ${i + 1}. ${step.rule}: ${step.result} (${step.detail})`);
  }
  if (explanation.trace.length === 0) lines.push('  no rules');
  const decision = explanation.decision;
  if (decision?.kind === 'unassigned') lines.push(`  → unassigned: ${decision.reason}`);
  return `${lines.join('\n')}\n`;
}

/** The update files an apply to CSV wrote, by object: update.csv, and update-<Object>.csv for the others. */
function updateFiles(manifest: RunManifest, runDir: string): Array<{ object: string; file: string }> {
  const files = manifest.job.objects ? [] : [{ object: manifest.object, file: runFile(runDir, 'update') }];
  const names = existsSync(runDir) ? readdirSync(runDir).sort() : [];
  for (const name of names) {
    const object = /^update-(.+)\.csv$/.exec(name)?.[1];
    if (object) files.push({ object, file: join(runDir, name) });
  }
  return files;
}

export function renderApply(manifest: RunManifest, runDir: string, style: ChalkInstance): string {
  const c = manifest.counts;
  const failed = c.failed ?? 0;
  const parts = [
    style.green(`${count(c.updated ?? 0)} updated`),
    failed > 0 ? style.red(`${count(failed)} failed`) : `${count(failed)} failed`,
    `${count(c.skipped ?? 0)} skipped (owner changed since the plan)`,
    `${count(c.overridden ?? 0)} overridden`,
  ];
  const conflicts = c.conflict ?? 0;
  if (conflicts > 0) parts.push(style.yellow(`${count(conflicts)} conflict`));
  const lines = [style.bold(`Applied ${manifest.runId}: `) + parts.join(', ')];
  if (failed > 0) lines.push(`  See ${runFile(runDir, 'results')} for the failed records.`);
  if (conflicts > 0)
    lines.push(
      `  Someone changed ${count(conflicts)} while the Bulk job ran, and the job wrote over it: ${runFile(runDir, 'results')} says who, to whom and when.`,
    );
  if (manifest.target === 'csv')
    for (const { object, file } of updateFiles(manifest, runDir))
      lines.push(
        `  Upload ${file} with Data Loader or: sf data update bulk --sobject ${object} --file ${file}`,
      );
  const undoable = (c.updated ?? 0) + conflicts;
  if (undoable > 0) lines.push(`  Undo with: leadshift undo ${runDir}`);
  return `${lines.join('\n')}\n`;
}
