import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { decideOwner } from '../../src/plan/decide.js';
import { type Cell, cellMatches, parseCell, textOf } from '../../src/rules/strategies/territory-cells.js';
import { indexTerritories, rowMatches } from '../../src/rules/strategies/territory-index.js';
import {
  readTerritoryTable,
  type TerritoryRow,
  type TerritoryTable,
} from '../../src/rules/strategies/territory-table.js';
import type { RuleTrace } from '../../src/rules/types.js';
import { compile, contextOf, directoryOf, lead, queue, ruleSpec, user } from './builders.js';

const ana = user({ n: 1, username: 'ana@acme.com', email: 'ana@acme.com' });
const ben = user({ n: 2, username: 'ben@acme.com' });
const gone = user({ n: 3, username: 'gone@acme.com', isActive: false });
const hopper = queue({ n: 1, developerName: 'Hopper' });
const cases = queue({ n: 2, developerName: 'Cases', objects: ['Case'] });
const directory = directoryOf([ana, ben, gone], [hopper, cases]);
const folder = mkdtempSync(join(tmpdir(), 'leadshift-territory-'));

function tableFile(text: string, name = 'territories.csv'): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems.map((p) => `${p.line}:${p.column ?? ''} ${p.message}`);
}

async function rulesFor(text: string, known?: string[]) {
  const path = tableFile(text);
  const table = await readTerritoryTable(path, 'territories.csv');
  return compile([ruleSpec({ territory: path })], {
    directory,
    territories: new Map([[path, table]]),
    ...(known ? { knownFields: new Set(known) } : {}),
  });
}

