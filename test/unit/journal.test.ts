import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journalResults, openResultsJournal, readResults } from '../../src/journal/results.js';
import { readManifest } from '../../src/journal/run-manifest.js';

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

it('a run.json written before rules were tagged by strategy is tagged on reading, so its plan still applies', async () => {
  const runDir = join(dir, 'old-run');
  await mkdir(runDir);
  const rules = [
    { assign: { map: '/m.csv' } },
    { assign: { salesforceRules: true } },
    { assign: { keep: true } },
  ];
  await writeFile(join(runDir, 'run.json'), JSON.stringify({ runId: 'r', job: { rules } }));
  const manifest = await readManifest(runDir);
  expect(manifest?.job.rules.map((rule) => rule.assign.strategy)).toEqual(['map', 'salesforceRules', 'keep']);
  expect(manifest?.job.rules[0]?.assign).toMatchObject({ map: '/m.csv' });
});
