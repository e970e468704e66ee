import type { Command } from 'commander';
import type { RunAction } from '../run-action.js';

export function registerInit(program: Command, run: RunAction): void {
  program
    .command('init [file]')
    .description('answer a few questions and get a job file, checked by the same schema as --job')
    .addHelpText('after', '\nExamples:\n  leadshift init\n  leadshift init jobs/daily.yml')
    .action((file: string | undefined) =>
      run(async (context) => {
        const { writeJobInteractively } = await import('../../core/init.js');
        const path = await writeJobInteractively(file, context.ports);
        if (context.json) context.printJson({ jobFile: path });
        else context.print(`Wrote ${path}. Try it: leadshift run --job ${file ?? path} --dry-run\n`);
        return 'done';
      }),
    );
}
