import { resolve } from 'node:path';
import { applyRun } from '../../core/apply.js';
import { planUndo } from '../../core/undo.js';
import { withRunLock } from '../../core/with-lock.js';
import { renderPlan } from '../../ui/diff.js';
import { confirmWrite } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { applyRequest, reportApply } from './apply.js';

export interface UndoOptions {
  yes?: boolean;
  from?: string;
}

export async function undoCommand(
  runDir: string,
  options: UndoOptions,
  context: CommandContext,
): Promise<number> {
  const dir = resolve(context.ports.cwd, runDir);
  return withRunLock(context.home, 'undo', async () => {
    const undo = await planUndo(dir, context.home, 'undo', context.ports);
    if (!context.json) context.print(renderPlan(undo.record, undo.runDir, context.style));
    if (undo.record.counts.changes > 0)
      await confirmWrite(undo.record, undo.runDir, options.yes === true, context);
    const result = await applyRun(applyRequest(undo.runDir, 'undo', context, options.from), context.ports);
    return reportApply(result, context);
  });
}
