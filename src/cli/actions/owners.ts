import { resolve } from 'node:path';
import { type InactiveOwner, reportInactiveOwners, saveMapping } from '../../core/owners.js';
import { count, table } from '../../ui/style.js';
import type { CommandContext } from '../context.js';
import type { JobOptionValues } from '../job-options.js';
import { ownersJson } from '../json.js';
import type { Outcome } from '../run-action.js';
import { resolveJobOptions } from './resolve-job.js';

export interface OwnersOptions extends JobOptionValues {
  save?: string;
  pick?: boolean;
}

export async function ownersCommand(options: OwnersOptions, context: CommandContext): Promise<Outcome> {
  const job = await resolveJobOptions({ ...options, inactiveOwners: true }, context.ports.cwd, false);
  const report = await reportInactiveOwners(job, context.ports);
  const uncovered = report.owners.filter((owner) => !owner.mappedTo);
  if (context.json) {
    context.printJson(ownersJson(report.objects, report.owners));
    return 'done';
  }
  const objects = report.objects.filter((object) => report.owners.some((owner) => owner.records[object]));
  context.print(renderOwners(report.owners, objects, context));
  const { prompt } = context.ports;
  if (uncovered.length === 0 || options.pick === false || !prompt.interactive) return 'done';
  const choices = await report.pickFrom();
  const picked: Array<{ from: string; to: string }> = [];
  for (const owner of uncovered) {
    const records = objects.map((object) => `${count(owner.records[object] ?? 0)} ${object}`).join(', ');
    const to = await prompt.search(`Who takes over ${owner.owner} (${records})?`, choices);
    if (to) picked.push({ from: owner.owner, to });
  }
  const save = resolve(
    context.ports.cwd,
    options.save ?? `mapping-${context.ports.clock().toISOString().slice(0, 10)}.csv`,
  );
  await saveMapping(save, picked);
  if (picked.length > 0)
    context.print(`\nSaved ${picked.length} rows to ${save}; use it with --map ${options.save ?? save}\n`);
  return 'done';
}

function renderOwners(owners: InactiveOwner[], objects: string[], context: CommandContext): string {
  const { style } = context;
  if (owners.length === 0) return 'No inactive user owns open records.\n';
  const header = ['Inactive owner', ...objects, 'Mapped to'].map((h) => style.dim(h));
  const rows = owners.map((owner) => [
    owner.owner,
    ...objects.map((object) => count(owner.records[object] ?? 0)),
    owner.mappedTo ? `${owner.mappedTo} ${style.dim(`(${owner.mapping})`)}` : style.yellow('not mapped'),
  ]);
  const numeric = new Set(objects.map((_, i) => i + 1));
  const uncovered = owners.filter((owner) => !owner.mappedTo).length;
  const footer =
    uncovered > 0
      ? `\n${uncovered} inactive owner${uncovered === 1 ? '' : 's'} not covered by any mapping.\n`
      : '\nEvery inactive owner is covered by a mapping.\n';
  return `${table([header, ...rows], numeric).join('\n')}\n${footer}`;
}
