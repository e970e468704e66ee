/**
 * One meaning for a condition on CSV and on Salesforce: random conditions over typed fields and random
 * records, evaluated by leadshift's CSV evaluator (on the records as an export writes them) and by the
 * test org's SOQL engine (which follows Salesforce's documentation). Both must select the same Ids, and
 * both must reject what Salesforce rejects (a literal of the wrong type).
 *
 * A failure prints its seed; LEADSHIFT_DIFF_SEED=<seed> reproduces it, LEADSHIFT_DIFF_RUNS=<n> runs more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DescribedFields,
  describedFields,
  evaluateCondition,
  parseCondition,
} from '../../src/conditions/index.js';
import { UnreadableValue } from '../../src/conditions/types.js';
import { InputError } from '../../src/errors.js';
import type { FieldValue } from '../../src/model.js';
import { SfError } from '../org/errors.js';
import { runQuery } from '../org/soql.js';
import { type Rec, Store } from '../org/store.js';

const NOW = Date.parse('2024-05-15T12:00:00Z');
const seed = process.env.LEADSHIFT_DIFF_SEED ? Number(process.env.LEADSHIFT_DIFF_SEED) : undefined;
const numRuns = Number(process.env.LEADSHIFT_DIFF_RUNS) || 3000;

type Kind = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'id';
const FIELDS: Record<string, Kind> = {
  Company: 'text',
  Region__c: 'text',
  NumberOfEmployees: 'number',
  Score__c: 'number',
  IsUnreadByOwner: 'boolean',
  Seen__c: 'date',
  Touched__c: 'datetime',
  ConvertedDate: 'date',
  LastModifiedDate: 'datetime',
  Id: 'id',
};
const names = Object.keys(FIELDS);
const KNOWN_TYPED = new Set([
  'NumberOfEmployees',
  'Id',
  'IsUnreadByOwner',
  'ConvertedDate',
  'LastModifiedDate',
]);

const TEXTS = [
  'DE',
  'de',
  'Acme Corp',
  'acme corp',
  'Café',
  'CAFÉ',
  'café',
  "it's",
  'say "hi"',
  'a\\b',
  'line\nbreak',
  'tab\there',
  'a_b',
  '100%',
  ' x ',
];
const DATES = [
  '2024-05-15',
  '2024-05-14',
  '2024-04-01',
  '2024-01-01',
  '2023-12-31',
  '2024-07-01',
  '2025-02-28',
];
const TIMES = ['00:00:00', '11:59:59', '23:30:00'];
const OFFSETS = ['Z', '+02:00', '-08:00', '+00:00'];
const RELATIVE_PLAIN = [
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'THIS_WEEK',
  'LAST_WEEK',
  'NEXT_WEEK',
  'THIS_MONTH',
  'LAST_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
];
const RELATIVE_N = [
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'N_WEEKS_AGO',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'N_MONTHS_AGO',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'N_QUARTERS_AGO',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'N_YEARS_AGO',
];

const CONTROL: Record<string, string> = { '\n': '\\n', '\t': '\\t' };

/**
 * SOQL text: quotes and backslashes escaped; with `escapeAll`, double quotes as \" and every character
 * outside ASCII (and now and then a letter) as \uXXXX.
 */
const quote = (text: string, escapeAll: boolean) =>
  `'${[...text]
    .map((c) => {
      if (c === "'" || c === '\\') return `\\${c}`;
      if (CONTROL[c]) return CONTROL[c];
      if (escapeAll && c === '"') return '\\"';
      const code = c.charCodeAt(0);
      const unicode = escapeAll && (code > 127 || c === 'a');
      return unicode ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('')}'`;

const relative = fc.oneof(
  fc.constantFrom(...RELATIVE_PLAIN),
  fc.tuple(fc.constantFrom(...RELATIVE_N), fc.integer({ min: 0, max: 5 })).map(([n, k]) => `${n}:${k}`),
);

function literal(kind: Kind, ids: string[]): fc.Arbitrary<string> {
  switch (kind) {
    case 'text':
      return fc.tuple(fc.constantFrom(...TEXTS), fc.boolean()).map(([t, u]) => quote(t, u));
    case 'number':
      return fc.constantFrom('0', '5', '10', '250', '-1', '2.5', '-2.5', '7.25', '1000');
    case 'boolean':
      return fc.constantFrom('TRUE', 'FALSE', 'true', 'false', 'null');
    case 'date':
      return fc.oneof(fc.constantFrom(...DATES), relative);
    case 'datetime':
      // A plain date against a dateTime field is rejected by Salesforce; a CSV export cannot tell a
      // datetime column from a date one, so that case is left to the typed fields below.
      return fc.oneof(
        fc
          .tuple(fc.constantFrom(...DATES), fc.constantFrom(...TIMES), fc.constantFrom(...OFFSETS))
          .map(([d, t, z]) => `${d}T${t}${z}`),
        relative,
      );
    case 'id':
      return fc
        .tuple(fc.constantFrom(...ids), fc.boolean())
        .map(([id, short]) => `'${short ? id.slice(0, 15) : id}'`);
  }
}

