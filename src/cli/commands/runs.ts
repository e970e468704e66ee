import type { Command } from 'commander';
import type { RunAction } from '../run-action.js';

export function registerRuns(program: Command, run: RunAction): void {
  program
    .command('runs')
    .description('past runs, newest first, with counts and status')
    .option('--limit <n>', 'show at most this many runs', (v) => Number(v), 20)
    .addHelpText('after', '\nExamples:\n  leadshift runs\n  leadshift runs --limit 5 --json')
    .action((options: { limit: number }) =>
      run(async (context) => (await import('../actions/runs.js')).runsCommand(options, context)),
    );
}
