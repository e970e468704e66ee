// Runs a TestOrg on a fixed port, seeded from fixtures/demo/*.csv, until Ctrl-C.
// Usage: npm run demo:org   (PORT=8787 by default)

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { TestOrg } from './index.js';

const fixtures = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

function readCsv(name: string): Record<string, unknown>[] {
  const file = join(fixtures, name);
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

function seed(org: TestOrg): string[] {
  const summary: string[] = [];
  const load = (
    object: string,
    file: string,
    fill: (r: Record<string, unknown>) => Record<string, unknown> = (r) => r,
  ) => {
    const rows = readCsv(file).map(fill);
    if (rows.length) {
      org.insert(object, rows);
      summary.push(`${rows.length} ${object} from ${file}`);
    }
  };
  load('User', 'users.csv', (r) => ({ IsActive: true, UserType: 'Standard', ...r }));
  // queues.csv: Id, Name, DeveloperName and optionally SobjectType ("Lead" or "Lead;Case") for QueueSobject rows.
  const queues = readCsv('queues.csv');
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
  return summary;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const org = await TestOrg.start({ port });
  let summary: string[];
  try {
    summary = seed(org);
  } catch (e) {
    await org.close();
    throw e;
  }
  const keyFile = join(tmpdir(), `leadshift-demo-${port}.key`);
  writeFileSync(keyFile, org.credentials.privateKeyPem, { mode: 0o600 });
  const c = org.credentials;
  const lines = [
    `# leadshift test org listening on ${org.url} (fake demo credentials)`,
    summary.length
      ? `# seeded: ${summary.join(', ')}`
      : `# no CSV files in ${fixtures}: only the running user exists`,
    '# access token:',
    `export SF_INSTANCE_URL=${org.url}`,
    `export SF_ACCESS_TOKEN='${org.issueAccessToken()}'`,
    `export SF_API_VERSION=62.0`,
    '# or username-password / JWT / client credentials:',
    `export SF_LOGIN_URL=${org.url}`,
    `export SF_USERNAME='${c.username}'`,
    `export SF_PASSWORD='${c.password}'`,
    `export SF_SECURITY_TOKEN='${c.securityToken}'`,
    `export SF_CLIENT_ID='${c.clientId}'`,
    `export SF_CLIENT_SECRET='${c.clientSecret}'`,
    `export SF_JWT_KEY_FILE='${keyFile}'`,
    '# Ctrl-C to stop',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    org.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo org failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
