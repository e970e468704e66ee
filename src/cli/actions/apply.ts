import { resolve } from 'node:path';
import { type ApplyResult, applyRun } from '../../core/apply.js';
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
