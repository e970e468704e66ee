import { describe, expect, it } from 'vitest';
import { renderStamps } from '../../src/plan/stamps.js';
import { SALESFORCE_RULES_LABEL, SummaryBuilder } from '../../src/plan/summary.js';
import { directoryOf, queue, user } from './builders.js';

const ana = user({ n: 1, username: 'ana@acme.com' });
const ben = user({ n: 2, username: 'ben@acme.com' });
const old = user({ n: 3, username: 'old@acme.com', isActive: false });
const hopper = queue({ n: 1, developerName: 'Hopper' });
const directory = directoryOf([ana, ben, old], [hopper]);

function repeat(times: number, action: () => void): void {
  for (let i = 0; i < times; i++) action();
}

describe('SummaryBuilder', () => {
  function scenario(): SummaryBuilder {
    const builder = new SummaryBuilder();
    builder.selected = 12;
    repeat(3, () => builder.addChange(old.id, ana.id, 'map'));
    repeat(1, () => builder.addChange(old.id, ben.id, 'map'));
    repeat(2, () => builder.addChange(ana.id, ben.id, 'round robin #2'));
    repeat(1, () => builder.addChange(old.id, '', SALESFORCE_RULES_LABEL));
    repeat(2, () => builder.addChange(ben.id, hopper.id, 'queue Hopper'));
    repeat(2, () => builder.addUnassigned('manager: the owner has no active manager'));
    repeat(1, () => builder.addUnassigned('map owners.csv: owner not in the mapping'));
    builder.kept = 1;
    return builder;
  }

  it('counts changes, unassigned and kept records', () => {
    const summary = scenario().finish(directory, new Map());
    expect(summary).toMatchObject({ selected: 12, changes: 9, unassigned: 3, kept: 1 });
  });

  it('groups changes by old owner, new owner and rule, largest first', () => {
    const summary = scenario().finish(directory, new Map());
    expect(summary.groups.map((g) => [g.oldOwner, g.newOwner, g.rule, g.count])).toEqual([
      ['old@acme.com', 'ana@acme.com', 'map', 3],
      ['ana@acme.com', 'ben@acme.com', 'round robin #2', 2],
      ['ben@acme.com', 'queue:Hopper', 'queue Hopper', 2],
      ['old@acme.com', 'ben@acme.com', 'map', 1],
      ['old@acme.com', SALESFORCE_RULES_LABEL, SALESFORCE_RULES_LABEL, 1],
    ]);
    expect(summary.groups[0]).toMatchObject({ oldOwnerId: old.id, newOwnerId: ana.id });
  });

  it('shows each receiver before and after: before + received − given away', () => {
    const summary = scenario().finish(
      directory,
      new Map([
        [ana.id, 10],
        [ben.id, 4],
      ]),
    );
    expect(summary.receivers).toEqual([
      { ownerId: ana.id, owner: 'ana@acme.com', before: 10, received: 3, givenAway: 2, after: 11 },
      { ownerId: ben.id, owner: 'ben@acme.com', before: 4, received: 3, givenAway: 2, after: 5 },
      { ownerId: hopper.id, owner: 'queue:Hopper', before: 0, received: 2, givenAway: 0, after: 2 },
    ]);
  });

  it('asks for the open counts of receivers only, never of Salesforce-decided changes', () => {
    expect(scenario().receiverIds().sort()).toEqual([ana.id, ben.id, hopper.id].sort());
  });

  it('lists unassigned reasons by count', () => {
    expect(scenario().finish(directory, new Map()).unassignedReasons).toEqual([
      { reason: 'manager: the owner has no active manager', count: 2 },
      { reason: 'map owners.csv: owner not in the mapping', count: 1 },
    ]);
  });

  it('is empty for an empty plan', () => {
    expect(new SummaryBuilder().finish(directory, new Map())).toEqual({
      selected: 0,
      changes: 0,
      unassigned: 0,
      kept: 0,
      groups: [],
      unassignedReasons: [],
      receivers: [],
    });
  });
});

describe('renderStamps', () => {
  it('fills the known placeholders and leaves others as written', () => {
    const values = { rule: 'map', runId: 'r1', date: '2024-05-15', oldOwner: 'old', newOwner: 'ana' };
    expect(
      renderStamps(
        { Note__c: '{rule} {runId} {date}: {oldOwner} → {newOwner} {unknown}', Plain__c: 'x' },
        values,
      ),
    ).toEqual({ Note__c: 'map r1 2024-05-15: old → ana {unknown}', Plain__c: 'x' });
  });
});
