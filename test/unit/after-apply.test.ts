import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toId18 } from '../../src/ids.js';
import { writeAfterApplyFiles } from '../../src/journal/after-apply.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadshift-after-apply-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OLD = '005000000000001AAA';
const NEW = '005000000000002AAA';
const RULES = '005000000000003AAA';
const lead = (n: number) => `00Q0000000000${String(n).padStart(2, '0')}`;

it('reverses what the last results.csv row of each record says, retried rows out of plan order included', async () => {
  const plan = [
    'Id,OldOwnerId,NewOwnerId,Rule,OldOwner,NewOwner',
    ...[1, 2, 3, 4, 5].map((n) => `${lead(n)},${OLD},${n >= 4 ? '' : NEW},r,old,new`),
  ];
  await writeFile(join(dir, 'plan.csv'), `${plan.join('\n')}\n`);
  const results = [
    'Id,OldOwnerId,NewOwnerId,Status,Error',
    // 1 written then failed on a retry; 2 failed then written on a retry; 3 written once; 4 and 5 given
    // by assignment rules, which chose RULES: 4 written, 5 moved by the org after.
    `${lead(1)},${OLD},${NEW},updated,`,
    `${lead(2)},${OLD},${NEW},failed,"UNABLE_TO_LOCK_ROW: locked, retry"`,
    `${lead(3)},${OLD},${NEW},updated,`,
    `${lead(4)},${OLD},${RULES},updated,`,
    `${lead(5)},${OLD},${RULES},overridden,`,
    `${lead(2)},${OLD},${NEW},updated,`,
    `${lead(1)},${OLD},${NEW},failed,no`,
  ];
  await writeFile(join(dir, 'results.csv'), `${results.join('\n')}\n`);
  await writeAfterApplyFiles(dir, 'plan.csv', { object: 'Lead', runId: 'R1' });
  const undo = (await readFile(join(dir, 'undo.csv'), 'utf8')).trim().split('\n');
  expect(undo).toEqual([
    'Id,OldOwnerId,NewOwnerId,Rule,OldOwner,NewOwner',
    `${toId18(lead(2))},${NEW},${OLD},undo R1,new,old`,
    `${toId18(lead(3))},${NEW},${OLD},undo R1,new,old`,
    `${toId18(lead(4))},${RULES},${OLD},undo R1,new,old`,
  ]);
  const digest = (await readFile(join(dir, 'digest.csv'), 'utf8')).trim().split('\n');
  expect(digest).toEqual([
    'NewOwnerId,NewOwner,Object,Rule,Records',
    `${NEW},new,Lead,r,2`,
    `${RULES},new,Lead,r,1`,
  ]);
});
