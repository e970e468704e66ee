import type { JobSpec } from './job.js';

/**
 * Parents are written before their children: an Account (whose contacts and opportunities may follow it)
 * first, activities last; the objects between keep the order the job gives them.
 */
const APPLY_RANK: Record<string, number> = { account: 0, task: 2, event: 2 };

function rankOf(object: string): number {
  return APPLY_RANK[object.toLowerCase()] ?? 1;
}

/** Orders a job's objects as they are planned and applied. */
export function inApplyOrder<T extends { object: string }>(parts: readonly T[]): T[] {
  return parts
    .map((part, at) => ({ part, at }))
    .sort((a, b) => rankOf(a.part.object) - rankOf(b.part.object) || a.at - b.at)
    .map(({ part }) => part);
}

/**
 * The single-object jobs a job stands for, in apply order: itself, or one per `objects:` entry with the
 * entry's own select and write keys laid over the job's and its own rules instead of the job's.
 */
export function jobParts(job: JobSpec): JobSpec[] {
  if (!job.objects) return [job];
  const { objects, ...shared } = job;
  return inApplyOrder(objects).map((part) => {
    const spec: JobSpec = structuredClone(shared);
    spec.object = part.object;
    if (part.select) spec.select = { ...spec.select, ...part.select };
    if (part.select?.owners) delete spec.select.ownersFrom;
    if (part.rules) spec.rules = structuredClone(part.rules);
    // The job's own cascade can only mean its Account's.
    const cascade = part.write?.cascade ?? (part.object === 'Account' ? spec.write.cascade : []);
    spec.write = { ...spec.write, ...part.write, cascade };
    if (part.source) spec.source = part.source;
    return spec;
  });
}

export function isMultiObject(job: Pick<JobSpec, 'objects'>): boolean {
  return job.objects !== undefined;
}
