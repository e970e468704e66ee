import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TestOrg } from './index.js';

function readCsv(dir: string, name: string): Record<string, unknown>[] {
  const file = join(dir, name);
  if (!existsSync(file)) return [];
  const rows = parse(readFileSync(file, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  // Empty cells are left out so the org applies its defaults; true/false become booleans (custom checkboxes).
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => [k, /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v]),
    ),
  );
}

/** Data Export's names for the files this seeds from (an `export/` folder inside the example's). */
const DATA_EXPORT_NAMES: Record<string, string> = {
  'users.csv': 'User.csv',
  'queues.csv': 'Group.csv',
  'accounts.csv': 'Account.csv',
  'contacts.csv': 'Contact.csv',
  'leads.csv': 'Lead.csv',
  'opportunities.csv': 'Opportunity.csv',
  'cases.csv': 'Case.csv',
  'tasks.csv': 'Task.csv',
  'events.csv': 'Event.csv',
};

/**
 * Loads a folder of exports (users.csv, queues.csv, accounts.csv, contacts.csv, leads.csv, …) into the
 * org, or the Data Export folder `export/` inside it (User.csv, Group.csv, Lead.csv, …).
 */
export function seedFromCsv(org: TestOrg, folder: string): string[] {
  const dataExport = existsSync(join(folder, 'export'));
  const dir = dataExport ? join(folder, 'export') : folder;
  const nameOf = (file: string) => (dataExport ? (DATA_EXPORT_NAMES[file] ?? file) : file);
  const summary: string[] = [];
  const load = (
    object: string,
    file: string,
    fill: (r: Record<string, unknown>) => Record<string, unknown> = (r) => r,
  ) => {
    const rows = readCsv(dir, nameOf(file)).map(fill);
    if (rows.length) {
      org.insert(object, rows);
      summary.push(`${rows.length} ${object} from ${file}`);
    }
  };
  load('User', 'users.csv', (r) => ({ IsActive: true, UserType: 'Standard', ...r }));
  // queues.csv: Id, Name, DeveloperName and optionally SobjectType ("Lead" or "Lead;Case") for QueueSobject rows.
  // Data Export's Group.csv also holds roles and public groups: only its queues are seeded.
  const queues = readCsv(dir, nameOf('queues.csv')).filter((q) => q.Type === undefined || q.Type === 'Queue');
  const queueSobjects: Record<string, unknown>[] = [];
  const groups = queues.map(({ SobjectType, ...q }) => ({
    Type: 'Queue',
    ...q,
    DeveloperName: q.DeveloperName ?? q.Name,
  }));
  const queueIds = groups.length ? org.insert('Group', groups) : [];
  queues.forEach((q, i) => {
    const types = typeof q.SobjectType === 'string' ? q.SobjectType.split(/[;|]/) : ['Lead', 'Case'];
    for (const SobjectType of types)
      queueSobjects.push({ QueueId: queueIds[i], SobjectType: SobjectType.trim() });
  });
  if (queueSobjects.length) org.insert('QueueSobject', queueSobjects);
  if (groups.length) summary.push(`${groups.length} queues from queues.csv`);
  load('Account', 'accounts.csv');
  load('Contact', 'contacts.csv');
  load('Lead', 'leads.csv');
  load('Opportunity', 'opportunities.csv');
  load('Case', 'cases.csv');
  load('Task', 'tasks.csv');
  load('Event', 'events.csv');
  return summary;
}
