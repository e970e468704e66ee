import { resolve } from 'node:path';
import { type ApplyResult, applyJob } from '../../core/apply.js';
import { renderApply } from '../../ui/diff.js';
import type { CommandContext } from '../context.js';
import { applyJson } from '../json.js';
import type { Outcome } from '../run-action.js';

export async function applyCommand(
  runDir: string,
  options: { from?: string },
  context: CommandContext,
): Promise<Outcome> {
  const result = await applyJob(
    {
      runDir: resolve(context.ports.cwd, runDir),
      home: context.home,
      command: 'apply',
      freshFrom: freshFromFlag(options.from, context),
      signal: context.signal,
    },
    context.ports,
  );
  return reportApply(result, context);
}

/** `--from csv:PATH`: a current export to check owners against. */
export function freshFromFlag(from: string | undefined, context: CommandContext): string | undefined {
  const path = from?.replace(/^csv:/i, '');
  return path ? resolve(context.ports.cwd, path) : undefined;
}

export function reportApply(result: ApplyResult, context: CommandContext): Outcome {
  if (context.json) context.printJson(applyJson(result.manifest, result.runDir));
  else context.print(renderApply(result.manifest, result.runDir, context.style));
  return (result.counts.failed ?? 0) > 0 ? 'some records failed' : 'done';
}
