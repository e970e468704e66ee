/**
 * A CSV apply killed between writing update.csv and journalling results.csv: the resume must not give
 * Data Loader a second row for an Id.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, csvArgs, ids, readCsvFile, removeTempDirs, show, Workspace } from './helpers.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

it('a resume after a kill that left update.csv ahead of results.csv adds no duplicate Ids', async () => {
  const ws = await Workspace.create();
  const { ana } = ws.people;
  await ws.standard(Array.from({ length: 6 }, (_, i) => ({ id: ids.lead(i + 1), ownerId: ana })));
  const plan = await ws.run([
    'plan',
    ...csvArgs(['--owner', 'ana@acme.com', '--to', 'ben@acme.com']),
    '--out',
    'p',
  ]);
  expect(plan.code, show(plan)).toBe(0);
  const applied = await ws.run(['apply', 'p', '--home', 'home']);
  expect(applied.code, show(applied)).toBe(0);
  // What a kill -9 after the update file's flush and before the journal's leaves behind.
  await writeFile(join(ws.dir, 'p', 'results.csv'), 'Id,OldOwnerId,NewOwnerId,Status,Error\n');
  const resumed = await ws.run(['apply', 'p', '--home', 'home']);
  expect(resumed.code, show(resumed)).toBe(0);
  const update = (await readCsvFile(join(ws.dir, 'p', 'update.csv'))).rows.map((r) => r.Id);
  expect(update).toHaveLength(6);
  expect(new Set(update).size).toBe(6);
  const results = (await readCsvFile(join(ws.dir, 'p', 'results.csv'))).rows;
  expect(results.map((r) => r.Status)).toEqual(Array(6).fill('updated'));
});
