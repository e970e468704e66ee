import { RefusedError } from '../errors.js';
import { type RunRecord, writeRunRecord } from '../journal/run-record.js';
import type { CommandContext } from './context.js';

/**
 * Asks before a write. `--yes` skips the question; with nobody to ask (cron, a pipe, --json) and no
 * `--yes`, the write is refused. A production org asks for its host to be typed back.
 */
export async function confirmWrite(
  record: RunRecord,
  runDir: string,
  yes: boolean,
  context: CommandContext,
  production?: string,
): Promise<void> {
  if (yes) return;
  const { prompt } = context.ports;
  const refuse = async (message: string, hint: string): Promise<never> => {
    record.status = 'declined';
    await writeRunRecord(runDir, record);
    throw new RefusedError(message, hint);
  };
  if (!prompt.interactive) {
    await refuse(
      'no terminal to ask for confirmation, and --yes was not given',
      `Review the plan, then run: leadshift apply ${runDir}`,
    );
  }
  const changes = record.counts.changes;
  const ok = production
    ? await prompt.typeToConfirm(
        `This writes ${changes} owner changes to the PRODUCTION org ${production}. Type the host to go on:`,
        production,
      )
    : await prompt.confirm(
        `Write ${changes} owner changes to ${record.target === 'csv' ? 'update.csv' : 'Salesforce'}?`,
      );
  if (!ok)
    await refuse(
      'confirmation declined: nothing was written',
      `The plan is kept; apply it later with: leadshift apply ${runDir}`,
    );
}
