/**
 * Deterministic Salesforce-like export data for the demo fixtures and the benchmarks: same seed, same
 * bytes. Nothing large is committed; the benchmarks generate what they need.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { toId18 } from '../src/ids.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A valid 18-character Id: key prefix, a pod-like '5e0000', then the counter in base 62. */
export function makeId(prefix: string, n: number): string {
  let body = '';
  let rest = n;
  for (let i = 0; i < 6; i++) {
    body = BASE62[rest % 62] + body;
    rest = Math.floor(rest / 62);
  }
  return toId18(`${prefix}5e0000${body}`) as string;
}

/** mulberry32: small, fast, and the same on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoUser {
  id: string;
  username: string;
  email: string;
  name: string;
  isActive: boolean;
  managerId: string;
}

const FIRST = [
  'Ana',
  'Ben',
  'Carla',
  'Dan',
  'Eve',
  'Frank',
  'Grace',
  'Hugo',
  'Ines',
  'Jon',
  'Kira',
  'Lars',
  'Mia',
  'Nils',
  'Olga',
  'Paul',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
];
const LAST = [
  'Schmidt',
  'Okafor',
  'Rossi',
  'Novak',
  'Silva',
  'Berg',
  'Kim',
  'Dubois',
  'Lopez',
  'Meyer',
  'Sato',
  'Nagy',
];
const COUNTRIES = ['DE', 'AT', 'CH', 'FR', 'GB', 'US', 'US', 'US', 'NL', 'ES', 'IT', 'SE'];
const STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Nurturing'];
const SOURCES = ['Web', 'Partner Referral', 'Trade Show', 'Phone Inquiry', 'Purchased List'];

/** `count` users; every `inactiveEvery`-th is inactive; managers are the first users of each team of ten. */
export function makeUsers(count: number, inactiveEvery: number, domain = 'acme.com'): DemoUser[] {
  const users: DemoUser[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    const handle =
      count <= FIRST.length ? first.toLowerCase() : `${first.toLowerCase()}.${last.toLowerCase()}${i}`;
    users.push({
      id: makeId('005', i + 1),
      username: `${handle}@${domain}`,
      email: `${handle}@${domain}`,
      name: `${first} ${last}`,
      isActive: i % inactiveEvery !== inactiveEvery - 1,
      managerId: i % 10 === 0 ? '' : makeId('005', Math.floor(i / 10) * 10 + 1),
    });
  }
  return users;
}

export const LEAD_HEADER = [
  'Id',
  'OwnerId',
  'FirstName',
  'LastName',
  'Company',
  'Country',
  'NumberOfEmployees',
  'Status',
  'LeadSource',
  'IsConverted',
  'Exclude_From_Reassignment__c',
  'LastModifiedDate',
];

/** One lead row as CSV text: quoted where needed, the way Salesforce exports quote every cell. */
export function leadRow(n: number, ownerId: string, rand: () => number, now: Date): string {
  const first = FIRST[Math.floor(rand() * FIRST.length)] as string;
  const last = LAST[Math.floor(rand() * LAST.length)] as string;
  const company =
    n % 97 === 0 ? `${last}, ${first} & "Partners"` : n % 211 === 0 ? `=HYPERLINK("x")` : `${last} GmbH`;
  const days = Math.floor(rand() * 120);
  const modified = new Date(now.getTime() - days * 86_400_000).toISOString().replace('Z', '+0000');
  const cells = [
    makeId('00Q', n),
    ownerId,
    first,
    last,
    company,
    COUNTRIES[Math.floor(rand() * COUNTRIES.length)] as string,
    String(Math.floor(rand() * 5000)),
    STATUSES[Math.floor(rand() * STATUSES.length)] as string,
    SOURCES[Math.floor(rand() * SOURCES.length)] as string,
    n % 53 === 0 ? 'true' : 'false',
    n % 41 === 0 ? 'true' : 'false',
    modified,
  ];
  return `${cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')}\n`;
}

/** Streams `count` leads owned round the given owners into a file, without holding them in memory. */
export async function writeLeads(
  path: string,
  count: number,
  ownerIds: string[],
  seed: number,
  now: Date,
): Promise<void> {
  const out = createWriteStream(path);
  const rand = random(seed);
  out.write(`${LEAD_HEADER.join(',')}\n`);
  let buffer = '';
  for (let n = 1; n <= count; n++) {
    buffer += leadRow(n, ownerIds[Math.floor(rand() * ownerIds.length)] as string, rand, now);
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
