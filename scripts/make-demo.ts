/**
 * Writes fixtures/demo/ (all but the hand-written job.yml): the demo data the README's first command runs on.
 * Run: node --import tsx scripts/make-demo.ts [output folder, default fixtures/demo]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeId, makeUsers, writeLeads } from '../bench/data.js';

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'fixtures', 'demo'));
mkdirSync(dir, { recursive: true });
const users = makeUsers(20, 4);
const csv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\n')}\n`;

writeFileSync(
  join(dir, 'users.csv'),
  csv([
    ['Id', 'Username', 'Email', 'Name', 'IsActive', 'ManagerId'],
    ...users.map((u) => [u.id, u.username, u.email, u.name, String(u.isActive), u.managerId]),
  ]),
);
const queueId = makeId('00G', 1);
writeFileSync(
  join(dir, 'queues.csv'),
  csv([
    ['Id', 'Name', 'DeveloperName', 'SobjectType'],
    [queueId, 'Unassigned Leads', 'Unassigned_Leads', 'Lead'],
  ]),
);

const inactive = users.filter((u) => !u.isActive);
const active = users.filter((u) => u.isActive);
const name = (u: (typeof users)[number]) => u.username;
// dan left first and was mapped to hugo; hugo has left too, so dan's leads follow the chain to ines.
writeFileSync(
  join(dir, 'departed.csv'),
  csv([
    ['from', 'to'],
    [name(inactive[0]!), name(active[1]!)],
    [name(inactive[1]!), name(inactive[2]!)],
    [name(inactive[2]!), name(active[6]!)],
  ]),
);
await writeLeads(
  join(dir, 'leads.csv'),
  3000,
  users.map((u) => u.id),
  20261124,
  new Date('2026-11-24T06:00:00Z'),
);
console.log(`wrote ${dir}: ${users.length} users (${inactive.length} inactive), 1 queue, 3000 leads`);