describe('territory cells', () => {
  it.each([
    ['', 'x', true],
    ['', undefined, true],
    ['DE', 'de', true],
    ['DE', 'at', false],
    ['DE|AT', 'at', true],
    ['80*', '80331', true],
    ['80*', '70173', false],
    ['80*|DE', 'de', true],
    ['100..499', '250', true],
    ['100..499', '500', false],
    ['..499', '-3', true],
    ['500..', '500', true],
    ['2026-01-01..2026-06-30', '2026-06-30T23:00:00.000Z', true],
    ['2026-01-01..', '2025-12-31', false],
    ['DE', undefined, false],
    ['1..2', undefined, false],
  ] as const)('%s against %s: %s', (written, value, expected) => {
    const parsed = parseCell(written);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(cellMatches(parsed.cell, value)).toBe(expected);
  });

  it.each([
    ['..', 'open at both ends'],
    ['a..b', 'not a range of numbers or of dates'],
    ['5..1', 'starts after it ends'],
    ['1..2..3', 'is not a range'],
    ['DE||AT', 'empty alternative'],
    ['*', 'empty alternative'],
    ['8*0', '* inside a value'],
    ['2026-02-30..', 'not a range of numbers or of dates'],
  ])('refuses %s', (written, message) => {
    const parsed = parseCell(written);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('territory tables', () => {
  it('reads fields and owners, and names every malformed cell and empty owner by line and column', async () => {
    const good = await readTerritoryTable(
      tableFile('Country,PostalCode,Owner\nDE,80*,ana@acme.com\n,,ben@acme.com\n'),
      'territories.csv',
    );
    expect(good.fields).toEqual(['Country', 'PostalCode']);
    expect(good.rows.map((row) => [row.line, row.owner])).toEqual([
      [2, 'ana@acme.com'],
      [3, 'ben@acme.com'],
    ]);
    const bad = tableFile('Country,PostalCode,Owner\nDE,8*0,ana@acme.com\n..,,\n');
    expect(await problemsOf(readTerritoryTable(bad, 'territories.csv'))).toEqual([
      '2:PostalCode "8*0" has * inside a value',
      '3:Country ".." is open at both ends',
      '3:Owner is empty',
    ]);
  });

  it('refuses a row an earlier row covers entirely, naming both lines', async () => {
    const path = tableFile(
      'Country,PostalCode,NumberOfEmployees,Owner\nDE|AT,8*,,ana@acme.com\nDE,80*,100..200,ben@acme.com\nDE,9*,,ben@acme.com\n',
    );
    expect(await problemsOf(readTerritoryTable(path, 'territories.csv'))).toEqual([
      '3: can never match: line 2 comes first and matches every record this row matches',
    ]);
  });

  it('refuses a header without fields, or a column that is no field name', async () => {
    expect(await problemsOf(readTerritoryTable(tableFile('Owner\nana@acme.com\n'), 't.csv'))).toEqual([
      '1: the header names no field beside Owner',
    ]);
    expect(
      await problemsOf(readTerritoryTable(tableFile('Post code,Owner\n80*,ana@acme.com\n'), 't.csv')),
    ).toEqual(['1: "Post code" is not a field API name']);
  });
});

describe('territory rule', () => {
  it('gives the first matching row, exact, prefix and range cells together', async () => {
    const rules = await rulesFor(
      'Country,PostalCode,NumberOfEmployees,Owner\nDE,80*,500..,ana@acme.com\nDE,,,ben@acme.com\nUS,,,queue:Hopper\n',
    );
    const context = contextOf(directory);
    const owner = (fields: Record<string, string | number>) => {
      const decision = decideOwner(lead(fields), rules, context);
      return decision.kind === 'assign' ? decision.ownerId : decision.kind;
    };
    expect(owner({ Country: 'de', PostalCode: '80331', NumberOfEmployees: 900 })).toBe(ana.id);
    expect(owner({ Country: 'DE', PostalCode: '80331', NumberOfEmployees: 12 })).toBe(ben.id);
    expect(owner({ Country: 'US' })).toBe(hopper.id);
    expect(owner({ Country: 'FR' })).toBe('unassigned');
  });

  it('refuses unknown, inactive and wrong-object owners and unknown fields, each with its line', async () => {
    const text =
      'Country,Regoin__c,Owner\nDE,,nobody@acme.com\nAT,,gone@acme.com\nCH,,queue:Cases\nFR,,ana@acme.com\n';
    const error = await rulesFor(text, ['country']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems.map((p) => `${p.file} ${p.line} ${p.column}`);
    expect(problems).toEqual([
      'territories.csv 1 Regoin__c',
      'territories.csv 2 Owner',
      'territories.csv 3 Owner',
      'territories.csv 4 Owner',
    ]);
  });

  it('explains the matching row and why each earlier row did not match', async () => {
    const rules = await rulesFor(
      'Country,PostalCode,Owner\nDE,80*,ana@acme.com\nAT,,ana@acme.com\nDE,,ben@acme.com\n',
    );
    const trace: RuleTrace[] = [];
    decideOwner(lead({ Country: 'DE', PostalCode: '10115' }), rules, contextOf(directory), trace);
    expect(trace[0]?.detail).toBe(
      'ben@acme.com: line 4 matches (ben@acme.com); line 2: PostalCode "10115" is not 80*; line 3: Country "DE" is not AT',
    );
  });

  it('names the record whose value a range cannot read', async () => {
    const rules = await rulesFor('NumberOfEmployees,Owner\n..100,ana@acme.com\n');
    expect(() =>
      decideOwner(lead({ NumberOfEmployees: 'many', line: 7 }), rules, contextOf(directory)),
    ).toThrow(/line 7 of the export.*"many" is not a number/);
  });
});

/** Random tables over three columns with small alphabets, so that rows overlap and prefixes collide. */
const VALUES = ['a', 'ab', 'abc', 'b', 'ba', '1', '12', '5', '50'];
const cellText = fc.oneof(
  fc.constant(''),
  fc.constantFrom(...VALUES),
  fc.constantFrom(...VALUES).map((v) => `${v}*`),
  fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 2, maxLength: 3 }).map((vs) => vs.join('|')),
  fc
    .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }))
    .map(([x, y]) => `${Math.min(x, y)}..${Math.max(x, y)}`),
  fc.integer({ min: 0, max: 60 }).map((x) => `${x}..`),
);
const rowArb = fc.array(cellText, { minLength: 3, maxLength: 3 });
const valueArb = fc.option(fc.constantFrom(...VALUES, 'abd', 'c', '7', '49'), { nil: undefined });

function tableOf(written: string[][]): TerritoryTable {
  const rows: TerritoryRow[] = written.map((cells, i) => ({
    line: i + 2,
    owner: `owner${i}`,
    cells: cells.map((text) => {
      const parsed = parseCell(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.cell as Cell;
    }),
  }));
  return { label: 't.csv', fields: ['A', 'B', 'C'], rows };
}

/** The meaning of a table, stated plainly: the first row whose every cell matches. */
function naiveFirst(table: TerritoryTable, values: Array<string | undefined>): number {
  return table.rows.findIndex((row) => rowMatches(row, values));
}

describe('territory index (properties)', () => {
  it('finds the same first matching row as trying every row in order', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.array(valueArb, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 30 }),
        (written, records) => {
          const table = tableOf(written);
          const index = indexTerritories(table);
          for (const record of records) {
            // Range cells read numbers: give them only values a range can read, or none.
            const values = record.map((v) => textOf(v));
            const readable = (cell: Cell, v: string | undefined) =>
              cell.kind !== 'range' || v === undefined || /^\d+$/.test(v);
            const safe = table.rows.every((row) => row.cells.every((cell, i) => readable(cell, values[i])));
            if (!safe) continue;
            expect(index.first(values)).toBe(naiveFirst(table, values));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
