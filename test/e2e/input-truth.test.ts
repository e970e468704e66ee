/**
 * Input read truthfully, end to end through the built binary: nothing of the user's is destroyed, and
 * what the export cannot prove (openness, a value the reader cannot interpret) is refused, never assumed.
 */

import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf } from '../support/envelope.js';
import {
  assertBuilt,
  csvArgs,
  csvText,
  ids,
  listTree,
  readCsvFile,
  removeTempDirs,
  show,
  Workspace,
} from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

const toBen = ['--inactive-owners', '--to', 'ben@acme.com'];

interface Refusal {
  name: string;
  /** Writes the inputs over the standard workspace and returns the arguments. */
  setup: (ws: Workspace) => Promise<string[]>;
  mentions: Array<string | RegExp>;
}

/** A lead export with the given columns besides Id and OwnerId; every lead is owned by inactive ana. */
async function leadsWith(ws: Workspace, columns: string[], rows: string[][]): Promise<void> {
  await ws.write(
    'leads.csv',
    csvText(
      ['Id', 'OwnerId', ...columns],
      rows.map((cells, i) => [ids.lead(i + 1), ws.people.ana, ...cells]),
    ),
  );
}

const plan = (...extra: string[]) => ['plan', ...csvArgs([...toBen, ...extra]), '--out', 'out'];

const REFUSALS: Refusal[] = [
  {
    name: '--out naming an existing file',
    setup: async (ws) => {
      await ws.write('report.txt', 'my notes\n');
      return ['plan', ...csvArgs(toBen), '--out', 'report.txt'];
    },
    mentions: ['--out', 'report.txt', /is a file/],
  },
  {
    name: '--out naming a folder with other things in it',
    setup: async (ws) => {
      await ws.write('docs/notes.md', '# notes\n');
      return ['plan', ...csvArgs(toBen), '--out', 'docs'];
    },
    mentions: ['--out', 'docs', /not empty/],
  },
  {
    name: 'a Lead export without IsConverted',
    setup: async (ws) => {
      await leadsWith(ws, ['Country'], [['DE']]);
      return plan();
    },
    mentions: ['leads.csv', '"IsConverted"'],
  },
  {
    name: 'an IsConverted value the reader does not know',
    setup: async (ws) => {
      await leadsWith(ws, ['IsConverted'], [['false'], ['converted']]);
      return plan();
    },
    mentions: ['leads.csv', 'line 3', 'IsConverted', '"converted"'],
  },
  {
    name: 'an Opportunity export without IsClosed',
    setup: async (ws) => {
      await ws.csv('opps.csv', ['Id', 'OwnerId', 'StageName'], [[makeOpp(1), ws.people.ana, 'Prospecting']]);
      return [
        'plan',
        ...csvArgs([...toBen, '--object', 'Opportunity', '--from', 'csv:opps.csv']),
        '--out',
        'out',
      ];
    },
    mentions: ['opps.csv', '"IsClosed"'],
  },
  {
    name: 'a Task export without IsClosed',
    setup: async (ws) => {
      await ws.csv('tasks.csv', ['Id', 'OwnerId', 'Status'], [[makeTask(1), ws.people.ana, 'Completed']]);
      return ['plan', ...csvArgs([...toBen, '--object', 'Task', '--from', 'csv:tasks.csv']), '--out', 'out'];
    },
    mentions: ['tasks.csv', '"IsClosed"'],
  },
  {
    name: 'an Event export without EndDateTime or ActivityDate',
    setup: async (ws) => {
      await ws.csv('events.csv', ['Id', 'OwnerId', 'Subject'], [[makeEvent(1), ws.people.ana, 'Call']]);
      return [
        'plan',
        ...csvArgs([...toBen, '--object', 'Event', '--from', 'csv:events.csv']),
        '--out',
        'out',
      ];
    },
    mentions: ['events.csv', '"EndDateTime"', '"ActivityDate"'],
  },
  {
    name: 'a spreadsheet boolean the reader cannot interpret, under --exclude',
    setup: async (ws) => {
      await leadsWith(
        ws,
        ['IsConverted', 'Hot__c'],
        [
          ['false', 'TRUE'],
          ['false', 'yes'],
        ],
      );
      return plan('--exclude', 'Hot__c = true');
    },
    mentions: ['leads.csv', 'line 3', 'Hot__c', '"yes"'],
  },
  {
    name: 'a spreadsheet date the reader cannot interpret, under --where',
    setup: async (ws) => {
      await leadsWith(
        ws,
        ['IsConverted', 'Follow_Up__c'],
        [
          ['false', '2026-03-14'],
          ['false', '3/14/2026'],
        ],
      );
      return plan('--where', 'Follow_Up__c < 2026-06-01');
    },
    mentions: ['leads.csv', 'line 3', 'Follow_Up__c', '"3/14/2026"'],
  },
  {
    name: 'a number column with text in it',
    setup: async (ws) => {
      await leadsWith(
        ws,
        ['IsConverted', 'NumberOfEmployees'],
        [
          ['false', '12'],
          ['false', 'n/a'],
        ],
      );
      return plan('--where', 'NumberOfEmployees > 5');
    },
    mentions: ['leads.csv', 'line 3', 'NumberOfEmployees', '"n/a"'],
  },
  {
    name: 'the same Id twice in the export',
    setup: async (ws) => {
      const id = ids.lead(1);
      await ws.csv(
        'leads.csv',
        ['Id', 'OwnerId', 'IsConverted'],
        [
          [id, ws.people.ana, 'false'],
          [ids.lead(2), ws.people.ana, 'false'],
          [id.slice(0, 15), ws.people.ana, 'false'],
        ],
      );
      return plan();
    },
    mentions: ['leads.csv', 'line 4', 'line 2', ids.lead(1)],
  },
];

