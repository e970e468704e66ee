/**
 * Bad input, end to end: every case must exit 2, name the file (or flag), the line and the offending
 * value on stderr, and leave nothing behind — no run home, no --out folder, no new file anywhere.
 */

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../support/envelope.js';
import {
  assertBuilt,
  csvArgs,
  ids,
  LEAD_HEADER,
  type LeadRow,
  listTree,
  removeTempDirs,
  show,
  Workspace,
} from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

interface Case {
  name: string;
  /** Writes the inputs and returns the arguments; the standard users, queues and leads are already there. */
  setup: (ws: Workspace) => Promise<string[]>;
  /** Strings that stderr must contain: file or flag, "line N", and the offending value. */
  mentions: Array<string | RegExp>;
}

const JOB = `object: Lead
from: csv:leads.csv
users: users.csv
queues: queues.csv
select:
  inactiveOwners: true
rules:
  - name: to ben
    assign: { user: ben@acme.com }
`;

function leads(ws: Workspace): LeadRow[] {
  const { ana, dan, ben } = ws.people;
  return [
    { ownerId: ana },
    { ownerId: dan, country: 'DE' },
    { ownerId: ben },
    { ownerId: ana, country: 'AT' },
  ];
}

const toBen = ['--inactive-owners', '--to', 'ben@acme.com'];
const plan = (...extra: string[]) => ['plan', ...csvArgs(extra), '--out', 'out'];

/** Replaces whole lines of the standard leads export with raw text (1-based line numbers). */
async function editLeads(ws: Workspace, edit: (lines: string[]) => void): Promise<void> {
  await ws.leads(leads(ws));
  const { readFile } = await import('node:fs/promises');
  const lines = (await readFile(ws.path('leads.csv'), 'utf8')).split('\n');
  edit(lines);
  await ws.write('leads.csv', lines.join('\n'));
}

async function job(ws: Workspace, text: string): Promise<string[]> {
  await ws.write('job.yml', text);
  return ['plan', '--job', 'job.yml', '--home', 'home', '--out', 'out'];
}

