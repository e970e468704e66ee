import type { NotifyChannel } from '../config/job.js';
import { InputError } from '../errors.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { pathExists } from '../journal/run-home.js';
import { type RunManifest, readManifest } from '../journal/run-manifest.js';
import { displayPath } from '../paths.js';
import type { Ports } from '../ports.js';
import type { NoticeSelection, NotifyReport } from '../sinks/notify/index.js';
import { withRunLock } from './with-lock.js';

export type { NotifyReport } from '../sinks/notify/index.js';

/**
 * After an apply: tells the new owners when the run asks for it (`--notify`, `notify:`) and wrote to
 * Salesforce. An undo tells nobody; a CSV target tells nobody (digest.csv lists what each owner got).
 */
export async function notifyAfterApply(
  runDir: string,
  manifest: RunManifest,
  channel: NotifyChannel | undefined,
  ports: Ports,
): Promise<NotifyReport | undefined> {
  if (!channel || manifest.kind !== 'plan') return undefined;
  if (manifest.target !== 'salesforce') {
    ports.reporter.warn(
      `Nobody is told on a CSV target (--notify ${channel} is for Salesforce): ${RUN_FILES.digest} lists what each new owner received`,
    );
    return undefined;
  }
  return send(runDir, manifest, channel, 'untried', ports);
}

async function send(
  runDir: string,
  manifest: RunManifest,
  channel: NotifyChannel,
  selection: NoticeSelection,
  ports: Ports,
): Promise<NotifyReport> {
  // Loaded only when someone is told: it brings jsforce.
  const { tellNewOwners } = await import('../sinks/notify/index.js');
  return tellNewOwners(runDir, manifest, {
    channel,
    selection,
    env: ports.env,
    now: ports.clock,
    warn: (message) => ports.reporter.warn(message),
  });
}

export interface NotifyRequest {
  runDir: string;
  home: string;
  /** `--notify`: how to tell them; by default as the run's job says. */
  channel?: NotifyChannel;
  /** `--all`: everyone again, also those already told. */
  all: boolean;
}

export interface NotifyResult {
  runDir: string;
  manifest: RunManifest;
  report: NotifyReport;
}

/** `notify <run-dir>`: (re)sends an applied run's messages, by default only those not sent yet. */
export async function notifyJob(request: NotifyRequest, ports: Ports): Promise<NotifyResult> {
  const { runDir } = request;
  const label = displayPath(runDir, ports.cwd);
  const manifest = await readManifest(runDir);
  if (!manifest)
    throw new InputError({
      file: label,
      message: `is not a run directory (no ${RUN_FILES.manifest})`,
      hint: 'Pass a folder written by leadshift run or apply',
    });
  const problem = await refusal(manifest, runDir);
  if (problem) throw new InputError({ file: label, ...problem });
  const channel = request.channel ?? manifest.job.notify;
  if (!channel)
    throw new InputError({
      key: '--notify',
      message: `the run in ${label} was not set to notify anyone, and --notify is not given`,
      hint: `Say how to tell them: \`leadshift notify ${label} --notify email\` (or --notify task)`,
    });
  const report = await withRunLock(request.home, 'notify', () =>
    send(runDir, manifest, channel, request.all ? 'all' : 'unsent', ports),
  );
  return { runDir, manifest, report };
}

async function refusal(
  manifest: RunManifest,
  runDir: string,
): Promise<{ message: string; hint: string } | undefined> {
  if (manifest.kind !== 'plan')
    return {
      message: 'is an undo run: an undo tells nobody',
      hint: 'Pass the run directory of an applied plan',
    };
  if (manifest.target !== 'salesforce')
    return {
      message: `wrote to a CSV file, not to Salesforce: nobody can be told through the org`,
      hint: `Send ${RUN_FILES.digest} to the new owners instead`,
    };
  if (!(await pathExists(runFile(runDir, 'results'))))
    return {
      message: `has no ${RUN_FILES.results}: the plan was never applied (status ${manifest.status}), so nobody received anything`,
      hint: 'Apply it first: `leadshift apply <run-dir>`',
    };
  return undefined;
}
