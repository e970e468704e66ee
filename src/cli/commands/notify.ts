import type { Command } from 'commander';
import type { RunAction } from '../run-action.js';

export function registerNotify(program: Command, run: RunAction): void {
  program
    .command('notify <run-dir>')
    .description(
      'tell the new owners of an applied run what they received; sends again only the messages that failed',
    )
    .option(
      '--notify <how>',
      "email (sent by the org's emailSimple action) or task (an open Task for each new owner); default: as the run was set to",
    )
    .option('--all', 'send to every new owner again, also those already told')
    .addHelpText(
      'after',
      `
Examples:
  leadshift notify .leadshift/runs/20261124T060000Z-3f9a1c
  leadshift notify .leadshift/runs/20261124T060000Z-3f9a1c --notify task
  leadshift notify .leadshift/runs/20261124T060000Z-3f9a1c --all

Each new owner gets one message: how many records of which object by which rule, up to 50 of them by
name with links, and who ran the change and why. notify.jsonl in the run directory records every
attempt; without --all, owners already told are not sent to again. Queues are not told (a queue has no
inbox of its own). Exit 3 when some could not be told: run the same command again once the cause is fixed.`,
    )
    .action((runDir: string, options: { notify?: string; all?: boolean }) =>
      run(async (context) => (await import('../actions/notify.js')).notifyCommand(runDir, options, context)),
    );
}
