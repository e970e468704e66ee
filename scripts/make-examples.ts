/**
 * Writes fixtures/examples/: the seed scenarios as runnable jobs (not their expected/ results).
 * Run: node --import tsx scripts/make-examples.ts [output folder, default fixtures/examples]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DemoUser, makeId, makeUsers, random } from '../bench/data.js';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'fixtures', 'examples'));
const users = makeUsers(20, 4);
const NAMES = ['ana', 'ben', 'carla', 'dan', 'eve', 'frank', 'grace', 'hugo'] as const;

function byName(name: string): DemoUser {
  const user = users.find((u) => u.username === `${name}@acme.com`);
  if (!user) throw new Error(`makeUsers made no user ${name}@acme.com`);
  return user;
}
const { ana, ben, carla, dan, eve, frank, grace, hugo } = Object.fromEntries(
  NAMES.map((name) => [name, byName(name)]),
) as Record<(typeof NAMES)[number], DemoUser>;
const rand = random(424242);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const csv = (rows: Array<Array<string | number | boolean>>) =>
  `${rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\n')}\n`;
const userRows = csv([
  ['Id', 'Username', 'Email', 'Name', 'IsActive', 'ManagerId'],
  ...users.map((u) => [u.id, u.username, u.email, u.name, u.isActive, u.managerId]),
]);
const inbound = makeId('00G', 2);
const hopper = makeId('00G', 3);
const queueRows = csv([
  ['Id', 'Name', 'DeveloperName', 'SobjectType'],
  [inbound, 'Inbound Leads', 'Inbound_Leads', 'Lead'],
  [hopper, 'Unassigned Leads', 'Unassigned_Leads', 'Lead'],
]);
const COUNTRIES = ['DE', 'AT', 'CH', 'US', 'US', 'GB', 'FR'];
const now = Date.parse('2026-11-24T06:00:00Z');
const day = 86_400_000;

function leads(
  count: number,
  first: number,
  owner: () => string,
  extra: (n: number) => Record<string, string> = () => ({}),
) {
  const header = [
    'Id',
    'OwnerId',
    'LastName',
    'Company',
    'Country',
    'Status',
    'IsConverted',
    'Exclude_From_Reassignment__c',
    'LastModifiedDate',
  ];
  const rows: string[][] = [];
  for (let n = first; n < first + count; n++) {
    const more = extra(n);
    const base = [
      makeId('00Q', n),
      owner(),
      `Lead ${n}`,
      `Company ${n % 37}`,
      pick(COUNTRIES),
      'Open - Not Contacted',
      n % 29 === 0 ? 'true' : 'false',
      n % 17 === 0 ? 'true' : 'false',
      new Date(now - Math.floor(rand() * 90) * day).toISOString(),
    ];
    rows.push([...base, ...Object.values(more)]);
    if (n === first) header.push(...Object.keys(more));
  }
  return csv([header, ...rows]);
}

function write(dir: string, files: Record<string, string>): void {
  mkdirSync(join(root, dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, dir, name), text);
}

// 1. Dan left: his leads go to Ben, his DACH leads to Carla (a departed rep with an old→new mapping).
write('departed-rep', {
  'users.csv': userRows,
  'leads.csv': leads(200, 1, () => pick([dan.id, dan.id, ben.id, eve.id])),
  'departed.csv': csv([
    ['from', 'to'],
    [dan.username, ben.username],
  ]),
  'job.yml': `# Dan left: his DACH leads go to Carla, the rest follow the departed-reps mapping.
object: Lead
from: csv:leads.csv
users: users.csv
select:
  owners: [${dan.username}]
rules:
  - name: DACH to Carla
    when: "Country IN ('DE','AT','CH')"
    assign: { user: ${carla.username} }
  - name: departed reps
    assign: { map: departed.csv }
write:
  stamp: { Reassignment_Reason__c: "{rule} on {date}" }
`,
});

// 2. Accounts changed hands: the leads (through a lookup) and contacts follow the account owner.
const accounts = Array.from(
  { length: 20 },
  (_, i) => [makeId('001', i + 1), pick([ben.id, carla.id, eve.id, frank.id])] as const,
);
write('account-owner-changed', {
  'users.csv': userRows,
  'accounts.csv': csv([
    ['Id', 'OwnerId', 'Name'],
    ...accounts.map(([id, owner], i) => [id, owner, `Account ${i + 1}`]),
  ]),
  'leads.csv': leads(
    120,
    1001,
    () => pick([ben.id, carla.id, eve.id, frank.id]),
    () => ({ Account__c: pick(accounts)[0] }),
  ),
  'contacts.csv': csv([
    ['Id', 'OwnerId', 'LastName', 'AccountId'],
    ...Array.from({ length: 80 }, (_, i) => [
      makeId('003', i + 1),
      pick([ben.id, carla.id, eve.id, frank.id]),
      `Contact ${i + 1}`,
      pick(accounts)[0],
    ]),
  ]),
  'leads.yml': `# Leads whose account (the Account__c lookup) now has another owner follow the account owner.
object: Lead
from: csv:leads.csv
users: users.csv
accounts: accounts.csv
select:
  accountOwner: Account__c
rules:
  - assign: { accountOwner: true }
`,
  'contacts.yml': `# Contacts follow their account's owner.
object: Contact
from: csv:contacts.csv
users: users.csv
accounts: accounts.csv
select:
  accountOwner: true
rules:
  - assign: { accountOwner: true }
`,
});

// 3. Leads untouched for 30 days go to the owner's manager, unless flagged to stay.
write('stale-to-manager', {
  'users.csv': userRows,
  'leads.csv': leads(200, 2001, () => pick([ben.id, carla.id, dan.id, grace.id, hugo.id])),
  'job.yml': `# Stale leads go to the owner's manager (an inactive manager hands on to theirs); flagged leads stay.
object: Lead
from: csv:leads.csv
users: users.csv
select:
  where: "LastModifiedDate < LAST_N_DAYS:30"
  exclude: "Exclude_From_Reassignment__c = true"
rules:
  - name: owner's manager
    assign: { manager: true }
`,
});

// 4. New leads in the intake queue are routed by territory: weighted round robin, the rest to a queue.
write('territory-round-robin', {
  'users.csv': userRows,
  'queues.csv': queueRows,
  'leads.csv': leads(300, 3001, () => inbound),
  'job.yml': `# Leads waiting in the Inbound queue: DACH to Anna and Ben 2:1 (at most 60 each per run), US by load,
# everything else to the Unassigned queue.
object: Lead
from: csv:leads.csv
users: users.csv
queues: queues.csv
select:
  owners: ["queue:Inbound_Leads"]
rules:
  - name: DACH
    when: "Country IN ('DE','AT','CH')"
    assign: { roundRobin: [${ana.username}, ${ben.username}], weights: [2, 1], capacity: 60 }
  - name: US
    when: "Country = 'US'"
    assign: { roundRobin: [${carla.username}, ${eve.username}, ${frank.username}], balance: load }
  - name: hopper
    assign: { queue: Unassigned_Leads }
`,
});

// 5. Leads of reps who left are re-run through Salesforce's active lead assignment rule.
write('salesforce-assignment-rules', {
  'users.csv': userRows,
  'queues.csv': queueRows,
  'leads.csv': leads(100, 4001, () => pick([dan.id, hugo.id, ben.id])),
  'job.yml': `# Leads of reps who left go back through the org's active lead assignment rule (Salesforce only).
object: Lead
from: salesforce
select:
  inactiveOwners: true
rules:
  - assign: { salesforceRules: true }
`,
});

// 6. Territories redrawn: leads follow a territory table; the rest are shared by load and by performance.
const POSTAL = ['80331', '10115', '20095', '1010', '8001', '94105', '10001', 'SW1A'];
const realigned = leads(
  240,
  5001,
  () => pick([ana.id, ben.id, carla.id, eve.id, inbound]),
  () => ({
    PostalCode: pick(POSTAL),
    NumberOfEmployees: String(pick([8, 40, 250, 900, 4000])),
  }),
);
function opportunities(count: number): string {
  const rows: Array<Array<string | boolean>> = [
    ['Id', 'OwnerId', 'Name', 'StageName', 'CloseDate', 'IsClosed', 'IsWon'],
  ];
  for (let n = 1; n <= count; n++) {
    const closed = rand() < 0.6;
    const won = closed && rand() < 0.5;
    const closeDate = new Date(now - Math.floor(rand() * 180) * day).toISOString().slice(0, 10);
    const stage = won ? 'Closed Won' : closed ? 'Closed Lost' : 'Prospecting';
    rows.push([
      makeId('006', n),
      pick([ana.id, ana.id, ana.id, ben.id, ben.id, carla.id, frank.id, grace.id]),
      `Deal ${n}`,
      stage,
      closeDate,
      closed,
      won,
    ]);
  }
  return csv(rows);
}
// Exported as Salesforce's Data Export writes an org: a file per object, Group.csv with roles beside queues.
const groupRows = csv([
  ['Id', 'Name', 'DeveloperName', 'Type'],
  [inbound, 'Inbound Leads', 'Inbound_Leads', 'Queue'],
  [hopper, 'Unassigned Leads', 'Unassigned_Leads', 'Queue'],
  [makeId('00G', 4), 'Sales EMEA', 'Sales_EMEA', 'Role'],
  [makeId('00G', 5), 'All Internal Users', 'AllInternalUsers', 'Organization'],
]);
write('territory-realignment/export', {
  'User.csv': userRows,
  'Group.csv': groupRows,
  'Lead.csv': realigned,
  'Opportunity.csv': opportunities(200),
});
write('territory-realignment', {
  'territories.csv': csv([
    ['Country', 'PostalCode', 'NumberOfEmployees', 'Owner'],
    ['DE', '8*|9*', '500..', ana.username],
    ['DE|AT|CH', '', '500..', ben.username],
    ['DE|AT|CH', '', '', carla.username],
    ['US', '94*', '', eve.username],
    ['US', '', '..99', 'queue:Unassigned_Leads'],
  ]),
  'job.yml': `# Territories redrawn: every lead of the field reps goes to the owner of the first row of
# territories.csv it matches; leads no territory covers go to inside sales, whoever has the fewest open
# leads plus open opportunities first.
# export/ is a Data Export folder: leads, users, queues and opportunities each come from their own file.
object: Lead
from: csv:export/
select:
  owners: [${ana.username}, ${ben.username}, ${carla.username}, ${eve.username}]
rules:
  - assign: { territory: territories.csv }
  - name: inside sales
    assign:
      roundRobin: [${frank.username}, ${grace.username}]
      balance: load
      load: { Lead: "IsConverted = false", Opportunity: "IsClosed = false" }
`,
  'inbound.yml': `# Leads waiting in the Inbound queue go to the reps in proportion to the deals each won in the last
# 90 days; a rep who won none gets the smallest share anyone has.
object: Lead
from: csv:export/
select:
  owners: ["queue:Inbound_Leads"]
rules:
  - assign:
      roundRobin: [${ana.username}, ${ben.username}, ${carla.username}, ${eve.username}]
      weights: performance
      performance: { object: Opportunity, where: "IsWon = true AND CloseDate = LAST_N_DAYS:90" }
`,
});

// 7. Dan left, and everything of his moves in one plan: a Data Export folder of every object he owns.
const danAccounts = Array.from({ length: 12 }, (_, i) => [
  makeId('001', 101 + i),
  i < 6 ? dan.id : pick([ben.id, eve.id, frank.id]),
]);
const someAccount = () => (pick(danAccounts) as string[])[0] as string;
const soonOrPast = (n: number) => now + (n % 3 === 0 ? -1 : 1) * (1 + (n % 20)) * day;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');
write('offboarding/export', {
  'User.csv': userRows,
  'Group.csv': groupRows,
  'Account.csv': csv([
    ['Id', 'OwnerId', 'Name'],
    ...danAccounts.map(([id, owner], i) => [id as string, owner as string, `Account ${101 + i}`]),
  ]),
  'Contact.csv': csv([
    ['Id', 'OwnerId', 'LastName', 'AccountId'],
    ...Array.from({ length: 60 }, (_, i) => [
      makeId('003', 101 + i),
      pick([dan.id, dan.id, ben.id, eve.id]),
      `Contact ${101 + i}`,
      someAccount(),
    ]),
  ]),
  'Lead.csv': leads(
    80,
    7001,
    () => pick([dan.id, dan.id, ben.id, eve.id]),
    (n) => ({ Account__c: n % 4 === 0 ? '' : someAccount() }),
  ),
  'Opportunity.csv': csv([
    ['Id', 'OwnerId', 'Name', 'AccountId', 'StageName', 'CloseDate', 'IsClosed', 'IsWon'],
    ...Array.from({ length: 50 }, (_, i) => {
      const closed = i % 3 === 0;
      return [
        makeId('006', 301 + i),
        pick([dan.id, dan.id, eve.id]),
        `Deal ${301 + i}`,
        someAccount(),
        closed ? 'Closed Lost' : 'Prospecting',
        new Date(now + (i - 20) * day).toISOString().slice(0, 10),
        closed,
        false,
      ];
    }),
  ]),
  'Case.csv': csv([
    ['Id', 'OwnerId', 'Subject', 'AccountId', 'Status', 'IsClosed'],
    ...Array.from({ length: 30 }, (_, i) => {
      const closed = i % 4 === 0;
      return [
        makeId('500', 1 + i),
        pick([dan.id, dan.id, ben.id]),
        `Case ${1 + i}`,
        someAccount(),
        closed ? 'Closed' : 'New',
        closed,
      ];
    }),
  ]),
  'Task.csv': csv([
    ['Id', 'OwnerId', 'Subject', 'Status', 'IsClosed', 'ActivityDate', 'WhatId'],
    ...Array.from({ length: 40 }, (_, i) => {
      const closed = i % 3 === 1;
      return [
        makeId('00T', 1 + i),
        pick([dan.id, dan.id, ben.id]),
        `Call ${1 + i}`,
        closed ? 'Completed' : 'Not Started',
        closed,
        new Date(soonOrPast(i)).toISOString().slice(0, 10),
        someAccount(),
      ];
    }),
  ]),
  'Event.csv': csv([
    ['Id', 'OwnerId', 'Subject', 'StartDateTime', 'EndDateTime', 'ActivityDate', 'IsAllDayEvent', 'WhatId'],
    ...Array.from({ length: 30 }, (_, i) => {
      const start = soonOrPast(i);
      return [
        makeId('00U', 1 + i),
        pick([dan.id, dan.id, ben.id]),
        `Meeting ${1 + i}`,
        iso(start),
        iso(start + 3_600_000),
        new Date(start).toISOString().slice(0, 10),
        false,
        someAccount(),
      ];
    }),
  ]),
});
write('offboarding', {
  'job.yml': `# Dan left: everything of his that is still open moves, reviewed once and undone once. His accounts
# go to Carla with their contacts and open opportunities; his other open leads, contacts,
# opportunities, cases and tasks and his future meetings go to Ben. Converted leads, closed
# opportunities, cases and tasks and past meetings stay as they are.
# export/ is a Data Export folder: each object is read from its own file, and each gets its own
# update-<Object>.csv.
from: csv:export/
select:
  owners: [${dan.username}]
rules:
  - name: successor
    assign: { user: ${ben.username} }
objects:
  Account:
    rules:
      - name: accounts to Carla
        assign: { user: ${carla.username} }
    write: { cascade: [Contact, Opportunity] }
  Lead: {}
  Contact: {}
  Opportunity: {}
  Case: {}
  Task: {}
  Event: {}
`,
  'accounts.yml': `# Dan's accounts go to Carla, and what hangs off them follows the account's new owner in the same
# plan: his leads linked to them (the Account__c lookup) and his contacts on them. The accounts are
# written first; the leads and contacts see the owner the plan gives the account.
from: csv:export/
select:
  owners: [${dan.username}]
objects:
  Account:
    rules:
      - assign: { user: ${carla.username} }
  Lead:
    select: { accountOwner: Account__c }
    rules:
      - name: follows the account
        assign: { accountOwner: true }
  Contact:
    select: { accountOwner: true }
    rules:
      - name: follows the account
        assign: { accountOwner: true }
`,
});

writeFileSync(
  join(root, 'README.md'),
  `# Example jobs

Each folder is one scenario with its exports; run it from the repository root, e.g.
\`npx leadshift run --job fixtures/examples/departed-rep/job.yml --dry-run\`. Add \`--from salesforce\`
to run the same job against an org (\`npm run demo:org\` seeds a local one with the demo data).
\`expected/\` in each folder holds what the current code plans and writes for each job (DESIGN.md, "Tests").

| folder | scenario |
| --- | --- |
| \`departed-rep/\` | a departed rep: DACH leads to one colleague, the rest by an old→new mapping |
| \`account-owner-changed/\` | accounts changed hands: leads (\`leads.yml\`, through the \`Account__c\` lookup) and contacts (\`contacts.yml\`) follow the account owner |
| \`stale-to-manager/\` | leads untouched for 30 days go to the owner's manager; flagged leads are excluded |
| \`territory-round-robin/\` | leads in the intake queue: weighted round robin by territory with a capacity, load-balanced US, a queue fallback |
| \`salesforce-assignment-rules/\` | leads of reps who left re-run through Salesforce's active assignment rule (Salesforce target only) |
| \`territory-realignment/\` | a Data Export folder (\`export/\`: Lead.csv, User.csv, Group.csv, Opportunity.csv) with territories redrawn: leads follow a territory table (\`job.yml\`), the rest go to inside sales by open leads plus open opportunities; the Inbound queue is shared by deals won in 90 days (\`inbound.yml\`) |
| \`offboarding/\` | a whole departure in one plan, from a Data Export folder of all seven objects: accounts with their contacts and open opportunities to one successor, every other open record to another (\`job.yml\`); accounts move and the leads and contacts on them follow the account's new owner (\`accounts.yml\`) |
`,
);
console.log(`wrote ${root}`);
