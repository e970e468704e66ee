import { resolve } from 'node:path';
import { undoJob } from '../../core/undo.js';
import { renderPlan } from '../../ui/diff.js';
import type { CommandContext } from '../context.js';
import type { Outcome } from '../run-action.js';
import { freshFromFlag, reportApply } from './apply.js';

export interface UndoOptions {
  yes?: boolean;
  from?: string;
  to?: string;
  users?: string;
}

export async function undoCommand(
  runDir: string,
  options: UndoOptions,
  context: CommandContext,
): Promise<Outcome> {
  const result = await undoJob(
    {
      runDir: resolve(context.ports.cwd, runDir),
      home: context.home,
      yes: options.yes === true,
      freshFrom: freshFromFlag(options.from, context),
      to: options.to,
      users: options.users ? resolve(context.ports.cwd, options.users) : undefined,
      signal: context.signal,
      showPlan: async (undo) => {
        if (!context.json) context.print(renderPlan(undo.manifest, undo.runDir, context.style));
      },
    },
    context.ports,
  );
  return reportApply(result, context);
}
