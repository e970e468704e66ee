import type { Command } from 'commander';
import type { UndoOptions } from '../actions/undo.js';
import type { RunAction } from '../run-action.js';

export function registerUndo(program: Command, run: RunAction): void {
  program
    .command('undo <run-dir>')
    .description('put the old owners back for an applied run, where the owner is still the one that run set')
    .option('-y, --yes', 'do not ask before writing (for scripts)')
    .option('--from <source>', 'csv:PATH of a current export to check owners against (csv runs)')
    .option(
      '--to <user>',
      'give the records whose owner to restore is inactive to this active user or queue:NAME instead',
    )
    .option(
      '--users <file>',
      "User export to check the owners to restore against (csv runs; default: the run's)",
    )
    .addHelpText(
      'after',
      `
Examples:
  leadshift undo .leadshift/runs/20261124T060000Z-3f9a1c
  leadshift undo .leadshift/runs/20261124T060000Z-3f9a1c --yes
  leadshift undo .leadshift/runs/20261124T060000Z-3f9a1c --to ben@acme.com

Undo works on a run that stopped part-way too (interrupted, failed, partial): it reverses what results.csv
says was written. Records whose owner to restore is now inactive are skipped unless you may assign
inactive owners, or --to names someone to give them to.`,
    )
    .action((runDir: string, options: UndoOptions) =>
      run(async (context) => (await import('../actions/undo.js')).undoCommand(runDir, options, context)),
    );
}
