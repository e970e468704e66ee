import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type ApplyResult, applyRun } from '../../core/apply.js';
import type { Ports } from '../../core/ports.js';
import { withRunLock } from '../../core/with-lock.js';
import type { RunRecord } from '../../journal/run-record.js';
import type { ApplyTarget } from '../../sinks/target.js';
import { renderApply } from '../../ui/diff.js';
import type { CommandContext } from '../context.js';
import { applyJson } from '../json.js';

export function registerApply(
  program: Command,
  run: (action: (context: CommandContext) => Promise<number>) => Promise<void>,
): void {
  program
    .command('apply <run-dir>')
    .description(
      'apply a saved plan exactly: only its records, only where the owner is still the planned old owner; resumes an interrupted apply',
    )
    .option(
      '--from <source>',
      "csv:PATH of a current export to check owners against (csv plans; default: the plan's own export)",
    )
    .addHelpText(
      'after',
      `
Examples:
  leadshift apply .leadshift/runs/20261124T060000Z-3f9a1c
  leadshift apply review/2026-11-24 --from csv:exports/leads-today.csv`,
    )
    .action((runDir: string, options: { from?: string }) =>
      run((context) => applyCommand(runDir, options, context)),
    );
}

export async function applyCommand(
  runDir: string,
  options: { from?: string },
  context: CommandContext,
): Promise<number> {
  const dir = resolve(context.ports.cwd, runDir);
  const freshFrom = options.from?.replace(/^csv:/i, '');
  const result = await withRunLock(context.home, 'apply', () =>
    applyRun(
      {
        runDir: dir,
        home: context.home,
        command: 'apply',
        freshFrom: freshFrom && resolve(context.ports.cwd, freshFrom),
        signal: context.signal,
        openSalesforceTarget,
      },
      context.ports,
    ),
  );
  return reportApply(result, context);
}

export function reportApply(result: ApplyResult, context: CommandContext): number {
  if (context.json) context.printJson(applyJson(result.record, result.runDir));
  else context.print(renderApply(result.record, result.runDir, context.style));
  return (result.counts.failed ?? 0) > 0 ? 3 : 0;
}

/** jsforce is loaded only when a plan actually goes to Salesforce. */
export async function openSalesforceTarget(record: RunRecord, ports: Ports): Promise<ApplyTarget> {
  const { openSalesforceApplyTarget } = await import('../../sinks/salesforce-target.js');
  return openSalesforceApplyTarget(record, ports);
}
