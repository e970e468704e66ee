import { InterruptedError, RefusedError } from '../errors.js';
import { type RunManifest, writeManifest } from '../journal/run-manifest.js';
import type { Ports } from '../ports.js';
import { describeSink } from '../sinks/open-sink.js';

/**
 * Asks before a write. `--yes` skips the question; with nobody to ask (cron, a pipe, --json) and no
 * `--yes`, the write is refused. A production org asks for its host to be typed back.
 */
export async function confirmWrite(
  manifest: RunManifest,
  runDir: string,
  yes: boolean,
  ports: Ports,
  production?: string,
): Promise<void> {
  if (yes) return;
  const { prompt } = ports;
  const refuse = async (message: string, hint: string): Promise<never> => {
    manifest.status = 'declined';
    await writeManifest(runDir, manifest);
    throw new RefusedError(message, hint);
  };
  if (!prompt.interactive) {
    await refuse(
      'no terminal to ask for confirmation, and --yes was not given',
      `Review the plan, then run: leadshift apply ${runDir}`,
    );
  }
  const changes = manifest.counts.changes;
  let ok: boolean;
  try {
    ok = production
      ? await prompt.typeToConfirm(
          `This writes ${changes} owner changes to the PRODUCTION org ${production}. Type the host to go on:`,
          production,
        )
      : await prompt.confirm(`Write ${changes} owner changes to ${describeSink(manifest)}?`);
  } catch (error) {
    // Ctrl-C at the question: the plan is kept, and the message says how to apply it later.
    if (error instanceof InterruptedError && !error.runDir) throw new InterruptedError(error.message, runDir);
    throw error;
  }
  if (!ok)
    await refuse(
      'confirmation declined: nothing was written',
      `The plan is kept; apply it later with: leadshift apply ${runDir}`,
    );
}
