import { resolve } from 'node:path';
import { notifyJob } from '../../core/notify.js';
import { renderNotify } from '../../ui/notify-lines.js';
import type { CommandContext } from '../context.js';
import { notifyJson } from '../json.js';
import type { Outcome } from '../run-action.js';
import { notifyOption } from './apply.js';

export async function notifyCommand(
  runDir: string,
  options: { notify?: string; all?: boolean },
  context: CommandContext,
): Promise<Outcome> {
  const channel = notifyOption(options.notify);
  const result = await notifyJob(
    {
      runDir: resolve(context.ports.cwd, runDir),
      home: context.home,
      all: options.all === true,
      ...(channel ? { channel } : {}),
    },
    context.ports,
  );
  if (context.json) context.printJson(notifyJson(result.manifest, result.runDir, result.report));
  else context.print(renderNotify(result.report, result.runDir, context.style));
  return result.report.failed > 0 ? 'some owners not told' : 'done';
}
