import { appendFile, writeFile } from 'node:fs/promises';
import type { JobSpec } from '../config/job.js';
import { csvLine } from '../csv/write.js';
import { InputError } from '../errors.js';
import { pathExists } from '../journal/run-home.js';
import type { Ports } from '../ports.js';
import { resolveMapping } from '../rules/mapping.js';
import { openKit, peopleNamed, readMappings } from './prepare.js';

export interface InactiveOwner {
  ownerId: string;
  owner: string;
  /** Open records per object. */
  records: Record<string, number>;
  /** Where a mapping already sends this owner's records, and which file says so. */
  mappedTo?: string;
  mapping?: string;
}

export interface OwnersReport {
  objects: string[];
  owners: InactiveOwner[];
}

/** Inactive owners who still own open records, and which of them the job's mappings cover. */
export async function reportInactiveOwners(
  job: JobSpec,
  ports: Ports,
): Promise<OwnersReport & { pickFrom: () => Promise<Array<{ name: string; value: string }>> }> {
  const mappings = await readMappings(job.rules, ports.cwd);
  const kit = await openKit(job, ports);
  await kit.resolvePeople(peopleNamed(job, mappings));
  const perObject = await kit.inactiveOwnerCounts();
  const owners = new Map<string, InactiveOwner>();
  for (const { object, counts } of perObject) {
    for (const [ownerId, count] of counts) {
      if (count === 0) continue;
      const entry = owners.get(ownerId) ?? { ownerId, owner: kit.directory.label(ownerId), records: {} };
      entry.records[object] = count;
      owners.set(ownerId, entry);
    }
  }
  for (const file of mappings.values()) {
    const table = resolveMapping(file, kit.directory, job.object);
    for (const entry of owners.values()) {
      const newOwner = table.get(entry.ownerId);
      if (newOwner && !entry.mappedTo)
        Object.assign(entry, { mappedTo: kit.directory.label(newOwner), mapping: file.label });
    }
  }
  const total = (entry: InactiveOwner) => Object.values(entry.records).reduce((a, b) => a + b, 0);
  return {
    objects: perObject.map((entry) => entry.object),
    owners: [...owners.values()].sort((a, b) => total(b) - total(a) || a.owner.localeCompare(b.owner)),
    pickFrom: async () =>
      (await kit.activeUsers())
        .map((user) => ({
          name: `${user.name ?? ''} <${user.username ?? user.id}>`.trim(),
          value: user.username ?? user.id,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Appends `from,to` rows to a mapping file, writing its header when the file is new. */
export async function saveMapping(path: string, rows: Array<{ from: string; to: string }>): Promise<void> {
  if (rows.length === 0) return;
  const exists = await pathExists(path);
  const text = rows.map((row) => csvLine([row.from, row.to])).join('');
  try {
    if (exists) await appendFile(path, text);
    else await writeFile(path, csvLine(['from', 'to']) + text);
  } catch (error) {
    throw new InputError({
      file: path,
      message: `cannot be written: ${(error as Error).message}`,
      hint: 'Choose another --save path',
    });
  }
}