/** A literal Salesforce rejects for the field's type. */
function wrongLiteral(kind: Kind): fc.Arbitrary<string> {
  const wrong: Record<Kind, string[]> = {
    text: ['5', 'TRUE', '2024-01-01'],
    number: ["'5'", 'TRUE', '2024-01-01'],
    boolean: ["'true'", '1', '2024-01-01'],
    date: ["'2024-01-01'", '2024-01-01T00:00:00Z', '5'],
    datetime: ['2024-01-01', "'2024-01-01T00:00:00Z'", 'TRUE'],
    id: ["'bogus'", '5', 'TRUE'],
  };
  return fc.constantFrom(...wrong[kind]);
}

const ORDER = ['=', '!=', '<', '<=', '>', '>='];

/** SOQL field names ignore case and may carry the object's name. */
const SPELLINGS: Array<(name: string) => string> = [
  (name) => name,
  (name) => name.toLowerCase(),
  (name) => `Lead.${name}`,
  (name) => `LEAD.${name.toUpperCase()}`,
];

/**
 * `csv`: wrong-typed literals only on fields whose type a Data Export implies (standard fields);
 * `salesforce`: the object's describe types every field, so on any field, and fields the object lacks.
 */
type Path = 'csv' | 'salesforce';

function comparison(ids: string[], path: Path): fc.Arbitrary<string> {
  const unknown = fc.constantFrom('NoSuch__c = 1', "Lead.Missing__c = 'x'", 'nosuchfield != null');
  const known = fc.tuple(fc.constantFrom(...names), fc.constantFrom(...SPELLINGS)).chain(([name, spell]) => {
    const kind = FIELDS[name] as Kind;
    const field = spell(name);
    const ops = kind === 'boolean' || kind === 'id' ? ['=', '!='] : ORDER;
    const options: fc.Arbitrary<string>[] = [
      fc
        .tuple(fc.constantFrom(...ops), literal(kind, ids))
        .map(([op, v]) =>
          ORDER.slice(2).includes(op) && v === 'null' ? `${field} = ${v}` : `${field} ${op} ${v}`,
        ),
      fc
        .tuple(fc.constantFrom('IN', 'NOT IN'), fc.array(literal(kind, ids), { minLength: 1, maxLength: 3 }))
        .map(([op, vs]) => `${field} ${op} (${vs.join(', ')})`),
      fc.constant(`${field} = null`),
      fc.constant(`${field} != null`),
    ];
    if (kind === 'text') {
      // \_ and \% match themselves; é and É differ only in case.
      const pattern = fc
        .array(fc.constantFrom('a', 'c', 'D', 'e', 'é', 'É', ' ', '%', '_', '\\_', '\\%', "\\'"), {
          maxLength: 5,
        })
        .map((p) => `${field} LIKE '${p.join('')}'`);
      options.push(pattern);
    }
    if (path === 'salesforce' || KNOWN_TYPED.has(name)) {
      options.push(wrongLiteral(kind).map((v) => `${field} = ${v}`));
      if (kind !== 'id') options.push(fc.constantFrom(`${field} LIKE '1%'`, `${field} LIKE 'T%'`));
    }
    return fc.oneof(...options);
  });
  if (path === 'csv') return known;
  return fc.oneof({ weight: 15, arbitrary: known }, { weight: 1, arbitrary: unknown });
}

function condition(ids: string[], path: Path): fc.Arbitrary<string> {
  const { node } = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison(ids, path),
      tie('node').map((inner) => `NOT (${inner})`),
      fc
        .tuple(fc.constantFrom(' AND ', ' OR '), fc.array(tie('node'), { minLength: 2, maxLength: 3 }))
        .map(([joiner, items]) => items.map((item) => `(${item})`).join(joiner)),
    ),
  }));
  return node;
}

const stamp = fc
  .tuple(fc.constantFrom(...DATES), fc.constantFrom(...TIMES))
  .map(([d, t]) => `${d}T${t}.000+0000`);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const record = fc.record({
  Company: maybe(fc.constantFrom(...TEXTS, 'Other', 'acme', 'a_b_c', '100% sure')),
  Region__c: maybe(fc.constantFrom(...TEXTS)),
  NumberOfEmployees: maybe(fc.integer({ min: -1, max: 300 })),
  Score__c: maybe(fc.constantFrom(0, 2.5, 5, 10, -1, 7.25)),
  IsUnreadByOwner: fc.boolean(),
  Seen__c: maybe(fc.constantFrom(...DATES, '2024-05-12', '2024-03-31', '2023-05-15')),
  Touched__c: maybe(stamp),
  ConvertedDate: maybe(fc.constantFrom(...DATES, '2024-05-12')),
  LastModifiedDate: stamp,
});