const CASES: Case[] = [
  // --- the record export
  {
    name: 'export: unterminated quote',
    setup: async (ws) => {
      await editLeads(ws, (lines) => {
        lines[2] = `"${ids.lead(2)},${ws.people.dan},Acme,DE,5,false,false,2026-01-01T00:00:00Z,x@y.z`;
      });
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 3', /quote/i],
  },
  {
    name: 'export: a row with too many cells',
    setup: async (ws) => {
      await editLeads(ws, (lines) => {
        lines[3] = `${lines[3]},extra`;
      });
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 4', '10 cells'],
  },
  {
    name: 'export: a row with too few cells',
    setup: async (ws) => {
      await editLeads(ws, (lines) => {
        lines[2] = `${ids.lead(2)},${ws.people.dan}`;
      });
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 3', '2 cells'],
  },
  {
    name: 'export: no Id column',
    setup: async (ws) => {
      await ws.csv('leads.csv', ['RecordId', 'OwnerId'], [[ids.lead(1), ws.people.ana]]);
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 1', '"Id"', 'RecordId'],
  },
  {
    name: 'export: no OwnerId column',
    setup: async (ws) => {
      await ws.csv('leads.csv', ['Id', 'Owner'], [[ids.lead(1), ws.people.ana]]);
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 1', '"OwnerId"'],
  },
  {
    name: 'export: a bad Id on line 4',
    setup: async (ws) => {
      await ws.leads([...leads(ws).slice(0, 2), { id: '00QBROKEN', ownerId: ws.people.ana }]);
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 4', '00QBROKEN'],
  },
  {
    name: 'export: a bad OwnerId on line 3',
    setup: async (ws) => {
      await ws.leads([{ ownerId: ws.people.ana }, { ownerId: 'ana@acme.com' }]);
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 3', 'OwnerId', 'ana@acme.com'],
  },
  {
    name: 'export: empty file',
    setup: async (ws) => {
      await ws.write('leads.csv', '');
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'empty'],
  },
  {
    name: 'export: a column twice in the header',
    setup: async (ws) => {
      await ws.csv('leads.csv', ['Id', 'OwnerId', 'ownerid'], [[ids.lead(1), ws.people.ana, ws.people.ana]]);
      return plan(...toBen);
    },
    mentions: ['leads.csv', 'line 1', /ownerid/i, 'twice'],
  },
  {
    name: 'export: file not found',
    setup: async () => ['plan', '--from', 'csv:nope.csv', '--users', 'users.csv', '--home', 'home', ...toBen],
    mentions: ['nope.csv', 'does not exist'],
  },
  {
    name: 'export: a condition reads a field that is not a column',
    setup: async () => plan(...toBen, '--where', "Rating = 'Hot'"),
    mentions: ['leads.csv', 'line 1', /Rating/i],
  },
  {
    name: 'export: a bad row deep in a 3000-row export (line 2500)',
    setup: async (ws) => {
      const rows: LeadRow[] = Array.from({ length: 3000 }, (_, i) => ({
        ownerId: i % 2 ? ws.people.ana : ws.people.dan,
      }));
      rows[2498] = { id: 'NOT-AN-ID-2500', ownerId: ws.people.ana };
      await ws.leads(rows);
      // run --yes: the plan would be written and applied, were it not for line 2500.
      return ['run', ...csvArgs(toBen), '--yes'];
    },
    mentions: ['leads.csv', 'line 2500', 'NOT-AN-ID-2500'],
  },
  // --- the User export
  {
    name: 'users: IsActive is not a boolean',
    setup: async (ws) => {
      const rows = ws.userRows();
      rows[1] = { ...rows[1]!, isActive: 'maybe' };
      await ws.users(rows);
      return plan(...toBen);
    },
    mentions: ['users.csv', 'line 3', 'IsActive', 'maybe'],
  },
  {
    name: 'users: no IsActive column',
    setup: async (ws) => {
      await ws.csv('users.csv', ['Id', 'Username'], [[ws.people.ben, 'ben@acme.com']]);
      return plan(...toBen);
    },
    mentions: ['users.csv', 'line 1', '"IsActive"'],
  },
  {
    name: 'users: ManagerId is not an Id',
    setup: async (ws) => {
      const rows = ws.userRows();
      rows[2] = { ...rows[2]!, managerId: 'the-boss' };
      await ws.users(rows);
      return plan(...toBen);
    },
    mentions: ['users.csv', 'line 4', 'ManagerId', 'the-boss'],
  },
  // --- mapping files
  {
    name: 'mapping: a cycle A→B→A',
    setup: async (ws) => {
      await ws.mapping([
        ['ana@acme.com', 'dan@acme.com'],
        ['dan@acme.com', 'ana@acme.com'],
      ]);
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 2', /circle|cycle/, 'ana@acme.com'],
  },
  {
    name: 'mapping: a chain ending at an inactive user',
    setup: async (ws) => {
      await ws.mapping([
        ['ana@acme.com', 'ben@acme.com'],
        ['ben@acme.com', 'frank@acme.com'],
      ]);
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 2', 'frank@acme.com', 'inactive'],
  },
  {
    name: 'mapping: an unknown person',
    setup: async (ws) => {
      await ws.mapping([
        ['ana@acme.com', 'ben@acme.com'],
        ['dan@acme.com', 'zed@acme.com'],
      ]);
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 3', 'zed@acme.com'],
  },
  {
    name: 'mapping: two rows send one person to different owners',
    setup: async (ws) => {
      await ws.mapping([
        ['ana@acme.com', 'ben@acme.com'],
        ['dan@acme.com', 'ben@acme.com'],
        ['ana@acme.com', 'carla@acme.com'],
      ]);
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 4', 'ana@acme.com', 'line 2'],
  },
  {
    name: 'mapping: an empty cell',
    setup: async (ws) => {
      await ws.write('map.csv', 'from,to\nana@acme.com,ben@acme.com\ndan@acme.com,\n');
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 3', 'column to', 'empty'],
  },
  {
    name: 'mapping: no "to" column',
    setup: async (ws) => {
      await ws.write('map.csv', 'from,target\nana@acme.com,ben@acme.com\n');
      return plan('--inactive-owners', '--map', 'map.csv');
    },
    mentions: ['map.csv', 'line 1', '"to"', 'target'],
  },
  {
    name: 'mapping: file not found',
    setup: async () => plan('--inactive-owners', '--map', 'missing-map.csv'),
    mentions: ['missing-map.csv', 'does not exist'],
  },
  // --- rule targets and owners
  {
    name: '--to an inactive user',
    setup: async () => plan('--inactive-owners', '--to', 'dan@acme.com'),
    mentions: ['--to', 'dan@acme.com', 'inactive'],
  },
  {
    name: '--to an unknown person',
    setup: async () => plan('--inactive-owners', '--to', 'zed@acme.com'),
    mentions: ['--to', 'zed@acme.com'],
  },
  {
    name: '--to an unknown queue',
    setup: async () => plan('--inactive-owners', '--to', 'queue:Nope'),
    mentions: ['--to', 'Nope'],
  },
  {
    name: '--to a queue that does not take the object (Contact)',
    setup: async (ws) => {
      await ws.csv('contacts.csv', ['Id', 'OwnerId'], [[ids.contact(1), ws.people.ana]]);
      return [
        'plan',
        '--object',
        'Contact',
        '--from',
        'csv:contacts.csv',
        '--users',
        'users.csv',
        '--queues',
        'queues.csv',
        '--home',
        'home',
        '--inactive-owners',
        '--to',
        'queue:Hopper',
      ];
    },
    mentions: ['--to', 'Hopper', 'Contact'],
  },
  {
    name: '--owner an unknown person',
    setup: async () => plan('--owner', 'zed@acme.com', '--to', 'ben@acme.com'),
    mentions: ['--owner', 'zed@acme.com'],
  },
  // --- job files
  {
    name: 'job: an unknown key, with a suggestion',
    setup: (ws) => job(ws, JOB.replace('select:', 'selct:')),
    mentions: ['job.yml', 'line 5', 'selct', 'select'],
  },
  {
    name: 'job: a wrong type',
    setup: (ws) => job(ws, `${JOB}limits:\n  maxChanges: many\n`),
    mentions: ['job.yml', 'line 11', 'maxChanges', 'many'],
  },
  {
    name: 'job: a bad write.api',
    setup: (ws) => job(ws, `${JOB}write:\n  api: soap\n`),
    mentions: ['job.yml', 'line 11', 'write.api', 'soap'],
  },
  {
    name: 'job: YAML syntax error',
    setup: (ws) => job(ws, JOB.replace('  inactiveOwners: true', '  inactiveOwners: [true')),
    mentions: ['job.yml', /line \d/],
  },
  {
    name: 'job: two strategies in one assign',
    setup: (ws) => job(ws, JOB.replace('{ user: ben@acme.com }', '{ user: ben@acme.com, queue: Hopper }')),
    mentions: ['job.yml', 'line 9', 'user', 'queue'],
  },
  {
    name: 'job: weights do not match the round robin',
    setup: (ws) =>
      job(
        ws,
        JOB.replace(
          '{ user: ben@acme.com }',
          '{ roundRobin: [ben@acme.com, carla@acme.com], weights: [1, 2, 3] }',
        ),
      ),
    mentions: ['job.yml', 'line 9', 'weights', '3'],
  },
  {
    name: 'job: a bad condition names the job file and line',
    setup: (ws) =>
      job(ws, JOB.replace('  inactiveOwners: true', `  inactiveOwners: true\n  where: "Country => 'DE'"`)),
    mentions: ['job.yml', 'line 7', '=>'],
  },
  {
    name: 'job: file not found',
    setup: async () => ['plan', '--job', 'missing-job.yml', '--home', 'home'],
    mentions: ['missing-job.yml'],
  },
  // --- conditions
  {
    name: "condition: bad operator Country => 'DE'",
    setup: async () => plan(...toBen, '--where', "Country => 'DE'"),
    mentions: ['--where', '=>'],
  },
  {
    name: 'condition: unbalanced parentheses',
    setup: async () => plan(...toBen, '--where', "(Country = 'DE' OR Country = 'AT'"),
    mentions: ['--where', "(Country = 'DE' OR Country = 'AT'"],
  },
  {
    name: 'condition: AND and OR mixed without parentheses',
    setup: async () =>
      plan(...toBen, '--exclude', "Country = 'DE' AND NumberOfEmployees > 5 OR Country = 'AT'"),
    mentions: ['--exclude', /parenthes/i],
  },
  {
    name: 'condition: LIMIT inside a condition',
    setup: async () => plan(...toBen, '--where', "Country = 'DE' LIMIT 5"),
    mentions: ['--where', 'LIMIT'],
  },
  {
    name: 'condition: an Id literal that is not an Id',
    setup: async () => plan(...toBen, '--where', "Id = 'bogus'"),
    mentions: ['--where', "'bogus' is not a Salesforce Id"],
  },
  {
    name: 'condition: text compared with a boolean field',
    setup: async () => plan(...toBen, '--where', "IsConverted = 'true'"),
    mentions: ['--where', 'IsConverted holds TRUE or FALSE', "text 'true'"],
  },
  {
    name: 'condition: a date compared with a date-time field',
    setup: async () => plan(...toBen, '--where', 'LastModifiedDate < 2026-01-01'),
    mentions: ['--where', 'LastModifiedDate holds a date-time', '2026-01-01'],
  },
  {
    name: 'condition: LIKE on a date field',
    setup: async () => plan(...toBen, '--where', "ConvertedDate LIKE '2024%'"),
    mentions: ['--where', 'LIKE works on text'],
  },
  {
    name: 'condition: one field compared with two types',
    setup: async () => plan(...toBen, '--where', "Hot__c = true OR Hot__c = 'yes'"),
    mentions: ['--where', 'Hot__c is compared with TRUE or FALSE and with text'],
  },
  {
    name: 'condition: a number in exponent notation',
    setup: async () => plan(...toBen, '--where', 'NumberOfEmployees > 1e3'),
    mentions: ['--where', 'no exponent notation', '1e3', 'e.g. 1000'],
  },
  {
    name: 'condition: a date literal without its number',
    setup: async () => plan(...toBen, '--where', 'LastModifiedDate > LAST_N_DAYS'),
    mentions: ['--where', 'LAST_N_DAYS needs a number', 'LAST_N_DAYS:30'],
  },
  {
    name: 'export: a value a rule condition cannot read',
    setup: async (ws) => {
      await editLeads(ws, (lines) => {
        lines[2] = (lines[2] ?? '').replace(',10,', ',many,');
      });
      await ws.write(
        'job.yml',
        JOB.replace('  - name: to ben\n', '  - name: to ben\n    when: "NumberOfEmployees > 3"\n'),
      );
      return ['plan', '--job', 'job.yml', '--home', 'home', '--out', 'out'];
    },
    mentions: ['job.yml', 'line 3 of the export', '"many" is not a number'],
  },
  {
    name: 'condition: a bad when in a rule',
    setup: (ws) => job(ws, JOB.replace('  - name: to ben', '  - name: to ben\n    when: "Country IN (DE"')),
    mentions: ['job.yml', 'line 9', 'Country IN (DE'],
  },
  // --- flags
  {
    name: '--from bogus:x',
    setup: async () => ['plan', '--from', 'bogus:x', '--home', 'home', ...toBen],
    mentions: ['--from', 'bogus:x'],
  },
  {
    name: 'an unknown flag',
    setup: async () => plan(...toBen, '--frobnicate'),
    mentions: ['--frobnicate'],
  },
  {
    name: '--batch-size 0',
    setup: async () => plan(...toBen, '--batch-size', '0'),
    mentions: ['--batch-size', '0'],
  },
  {
    name: '--batch-size not a number',
    setup: async () => plan(...toBen, '--batch-size', 'lots'),
    mentions: ['--batch-size', 'lots'],
  },
  {
    name: 'no selector at all',
    setup: async () => plan('--to', 'ben@acme.com'),
    mentions: ['--inactive-owners', '--owner'],
  },
  {
    name: 'no rules at all',
    setup: async () => plan('--inactive-owners'),
    mentions: ['--to', '--map'],
  },
  {
    name: '--inactive-owners on a CSV export without --users',
    setup: async () => ['plan', '--from', 'csv:leads.csv', '--home', 'home', ...toBen],
    mentions: ['--users'],
  },
  {
    name: 'apply: a folder that is not a run directory',
    setup: async (ws) => {
      await ws.write('not-a-run/readme.txt', 'hello');
      return ['apply', 'not-a-run', '--home', 'home'];
    },
    mentions: ['not-a-run', 'run.json'],
  },
  {
    name: '--accounts: a bad OwnerId on line 2',
    setup: async (ws) => {
      await ws.csv('accounts.csv', ['Id', 'OwnerId'], [[ids.account(1), 'nobody']]);
      return plan('--inactive-owners', '--to', 'ben@acme.com', '--accounts', 'accounts.csv');
    },
    mentions: ['accounts.csv', 'line 2', 'nobody'],
  },
  {
    name: '--queues: a bad queue Id on line 3',
    setup: async (ws) => {
      await ws.write(
        'queues.csv',
        `Id,Name,DeveloperName\n${ws.queues.hopper},Hopper,Hopper\n00Gxyz,Bad,Bad\n`,
      );
      return plan(...toBen);
    },
    mentions: ['queues.csv', 'line 3', '00Gxyz'],
  },
];

describe.concurrent('bad input exits 2, says where and what, and writes nothing', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name', async ({ setup, mentions }) => {
    const ws = await Workspace.create();
    await ws.standard(leads(ws));
    const args = await setup(ws);
    const before = await listTree(ws.dir);
    const result = await ws.run(args);
    expect(result.code, show(result)).toBe(2);
    for (const mention of mentions) {
      if (typeof mention === 'string') expect(result.stderr, show(result)).toContain(mention);
      else expect(result.stderr, show(result)).toMatch(mention);
    }
    expect(result.stdout, 'nothing on stdout without --json').toBe('');
    expect(existsSync(ws.path('home')), 'the run home must not exist').toBe(false);
    expect(existsSync(ws.path('out')), 'the --out folder must not exist').toBe(false);
    expect(await listTree(ws.dir)).toEqual(before);
  });
});

describe.concurrent('bad input: --json, existing and default run homes', () => {
  it('an existing run home is left exactly as it was by a bad row deep in the export', async () => {
    const ws = await Workspace.create();
    await ws.standard(leads(ws));
    const good = await ws.run(['run', ...csvArgs(toBen), '--yes']);
    expect(good.code, show(good)).toBe(0);
    const rows: LeadRow[] = Array.from({ length: 3000 }, (_, i) => ({
      ownerId: ws.people.ana,
      id: ids.lead(i + 1),
    }));
    rows[2498] = { ownerId: 'BAD-OWNER' };
    await ws.leads(rows);
    const before = await listTree(ws.dir);
    const result = await ws.run(['run', ...csvArgs(toBen), '--yes']);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('leads.csv, line 2500, column OwnerId: "BAD-OWNER"');
    expect(await listTree(ws.dir)).toEqual(before);
  });

  it('the default run home (./.leadshift) is not created by bad input', async () => {
    const ws = await Workspace.create();
    await ws.standard(leads(ws));
    const before = await listTree(ws.dir);
    const result = await ws.run([
      'run',
      '--from',
      'csv:leads.csv',
      '--users',
      'users.csv',
      '--yes',
      '--where',
      'Nope = 1',
      ...toBen,
    ]);
    expect(result.code, show(result)).toBe(2);
    expect(await listTree(ws.dir)).toEqual(before);
  });

  it('prints one JSON error document on stdout and still writes nothing', async () => {
    const ws = await Workspace.create();
    await ws.standard(leads(ws));
    const before = await listTree(ws.dir);
    const result = await ws.run([
      'plan',
      ...csvArgs(['--inactive-owners', '--to', 'zed@acme.com']),
      '--json',
    ]);
    expect(result.code, show(result)).toBe(2);
    const doc = failureOf(result.stdout);
    expect(doc).toMatchObject({ status: 2, exitCode: 2, name: 'InputError' });
    expect(doc.message).toContain('zed@acme.com');
    expect(doc.data.problems?.[0]?.message).toContain('zed@acme.com');
    expect(doc.actions.length).toBeGreaterThan(0);
    expect(await listTree(ws.dir)).toEqual(before);
  });

  it('a usage error (unknown flag) still prints one JSON document', async () => {
    const ws = await Workspace.create();
    const result = await ws.run(['plan', '--json', '--frobnicate']);
    expect(result.code, show(result)).toBe(2);
    const doc = failureOf(result.stdout);
    expect(doc).toMatchObject({
      exitCode: 2,
      name: 'UsageError',
      message: expect.stringContaining('--frobnicate'),
    });
    expect(doc.actions).toEqual(['leadshift plan --help']);
    expect(await listTree(ws.dir)).toEqual([]);
  });

  it('an export with only a header is not an error: nothing to change', async () => {
    const ws = await Workspace.create();
    await ws.standard(leads(ws));
    await ws.write('leads.csv', `${LEAD_HEADER.join(',')}\n`);
    const result = await ws.run(['plan', ...csvArgs(toBen)]);
    // An export with only a header is not an error: nothing to change.
    expect(result.code, show(result)).toBe(0);
  });
});
