import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, resumeResults } from '../../src/journal/results.js';
import { WriteJournal } from '../../src/journal/write-journal.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadshift-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('results.csv as a resumed apply starts from it', () => {
  it('keeps the last row of each Id, and drops the failures that can pass so they are tried again', async () => {
    const header = 'Id,OldOwnerId,NewOwnerId,Status,Error\n';
    await writeFile(
      join(dir, 'results.csv'),
      header +
        'A,o,n,failed,UNABLE_TO_LOCK_ROW: busy\n' +
        'B,o,n,failed,FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required\n' +
        'C,o,n,failed,CANNOT_UPDATE_CONVERTED_LEAD: converted\n' +
        'D,o,n,updated,\n' +
        'A,o,n,updated,\n' +
        "E,o,n,skipped,'=not a formula\n",
    );
    const done = await resumeResults(dir);
    const statuses = (of: typeof done) => ['A', 'B', 'C', 'D', 'E'].map((id) => of.get(id));
    expect(statuses(done)).toEqual(['updated', undefined, 'failed', 'updated', 'skipped']);
    expect(await readFile(join(dir, 'results.csv'), 'utf8')).toBe(
      header +
        'C,o,n,failed,CANNOT_UPDATE_CONVERTED_LEAD: converted\n' +
        'D,o,n,updated,\n' +
        'A,o,n,updated,\n' +
        "E,o,n,skipped,'=not a formula\n",
    );
    expect(statuses(await readResults(dir))).toEqual(statuses(done));
  });
});

describe('the write journal', () => {
  it('remembers what was sent and which Bulk jobs exist, across opens, and ignores a line torn by a kill', async () => {
    const runDir = await mkdtemp(join(dir, 'run-'));
    const journal = await WriteJournal.open(runDir);
    expect(journal.mayHaveWritten('A')).toBe(false);
    await journal.sending(['A', 'B']);
    await journal.bulkJob({ job: '750x', object: 'Lead', ids: ['C'] });
    await writeFile(
      join(runDir, 'writes.jsonl'),
      `${await readFile(join(runDir, 'writes.jsonl'), 'utf8')}{"sent":["D`,
    );
    const reopened = await WriteJournal.open(runDir);
    expect(['A', 'B', 'C', 'D'].map((id) => reopened.mayHaveWritten(id))).toEqual([true, true, true, false]);
    expect(reopened.jobs()).toEqual([{ job: '750x', object: 'Lead', ids: ['C'] }]);
    await reopened.sending(['E']);
    expect((await WriteJournal.open(runDir)).mayHaveWritten('E')).toBe(true);
  });
});
