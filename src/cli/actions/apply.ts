import { resolve } from 'node:path';
import type { NotifyChannel } from '../../config/job.js';
import { notifyFlag } from '../../config/merge-flags.js';
import { type ApplyResult, applyJob } from '../../core/apply.js';
import { InputError } from '../../errors.js';
import { renderApply } from '../../ui/diff.js';
import { renderNotify } from '../../ui/notify-lines.js';
import type { CommandContext } from '../context.js';
import { applyJson } from '../json.js';
import type { Outcome } from '../run-action.js';

export async function applyCommand(
  runDir: string,
  options: { from?: string; notify?: string },
  context: CommandContext,
): Promise<Outcome> {
  const notify = notifyOption(options.notify);
  const result = await applyJob(
    {
      runDir: resolve(context.ports.cwd, runDir),
      home: context.home,
      command: 'apply',
      freshFrom: freshFromFlag(options.from, context),
      signal: context.signal,
      ...(notify ? { notify } : {}),
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

/** `--notify email|task`; anything else is bad usage, refused before anything is read or written. */
export function notifyOption(value: string | undefined): NotifyChannel | undefined {
  const channel = notifyFlag(value);
  if (typeof channel === 'object') throw new InputError({ key: '--notify', ...channel });
  return channel;
}

export function reportApply(result: ApplyResult, context: CommandContext): Outcome {
  if (context.json) context.printJson(applyJson(result.manifest, result.runDir, result.notify));
  else {
    context.print(renderApply(result.manifest, result.runDir, context.style));
    context.print(`  Review page: ${result.page}\n`);
    if (result.notify) context.print(renderNotify(result.notify, result.runDir, context.style));
  }
  if ((result.counts.failed ?? 0) > 0) return 'some records failed';
  return (result.notify?.failed ?? 0) > 0 ? 'some owners not told' : 'done';
}
