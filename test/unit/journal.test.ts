import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journalResults, openResultsJournal, readResults } from '../../src/journal/results.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadshift-journal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a record torn by a kill mid-write is dropped, and the journal carries on after the last whole one', async () => {
  const path = join(dir, 'results.csv');
  const whole =
    'Id,OldOwnerId,NewOwnerId,Status,Error\nA,o,n,updated,\nB,o,n,failed,"UNABLE_TO_LOCK_ROW: two\nlines"\n';
  await writeFile(path, `${whole}C,o,n,upd`);
  const done = await readResults(dir);
  expect([done.size, done.get('A'), done.get('B'), done.has('C')]).toEqual([2, 'updated', 'failed', false]);
  expect(await readFile(path, 'utf8')).toBe(whole);
  const journal = await openResultsJournal(dir);
  await journalResults(journal, [
    { id: 'C', oldOwnerId: 'o', newOwnerId: 'n', status: 'updated', error: '' },
  ]);
  await journal.close();
  expect(await readFile(path, 'utf8')).toBe(`${whole}C,o,n,updated,\n`);
});
