import { resolve } from 'node:path';
import { type ApplyRequest, type ApplyResult, applyRun } from '../../core/apply.js';
import type { Ports } from '../../core/ports.js';
import { withRunLock } from '../../core/with-lock.js';
import type { RunRecord } from '../../journal/run-record.js';
import type { ApplyTarget } from '../../sinks/target.js';
import { renderApply } from '../../ui/diff.js';
import type { CommandContext } from '../context.js';
import { applyJson } from '../json.js';

export async function applyCommand(
  runDir: string,
  options: { from?: string },
  context: CommandContext,
): Promise<number> {
  const request = applyRequest(resolve(context.ports.cwd, runDir), 'apply', context, options.from);
  const result = await withRunLock(context.home, 'apply', () => applyRun(request, context.ports));
  return reportApply(result, context);
}

/** What apply, run and undo hand to applyRun; `from` is `--from csv:PATH`, a current export to check against. */
export function applyRequest(
  runDir: string,
  command: string,
  context: CommandContext,
  from?: string,
  target?: ApplyTarget,
): ApplyRequest {
  const freshFrom = from?.replace(/^csv:/i, '');
  return {
    runDir,
    home: context.home,
    command,
    freshFrom: freshFrom && resolve(context.ports.cwd, freshFrom),
    signal: context.signal,
    openSalesforceTarget: target ? async () => target : openSalesforceTarget,
  };
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