function makeOpp(n: number): string {
  return ids.lead(n).replace(/^00Q/, '006');
}

function makeTask(n: number): string {
  return ids.lead(n).replace(/^00Q/, '00T');
}

function makeEvent(n: number): string {
  return ids.lead(n).replace(/^00Q/, '00U');
}

describe.concurrent('input the run cannot read truthfully is refused: exit 2, nothing touched', () => {
  it.each(REFUSALS)('$name', async ({ setup, mentions }) => {
    const ws = await Workspace.create();
    await ws.standard([{ ownerId: ws.people.ana }]);
    const args = await setup(ws);
    const before = await listTree(ws.dir);
    const result = await ws.run(args);
    expect(result.code, show(result)).toBe(2);
    for (const mention of mentions) {
      if (typeof mention === 'string') expect(result.stderr, show(result)).toContain(mention);
      else expect(result.stderr, show(result)).toMatch(mention);
    }
    expect(await listTree(ws.dir)).toEqual(before);
  });
});

async function planned(ws: Workspace, extra: string[]): Promise<Record<string, string>[]> {
  const result = await ws.run(['plan', ...csvArgs(extra), '--out', 'out']);
  expect(result.code, show(result)).toBe(0);
  return (await readCsvFile(ws.path('out/plan.csv'))).rows;
}