/** The record as the CSV source hands it to a condition: every value as text, nothing for null. */
function asCsv(rec: Rec): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const name of names) {
    const value = rec[name];
    const text = value === null || value === undefined ? '' : String(value);
    // The CSV source reads `Lead.Country` on Lead from the Country column (src/sources/csv-rows.ts).
    out[name.toLowerCase()] = text;
    out[`lead.${name.toLowerCase()}`] = text;
  }
  return out;
}

type Verdict = { rejected: true } | { rejected: false; ids: string[] };

/** leadshift's verdict; with `described`, as on the Salesforce path, where the describe types fields. */
function byLeadshift(text: string, recs: Rec[], described?: DescribedFields): Verdict {
  let parsed: ReturnType<typeof parseCondition>;
  try {
    parsed = parseCondition(text, { key: '--where' }, described);
  } catch (error) {
    if (error instanceof InputError) return { rejected: true };
    throw error;
  }
  const ids: string[] = [];
  for (const rec of recs) {
    try {
      if (evaluateCondition(parsed, asCsv(rec), { now: new Date(NOW) })) ids.push(String(rec.Id));
    } catch (error) {
      if (error instanceof UnreadableValue)
        throw new Error(`CSV could not read a value it wrote: ${error.message}`);
      throw error;
    }
  }
  return { rejected: false, ids: ids.sort() };
}

function byOrg(store: Store, text: string): Verdict {
  try {
    const run = runQuery(store, `SELECT Id FROM Lead WHERE ${text}`, { now: NOW });
    return { rejected: false, ids: run.rows.map((r) => String(r.Id)).sort() };
  } catch (error) {
    if (error instanceof SfError) return { rejected: true };
    throw error;
  }
}

function orgWith(recs: Array<Record<string, unknown>>): { store: Store; recs: Rec[] } {
  const store = new Store(() => new Date(NOW));
  store.defineFields('Lead', [
    'Region__c:string',
    'Score__c:double',
    'Hot__c:boolean',
    'Seen__c:date',
    'Touched__c:datetime',
  ]);
  // Read-only fields cannot be inserted; the org's records take them as an org's history would set them.
  const readOnly = ['ConvertedDate', 'LastModifiedDate'];
  const ids = store.insert(
    'Lead',
    recs.map((r) => ({
      ...Object.fromEntries(Object.entries(r).filter(([k]) => !readOnly.includes(k))),
      LastName: 'x',
    })),
  );
  const table = store.table('Lead');
  return {
    store,
    recs: ids.map((id, i) => {
      const rec = table.get(id) as Rec;
      for (const name of readOnly) if (name in (recs[i] ?? {})) rec[name] = (recs[i] as Rec)[name] ?? null;
      return rec;
    }),
  };
}

// A fresh test org numbers its leads the same way each time, so conditions can name their Ids.
const IDS = orgWith(Array.from({ length: 12 }, () => ({}))).recs.map((r) => String(r.Id));

/** The org's own describe of Lead, as leadshift reads it on the Salesforce path. */
function describedLead(store: Store): DescribedFields {
  const lead = store.describe('Lead');
  if (!lead) throw new Error('the test org has no Lead');
  return describedFields('Lead', [...lead.fields.values()]);
}

function agree(path: Path) {
  // Outcomes seen, so that a generator that stopped reaching a class of case fails here.
  const seen = { rejected: 0, none: 0, some: 0, all: 0 };
  fc.assert(
    fc.property(fc.array(record, { minLength: 3, maxLength: 12 }), condition(IDS, path), (plain, text) => {
      const { store, recs } = orgWith(plain);
      const mine = byLeadshift(text, recs, path === 'salesforce' ? describedLead(store) : undefined);
      const org = byOrg(store, text);
      expect({ condition: text, ...mine }).toEqual({ condition: text, ...org });
      if (mine.rejected) seen.rejected++;
      else if (mine.ids.length === 0) seen.none++;
      else seen[mine.ids.length === recs.length ? 'all' : 'some']++;
    }),
    { numRuns, seed },
  );
  if (process.env.LEADSHIFT_DIFF_RUNS) console.log(`differential outcomes (${path})`, seen);
  for (const count of Object.values(seen)) expect(count).toBeGreaterThan(numRuns / 50);
}

describe('leadshift and the test org agree on a condition', () => {
  const timeout = 30_000 + numRuns * 5;
  it(`on CSV rows: the same Ids, the same refusals (${numRuns} cases)`, () => agree('csv'), timeout);
  it(`on the Salesforce path, typed by describe (${numRuns} cases)`, () => agree('salesforce'), timeout);
});
