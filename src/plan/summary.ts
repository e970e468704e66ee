import type { Directory } from '../directory/directory.js';
import type { RuleShares } from './shares.js';

/** The facts of a plan that the diff, `--json` and run.json show. Bounded by owners, not records. */
export interface PlanSummary {
  selected: number;
  changes: number;
  unassigned: number;
  kept: number;
  groups: Array<{
    /** In a plan of several objects: the object the records are of. */
    object?: string;
    oldOwnerId: string;
    oldOwner: string;
    newOwnerId: string;
    newOwner: string;
    rule: string;
    count: number;
  }>;
  unassignedReasons: Array<{ reason: string; count: number }>;
  /** Each receiving owner's open records before and after the change: an uneven split shows here. */
  receivers: Array<{
    ownerId: string;
    owner: string;
    before: number;
    received: number;
    givenAway: number;
    after: number;
  }>;
  /** Round robins' members: the load or weight each was given records by, and what each received. */
  shares?: RuleShares[];
  /** A plan of several objects: each object's own summary, in apply order (the totals above add them up). */
  objects?: ObjectSummary[];
}

export type ObjectSummary = Omit<PlanSummary, 'objects'> & {
  object: string;
  /** The selected owners' records that are history (converted, closed, ended), left as they are. */
  leftAlone?: { count: number; reason: string };
};

/** Why an object's records that are not open stay: what makes them history. */
export const HISTORY_REASON: Record<string, string> = {
  Lead: 'converted',
  Opportunity: 'closed',
  Case: 'closed',
  Task: 'closed',
  Event: 'ended',
};

/** One summary for a plan of several objects: their totals, groups and receivers, and each on its own. */
export function combineSummaries(objects: readonly ObjectSummary[]): PlanSummary {
  const sum = (key: 'selected' | 'changes' | 'unassigned' | 'kept') =>
    objects.reduce((total, part) => total + part[key], 0);
  const receivers = new Map<string, PlanSummary['receivers'][number]>();
  for (const part of objects)
    for (const receiver of part.receivers) {
      const known = receivers.get(receiver.ownerId);
      if (!known) receivers.set(receiver.ownerId, { ...receiver });
      else
        for (const key of ['before', 'received', 'givenAway', 'after'] as const) known[key] += receiver[key];
    }
  const shares = objects.flatMap((part) => part.shares ?? []);
  return {
    selected: sum('selected'),
    changes: sum('changes'),
    unassigned: sum('unassigned'),
    kept: sum('kept'),
    groups: objects
      .flatMap((part) => part.groups.map((group) => ({ ...group, object: part.object })))
      .sort((a, b) => b.count - a.count),
    unassignedReasons: objects.flatMap((part) =>
      part.unassignedReasons.map((reason) => ({ ...reason, reason: `${part.object}: ${reason.reason}` })),
    ),
    receivers: [...receivers.values()].sort(
      (a, b) => b.received - a.received || a.owner.localeCompare(b.owner),
    ),
    ...(shares.length > 0 ? { shares } : {}),
    objects: [...objects],
  };
}

export const SALESFORCE_RULES_LABEL = 'by Salesforce assignment rules';

interface Group {
  oldOwnerId: string;
  newOwnerId: string;
  rule: string;
  count: number;
}

export class SummaryBuilder {
  selected = 0;
  changes = 0;
  unassigned = 0;
  kept = 0;
  /** old owner → new owner → rule → group. */
  private readonly groups = new Map<string, Map<string, Map<string, Group>>>();
  private readonly reasons = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly givenAway = new Map<string, number>();

  /** `receives: false` for cascaded records: they are not open records of the plan's object. */
  addChange(oldOwnerId: string, newOwnerId: string, rule: string, receives = true): void {
    this.changes++;
    // Nested maps: a joined string key would be built for every change of a million-record plan.
    let byNew = this.groups.get(oldOwnerId);
    if (!byNew) {
      byNew = new Map();
      this.groups.set(oldOwnerId, byNew);
    }
    let byRule = byNew.get(newOwnerId);
    if (!byRule) {
      byRule = new Map();
      byNew.set(newOwnerId, byRule);
    }
    const group = byRule.get(rule);
    if (group) group.count++;
    else byRule.set(rule, { oldOwnerId, newOwnerId, rule, count: 1 });
    if (!receives) return;
    if (newOwnerId) this.received.set(newOwnerId, (this.received.get(newOwnerId) ?? 0) + 1);
    this.givenAway.set(oldOwnerId, (this.givenAway.get(oldOwnerId) ?? 0) + 1);
  }

  addUnassigned(reason: string): void {
    this.unassigned++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  /** Owners who receive records: the ones whose open-record count the source is asked for. */
  receiverIds(): string[] {
    return [...this.received.keys()];
  }

  finish(directory: Directory, openBefore: Map<string, number>): PlanSummary {
    const groups = [...this.groups.values()]
      .flatMap((byNew) => [...byNew.values()].flatMap((byRule) => [...byRule.values()]))
      .map((g) => ({
        ...g,
        oldOwner: directory.label(g.oldOwnerId),
        newOwner: g.newOwnerId ? directory.label(g.newOwnerId) : SALESFORCE_RULES_LABEL,
      }))
      .sort(
        (a, b) =>
          b.count - a.count || a.oldOwner.localeCompare(b.oldOwner) || a.newOwner.localeCompare(b.newOwner),
      );
    const receivers = [...this.received.entries()]
      .map(([ownerId, received]) => {
        const before = openBefore.get(ownerId) ?? 0;
        const givenAway = this.givenAway.get(ownerId) ?? 0;
        return {
          ownerId,
          owner: directory.label(ownerId),
          before,
          received,
          givenAway,
          after: before + received - givenAway,
        };
      })
      .sort((a, b) => b.received - a.received || a.owner.localeCompare(b.owner));
    const unassignedReasons = [...this.reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      selected: this.selected,
      changes: this.changes,
      unassigned: this.unassigned,
      kept: this.kept,
      groups,
      unassignedReasons,
      receivers,
    };
  }
}
