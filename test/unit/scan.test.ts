import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCsvColumns } from '../../src/csv/scan.js';
import { InputError } from '../../src/errors.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadshift-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function scan(text: string | Buffer, wanted?: number[], chunkBytes?: number) {
  const path = join(dir, `f${files++}.csv`);
  await writeFile(path, text);
  const records = parse(typeof text === 'string' ? text : text.toString('utf8'), {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
  }) as string[][];
  const width = records[0]?.length ?? 0;
  const rows: Array<{ line: number; cells: string[] }> = [];
  for await (const batch of scanCsvColumns(
    path,
    'in.csv',
    width,
    wanted ?? [...Array(width).keys()],
    chunkBytes,
  ))
    rows.push(...batch);
  return rows;
}

async function scanError(text: string): Promise<InputError> {
  try {
    await scan(text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    'a,b',
    'say "hi"',
    'two\nlines',
    'crlf\r\ninside',
    'Zoë Ångström',
    '=SUM(A1)',
    ' padded ',
  ),
);

describe('scanCsvColumns', () => {
  it('reads exactly what csv-parse reads, for any table written by csv-stringify, across chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((width) =>
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 30 }),
          ),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 8, max: 64 }),
        async (table, eol, chunkBytes) => {
          const text = stringify(table, {
            record_delimiter: eol === '\n' ? 'unix' : 'windows',
            quoted_match: /[\r\n]/,
          });
          const expected = parse(text, { bom: true }) as string[][];
          const rows = await scan(text, undefined, chunkBytes);
          expect(rows.map((row) => row.cells)).toEqual(expected.slice(1));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps only the wanted columns, in the order asked', async () => {
    const rows = await scan('Id,Name,OwnerId\n1,Ana,005\n2,"B, c",006\n', [2, 0]);
    expect(rows).toEqual([
      { line: 2, cells: ['005', '1'] },
      { line: 3, cells: ['006', '2'] },
    ]);
  });

  it('numbers rows by their first line, after quoted line breaks, and skips a BOM and blank lines', async () => {
    const rows = await scan(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('Id,Note\r\n1,"a\r\nb"\r\n\r\n2,x\r\n\n3,y'),
      ]),
    );
    expect(rows.map((row) => [row.line, ...row.cells])).toEqual([
      [2, '1', 'a\r\nb'],
      [5, '2', 'x'],
      [7, '3', 'y'],
    ]);
  });

  it.each([
    ['an unterminated quote', 'Id,Name\n1,a\n2,"b\n3,c\n', 3, /never closed/],
    [
      'a stray quote inside an unquoted cell',
      'Id,Name\n1,a\n2,b"c"\n',
      3,
      /quote inside a cell that is not quoted/,
    ],
    ['text after a closing quote', 'Id,Name\n1,"a"b\n', 2, /followed by more text/],
    ['a row with too many cells', 'Id,Name\n1,a\n2,b,c\n', 3, /has 3 cells but the header has 2/],
    ['a row with too few cells', 'Id,Name\n1,a\n2\n', 3, /has 1 cells but the header has 2/],
  ])('reports %s with the line', async (_what, text, line, message) => {
    const error = await scanError(text);
    expect(error.problems[0]).toMatchObject({ file: 'in.csv', line });
    expect(error.message).toMatch(message);
  });
});
