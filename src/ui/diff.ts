import type { ChalkInstance } from 'chalk';
import type { RunRecord } from '../journal/run-record.js';
import type { Explanation } from '../plan/write-plan.js';
import { count, table } from './style.js';

/** The human diff: what will change, for whom, by which rule, and what stays unassigned. */
export function renderPlan(record: RunRecord, runDir: string, style: ChalkInstance): string {
  const { summary } = record;
  const lines: string[] = [];
  const title = record.kind === 'undo' ? `Undo of ${record.undoOf}` : `Plan ${record.runId}`;
  lines.push(style.bold(`${title}: ${record.object} from ${record.source}`), '');
  lines.push(
    `  ${style.bold(count(summary.selected))} selected, ${style.bold(count(summary.changes))} to change, ` +
      `${count(summary.unassigned)} unassigned, ${count(summary.kept)} kept`,
  );
  if (summary.groups.length > 0) {
    lines.push('', style.bold('  Changes'));
    const rows = summary.groups.map((g) => [g.oldOwner, '→', g.newOwner, count(g.count), style.dim(g.rule)]);
    lines.push(
      ...table(
        [['Old owner', '', 'New owner', 'Records', 'Rule'].map((h) => style.dim(h)), ...rows],
        new Set([3]),
        '    ',
      ),
    );
  }
  if (summary.unassignedReasons.length > 0) {
    lines.push('', style.bold(`  Unassigned (${count(summary.unassigned)}), left as they are`));
    lines.push(
      ...table(
        summary.unassignedReasons.map((r) => [count(r.count), r.reason]),
        new Set([0]),
        '    ',
      ),
    );
  }
  if (summary.receivers.length > 0) {
    lines.push('', style.bold(`  Receiving owners: open ${record.object} records before → after`));
    const rows = summary.receivers.map((r) => [
      r.owner,
      count(r.before),
      '→',
      count(r.after),
      style.green(`+${count(r.received)}`),
    ]);
    lines.push(...table(rows, new Set([1, 3]), '    '));
  }
  lines.push('', `  Run directory: ${runDir}`);
  return `${lines.join('\n')}\n`;
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

export function renderApply(record: RunRecord, runDir: string, style: ChalkInstance): string {
  const c = record.counts;
  const failed = c.failed ?? 0;
  const parts = [
    style.green(`${count(c.updated ?? 0)} updated`),
    failed > 0 ? style.red(`${count(failed)} failed`) : `${count(failed)} failed`,
    `${count(c.skipped ?? 0)} skipped (owner changed since the plan)`,
    `${count(c.overridden ?? 0)} overridden`,
  ];
  const lines = [style.bold(`Applied ${record.runId}: `) + parts.join(', ')];
  if (failed > 0) lines.push(`  See ${runDir}/results.csv for the failed records.`);
  if (record.target === 'csv')
    lines.push(
      `  Upload ${runDir}/update.csv with Data Loader or: sf data update bulk --sobject ${record.object} --file ${runDir}/update.csv`,
    );
  lines.push(`  Undo with: leadshift undo ${runDir}`);
  return `${lines.join('\n')}\n`;
}
