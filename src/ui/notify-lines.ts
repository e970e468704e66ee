import type { ChalkInstance } from 'chalk';
import { RUN_FILES, runFile } from '../journal/run-files.js';
import type { RunManifest } from '../journal/run-manifest.js';
import type { NotifyReport } from '../sinks/notify/index.js';
import { count } from './style.js';

const QUEUE_PREFIX = '00G';
const HOW = { email: 'by email (sent by the org)', task: 'with an open Task each' } as const;

/** The diff's lines on who will be told, and where the review page is. */
export function noticeLines(manifest: RunManifest, runDir: string, style: ChalkInstance): string[] {
  const lines = ['', `  Review page: ${runFile(runDir, 'page')}`];
  const channel = manifest.job.notify;
  if (!channel || manifest.kind !== 'plan') return lines;
  if (manifest.target !== 'salesforce') {
    lines.push(`  Nobody is told on a CSV target: ${RUN_FILES.digest} lists what each new owner received.`);
    return lines;
  }
  const owners = new Set(manifest.summary.groups.map((g) => g.newOwnerId).filter(Boolean));
  const queues = [...owners].filter((id) => id.startsWith(QUEUE_PREFIX)).length;
  const people = owners.size - queues;
  const notQueues =
    queues > 0 ? ` (not the ${count(queues)} queue${queues === 1 ? '' : 's'}: a queue has no inbox)` : '';
  lines.push(
    style.bold(`  Tells ${count(people)} new owner${people === 1 ? '' : 's'} ${HOW[channel]}`) +
      ` once applied${notQueues}; a dry run tells nobody.`,
  );
  return lines;
}

/** After an apply or `notify`: who was told, and what to do about those who were not. */
export function renderNotify(report: NotifyReport, runDir: string, style: ChalkInstance): string {
  const parts = [
    style.green(`${count(report.sent)} told`),
    report.failed > 0 ? style.red(`${count(report.failed)} failed`) : `${count(report.failed)} failed`,
    `${count(report.skipped)} skipped`,
  ];
  if (report.alreadySent > 0) parts.push(`${count(report.alreadySent)} told before`);
  const lines = [style.bold(`New owners ${HOW[report.channel]}: `) + parts.join(', ')];
  for (const owner of report.owners.filter((o) => o.status !== 'sent'))
    lines.push(`  ${owner.owner}: ${owner.status}, ${owner.reason ?? ''}`);
  if (report.failed > 0)
    lines.push(`  The apply stands. Send the failed ones again with: leadshift notify ${runDir}`);
  return `${lines.join('\n')}\n`;
}
