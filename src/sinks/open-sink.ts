import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec } from '../config/job.js';
import { jobParts } from '../config/job-parts.js';
import { InputError } from '../errors.js';
import { planStamps, stampColumnsOf } from '../journal/plan-file.js';
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
  const { runDir } = options;
  const stampColumns = await stampColumnsOf(runDir, RUN_FILES.plan);
  const planPath = runFile(runDir, 'plan');
  const exports = await currentExports(manifest, options);
  const freshness = exports.map(({ object, path }) => ({
    exportPath: path,
    exportLabel: options.label(path),
    planPath,
    planLabel: options.label(planPath),
    object,
    changes: manifest.counts.changes,
  }));
  if (freshness.length === 0)
    options.warn(
      `No current export to check owners against: every planned record is written to ${manifest.job.objects ? 'its update file' : RUN_FILES.update}`,
    );
  const stamps = planStamps(manifest.job);
  const files = stamps
    ? {
        stampsOf: (object: string) =>
          stampColumns.filter((c) =>
            (stamps.get(object.toLowerCase()) ?? []).some((f) => f.toLowerCase() === c.toLowerCase()),
          ),
      }
    : {
        main: manifest.object,
        stampsOf: (object: string) => (object === manifest.object ? stampColumns : []),
      };
  return CsvSink.open(runDir, files, freshness);
}

/**
 * The exports owners are checked against, per object: `--from` (a current export, or for a plan of
 * several objects a current Data Export folder), or else the plan's own exports. An undo is never
 * checked against the original exports: they hold the owners from before the run.
 */
async function currentExports(
  manifest: RunManifest,
  options: OpenSinkOptions,
): Promise<Array<{ object: string; path: string }>> {
  const { freshFrom } = options;
  const parts = jobParts(manifest.job);
  if (freshFrom !== undefined) {
    if (!(await pathExists(freshFrom)))
      throw new InputError({
        key: '--from',
        message: `${freshFrom} does not exist`,
        hint: 'Give the path of a current export',
      });
    if (!manifest.job.objects) return [{ object: manifest.object, path: freshFrom }];
    return exportsInFolder(
      freshFrom,
      parts.map((part) => part.object),
      options.label,
    );
  }
  if (manifest.kind !== 'plan') return [];
  const own = parts.flatMap((part) =>
    part.source.kind === 'csv' ? [{ object: part.object, path: part.source.path }] : [],
  );
  const found: Array<{ object: string; path: string }> = [];
  for (const entry of own) if (await pathExists(entry.path)) found.push(entry);
  return found;
}

async function exportsInFolder(
  folder: string,
  objects: string[],
  label: (path: string) => string,
): Promise<Array<{ object: string; path: string }>> {
  const names = await readdir(folder).catch(() => undefined);
  if (!names)
    throw new InputError({
      key: '--from',
      message: `${label(folder)} is not a folder, and the plan holds several objects (${objects.join(', ')})`,
      hint: 'Give a current Data Export folder, one file per object',
    });
  const problems = objects.flatMap((object) =>
    names.some((name) => name.toLowerCase() === `${object.toLowerCase()}.csv`)
      ? []
      : [
          {
            key: '--from',
            message: `${label(folder)} has no ${object}.csv`,
            hint: `Export ${object} into the folder too`,
          },
        ],
  );
  if (problems.length > 0) throw new InputError(problems);
  return objects.map((object) => ({
    object,
    path: join(folder, names.find((name) => name.toLowerCase() === `${object.toLowerCase()}.csv`) as string),
  }));
}