describe.concurrent('input read truthfully', () => {
  it('a Task export: closed tasks are never planned', async () => {
    const ws = await Workspace.create();
    const { ana } = ws.people;
    await ws.standard([{ ownerId: ana }]);
    await ws.csv(
      'tasks.csv',
      ['Id', 'OwnerId', 'Subject', 'IsClosed'],
      [
        [makeTask(1), ana, 'Call back', 'false'],
        [makeTask(2), ana, 'Intro call', 'true'],
        [makeTask(3), ana, 'Send quote', 'FALSE'],
      ],
    );
    const rows = await planned(ws, [...toBen, '--object', 'Task', '--from', 'csv:tasks.csv']);
    expect(rows.map((r) => r.Id)).toEqual([makeTask(1), makeTask(3)]);
  });

  it('an Event export: events that ended are never planned; an all-day event is open through its day', async () => {
    const ws = await Workspace.create();
    const { ana } = ws.people;
    await ws.standard([{ ownerId: ana }]);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const at = (offset: number) => new Date(Date.now() + offset).toISOString();
    await ws.csv(
      'events.csv',
      ['Id', 'OwnerId', 'Subject', 'EndDateTime', 'ActivityDate', 'IsAllDayEvent'],
      [
        [makeEvent(1), ana, 'Tomorrow', at(86_400_000), day(1), 'false'],
        [makeEvent(2), ana, 'An hour ago', at(-3_600_000), day(0), 'false'],
        [makeEvent(3), ana, 'All day today', `${day(0)}T00:00:00.000Z`, day(0), 'true'],
        [makeEvent(4), ana, 'All day yesterday', `${day(-1)}T00:00:00.000Z`, day(-1), 'true'],
      ],
    );
    const rows = await planned(ws, [...toBen, '--object', 'Event', '--from', 'csv:events.csv']);
    expect(rows.map((r) => r.Id)).toEqual([makeEvent(1), makeEvent(3)]);
  });

  it('a condition naming IsConverted never brings converted leads in', async () => {
    const ws = await Workspace.create();
    const { ana } = ws.people;
    await ws.standard([{ ownerId: ana }, { ownerId: ana, converted: true }]);
    const rows = await planned(ws, [...toBen, '--where', 'IsConverted = true OR IsConverted = false']);
    expect(rows.map((r) => r.Id)).toEqual([ids.lead(1)]);
  });

  it('conditions on Id and OwnerId, with 15- and 18-character literals', async () => {
    const ws = await Workspace.create();
    const { ana, dan } = ws.people;
    await ws.standard([{ ownerId: ana }, { ownerId: dan }, { ownerId: ana }]);
    const where = `Id IN ('${ids.lead(1).slice(0, 15)}', '${ids.lead(2)}') AND OwnerId = '${ana.slice(0, 15)}'`;
    const rows = await planned(ws, [...toBen, '--where', where]);
    expect(rows.map((r) => r.Id)).toEqual([ids.lead(1)]);
  });

  it('spreadsheet booleans and dates are read as what they mean', async () => {
    const ws = await Workspace.create();
    await ws.standard([]);
    await leadsWith(
      ws,
      ['IsConverted', 'Hot__c', 'Seen__c'],
      [
        ['FALSE', 'TRUE', '2026-03-14 10:00:00'],
        ['False', '1', '2026-03-14T10:00:00.000+0000'],
        ['0', 'false', '2026-03-14'],
        ['TRUE', 'False', '2026-03-14'],
        ['false', '0', '2026-01-01 09:30'],
      ],
    );
    const rows = await planned(ws, [
      ...toBen,
      '--exclude',
      'Hot__c = true',
      '--where',
      'Seen__c > 2026-02-01',
    ]);
    expect(rows.map((r) => r.Id)).toEqual([ids.lead(3)]);
  });

  it('CR-only line ends are read as lines', async () => {
    const ws = await Workspace.create();
    await ws.standard([]);
    const { ana, ben } = ws.people;
    const rows = [1, 2, 3].map((n) => [ids.lead(n), n === 2 ? ben : ana, 'DE', 'false']);
    await ws.write('leads.csv', csvText(['Id', 'OwnerId', 'Country', 'IsConverted'], rows, '\r'));
    const planRows = await planned(ws, [...toBen, '--where', "Country = 'DE'"]);
    expect(planRows.map((r) => r.Id)).toEqual([ids.lead(1), ids.lead(3)]);
  });

  it('upper-cased 18-character Ids are the same records, written in their canonical form', async () => {
    const ws = await Workspace.create();
    await ws.standard([]);
    const { ana } = ws.people;
    await ws.csv(
      'leads.csv',
      ['Id', 'OwnerId', 'IsConverted'],
      [[ids.lead(1).toUpperCase(), ana.toUpperCase(), 'false']],
    );
    const rows = await planned(ws, toBen);
    expect(rows).toMatchObject([{ Id: ids.lead(1), OldOwnerId: ana }]);
  });

  it('a record its rule already gives to its owner is kept, not moved by a later rule', async () => {
    const ws = await Workspace.create();
    const { ana, ben } = ws.people;
    await ws.standard([{ ownerId: ana }, { ownerId: ben }, { ownerId: ana, country: 'DE' }]);
    await ws.write(
      'job.yml',
      [
        'from: csv:leads.csv',
        'users: users.csv',
        'queues: queues.csv',
        'select: { where: "Country != \'XX\'" }',
        'rules:',
        '  - assign: { user: ben@acme.com }',
        '  - assign: { user: carla@acme.com }',
        '',
      ].join('\n'),
    );
    const result = await ws.run(['plan', '--job', 'job.yml', '--home', 'home', '--out', 'out', '--json']);
    expect(result.code, show(result)).toBe(0);
    const rows = (await readCsvFile(ws.path('out/plan.csv'))).rows;
    expect(rows.map((r) => [r.Id, r.NewOwnerId])).toEqual([
      [ids.lead(1), ben],
      [ids.lead(3), ben],
    ]);
    expect(resultOf<{ counts: Record<string, number> }>(result.stdout).counts).toMatchObject({ kept: 1 });
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable export is refused naming the file', async () => {
    const ws = await Workspace.create();
    await ws.standard([{ ownerId: ws.people.ana }]);
    await chmod(ws.path('leads.csv'), 0);
    const result = await ws.run(['plan', ...csvArgs(toBen), '--out', 'out']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('leads.csv');
  });
});
