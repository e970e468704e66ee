import type { Command } from 'commander';
import type { RunAction } from '../run-action.js';

export function registerApply(program: Command, run: RunAction): void {
  program
    .command('apply <run-dir>')
    .description(
      'apply a saved plan exactly: only its records, only where the owner is still the planned old owner; resumes an interrupted apply',
    )
    .option(
      '--from <source>',
      "csv:PATH of a current export to check owners against (csv plans; default: the plan's own export)",
    )
    .option(
      '--notify <how>',
      "tell each new owner what they received, once applied: email (sent by the org) or task (default: the job's notify:)",
    )
    .addHelpText(
      'after',
      `
Examples:
  leadshift apply .leadshift/runs/20261124T060000Z-3f9a1c
  leadshift apply review/2026-11-24 --from csv:exports/leads-today.csv
  leadshift apply review/2026-11-24 --notify email`,
    )
    .action((runDir: string, options: { from?: string; notify?: string }) =>
      run(async (context) => (await import('../actions/apply.js')).applyCommand(runDir, options, context)),
    );
}
