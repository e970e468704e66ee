import type { JobSpec } from '../config/job.js';
import { InputError } from '../errors.js';
import { stampColumnsOf } from '../journal/plan-file.js';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import { pathExists } from '../journal/run-home.js';
import type { RunManifest } from '../journal/run-manifest.js';
import { CsvSink } from './csv-sink.js';
import type { Sink, SinkKind } from './sink.js';

/** A plan from a CSV export goes back as a CSV file; a plan from Salesforce is written to Salesforce. */
export function sinkKindOf(job: JobSpec): SinkKind {
  return job.source.kind === 'csv' ? 'csv' : 'salesforce';
}

/** Where the question and the apply summary say the changes go. */
export function describeSink(manifest: RunManifest): string {
  return manifest.target === 'csv' ? RUN_FILES.update : 'Salesforce';
}

/**
 * Whether the sink spends the org's API requests: such a sink is opened, and its allowance checked,
 * before anyone is asked. A CSV sink is opened only once the write is confirmed, so that a declined plan
 * leaves no update file behind.
 */
export function spendsApiRequests(manifest: RunManifest): boolean {
  return manifest.target === 'salesforce';
}

export interface OpenSinkOptions {
  runDir: string;
  /** CSV sink: a current export to check owners against (default: the plan's own source export). */
  freshFrom?: string;
  env: Record<string, string | undefined>;
  /** A path as the user should read it in a message. */
  label: (path: string) => string;
  warn: (message: string) => void;
}

/** The one place a sink is chosen and opened. jsforce is loaded only when a plan goes to Salesforce. */
export async function openSink(manifest: RunManifest, options: OpenSinkOptions): Promise<Sink> {
  if (manifest.target === 'salesforce') {
    const { openSalesforceSink } = await import('./salesforce-sink.js');
    return openSalesforceSink(manifest, options);
  }
  return openCsvSink(manifest, options);
}

async function openCsvSink(manifest: RunManifest, options: OpenSinkOptions): Promise<Sink> {
  const { runDir, freshFrom } = options;
  const stampColumns = await stampColumnsOf(runDir, RUN_FILES.plan);
  // An undo must not be checked against the original export: it holds the owners from before the run.
  const ownExport =
    manifest.kind === 'plan' && manifest.job.source.kind === 'csv' ? manifest.job.source.path : undefined;
  const exportPath = freshFrom ?? ownExport;
  const usable = exportPath !== undefined && (await pathExists(exportPath));
  if (freshFrom && !usable) {
    throw new InputError({
      key: '--from',
      message: `${freshFrom} does not exist`,
      hint: 'Give the path of a current export',
    });
  }
  const planPath = runFile(runDir, 'plan');
  const freshness =
    usable && exportPath
      ? {
          exportPath,
          exportLabel: options.label(exportPath),
          planPath,
          planLabel: options.label(planPath),
          object: manifest.object,
          changes: manifest.counts.changes,
        }
      : undefined;
  if (!freshness)
    options.warn(
      `No current export to check owners against: every planned record is written to ${RUN_FILES.update}`,
    );
  return CsvSink.open(runDir, manifest.object, stampColumns, freshness);
}
