import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CsvRow, cellOf, openCsv } from '../../src/csv/read.js';
import { CsvFileWriter, csvLine, neutraliseFormula } from '../../src/csv/write.js';
import { InputError } from '../../src/errors.js';

let dir: string;
let count = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadshift-csv-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileOf(text: string): Promise<string> {
  const path = join(dir, `f${count++}.csv`);
  await writeFile(path, text, 'utf8');
  return path;
}

async function read(text: string, required: Array<string | string[]> = []) {
  const table = await openCsv(await fileOf(text), 'in.csv', { required });
  const rows: CsvRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { table, rows };
}

async function readError(text: string, required: Array<string | string[]> = []): Promise<InputError> {
  const error = await read(text, required).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

describe('openCsv', () => {
  it('drops a BOM and reads CRLF lines', async () => {
    const { table, rows } = await read('\uFEFFId,Name\r\n1,Ana\r\n2,Ben\r\n');
    expect(table.header).toEqual(['Id', 'Name']);
    expect(rows).toEqual([
      { line: 2, cells: ['1', 'Ana'] },
      { line: 3, cells: ['2', 'Ben'] },
    ]);
  });

  it('keeps quoted newlines, commas and quotes in a cell, and later line numbers stay right', async () => {
    const { rows } = await read('Id,Note\n1,"two\nlines"\n2,"a, ""b"""\n\n3,"x\r\ny\r\nz"\n4,end\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', 'two\nlines'],
      ['2', 'a, "b"'],
      ['3', 'x\r\ny\r\nz'],
      ['4', 'end'],
    ]);
    // Rows after multi-line cells keep their true line; a multi-line row itself is numbered by its last line.
    expect([rows[1]?.line, rows[3]?.line]).toEqual([4, 9]);
  });

  it('numbers each row by its first line, also after quoted CRLF newlines in a Windows export', async () => {
    const { rows } = await read(
      'Id,Street\r\n1,"Main St 1\r\nBack door\r\n"\r\n2,x\r\n3,"a\r\nb"\r\n4,y\r\n',
    );
    expect(rows.map((r) => [r.cells[0], r.line])).toEqual([
      ['1', 2],
      ['2', 5],
      ['3', 6],
      ['4', 8],
    ]);
  });

  it('looks columns up by header name in any case', async () => {
    const { table, rows } = await read('Id,OWNERID\n1,005\n');
    const row = rows[0] as CsvRow;
    expect(cellOf(table, row, 'ownerid')).toBe('005');
    expect(cellOf(table, row, 'OwnerId')).toBe('005');
    expect(cellOf(table, row, 'Missing')).toBe('');
  });

  it('trims padded cells and header names where they are read', async () => {
    const { table, rows } = await read('Id, Name \n 1 , Ana \n');
    const row = rows[0] as CsvRow;
    expect([cellOf(table, row, 'Id'), cellOf(table, row, 'Name')]).toEqual(['1', 'Ana']);
  });

  it('accepts any of the alternatives of a required column', async () => {
    await expect(read('OldOwnerId,NewOwnerId\n', [['from', 'OldOwnerId']])).resolves.toBeDefined();
  });

  it.each<[string, string, Array<string | string[]>, number | undefined, RegExp]>([
    ['a row with too many cells', 'Id,Name\n1,a\n2,b,c\n', [], 3, /3/],
    ['a row with too few cells', 'Id,Name\n1,"a\nb"\n2\n', [], 4, /1/],
    ['an unterminated quote', 'Id,Name\n1,a\n2,"b\n3,c\n', [], 3, /quote|Quote/],
    ['a stray quote inside a cell', 'Id,Name\n1,a\n2,b"c"\n', [], 3, /[Qq]uote/],
    [
      'a missing required column',
      'Id,Name\n1,a\n',
      ['OwnerId'],
      1,
      /no "OwnerId" column \(found: Id, Name\)/,
    ],
    ['a repeated column', 'Id,id\n1,a\n', [], 1, /column "id" appears twice/],
    ['an empty file', '', [], undefined, /the file is empty/],
  ])('reports %s as an InputError with the line', async (_what, text, required, line, message) => {
    const error = await readError(text, required);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.file).toBe('in.csv');
    expect(error.problems[0]?.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it('reports a file that does not exist', async () => {
    await expect(openCsv(join(dir, 'nope.csv'), 'nope.csv')).rejects.toThrow(/nope.csv: does not exist/);
  });
});

describe('CSV writer', () => {
  it.each([
    ['=SUM(A1:A3)', "'=SUM(A1:A3)"],
    ['+49 30 1234', "'+49 30 1234"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rCR', "'\rCR"],
    ['Ana', 'Ana'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
  });

  it('quotes commas, quotes and newlines in a line', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', '=1+1'])).toBe(
      '"a,b","say ""hi""","two\nlines",\'=1+1\n',
    );
  });

  it('round-trips commas, quotes and newlines through the reader', async () => {
    const path = join(dir, 'round.csv');
    const values = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'plain', 'ünïcödé, "quoted"'];
    const writer = await CsvFileWriter.create(path, ['Id', 'Value']);
    for (const [i, value] of values.entries()) await writer.write([String(i), value]);
    await writer.close();
    expect(writer.rows).toBe(values.length);
    const table = await openCsv(path, 'round.csv');
    const read: string[] = [];
    for await (const row of table.rows) read.push(cellOf(table, row, 'value'));
    expect(read).toEqual(values);
  });

  it('appends without a second header', async () => {
    const path = join(dir, 'append.csv');
    const first = await CsvFileWriter.create(path, ['Id']);
    await first.write(['1']);
    await first.close();
    const again = await CsvFileWriter.create(path, ['Id'], true);
    await again.write(['2']);
    await again.close();
    expect(await readFile(path, 'utf8')).toBe('Id\n1\n2\n');
  });
});
