import { type Command, InvalidArgumentError } from 'commander';
import type { RunAction } from '../run-action.js';

export function registerRuns(program: Command, run: RunAction): void {
  program
    .command('runs')
    .description('past runs, newest first, with counts and status')
    .option(
      '--limit <n>',
      'show at most this many runs',
      (value) => {
        const limit = Number(value);
        if (!Number.isInteger(limit) || limit < 1)
          throw new InvalidArgumentError('not a whole number above 0, e.g. --limit 5');
        return limit;
      },
      20,
    )
    .addHelpText('after', '\nExamples:\n  leadshift runs\n  leadshift runs --limit 5 --json')
    .action((options: { limit: number }) =>
      run(async (context) => (await import('../actions/runs.js')).runsCommand(options, context)),
    );
}
