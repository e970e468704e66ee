import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOME_FILES, RUN_FILES, runFile, updateFileOf } from '../../src/journal/run-files.js';
import { commitTurns, readTurns, snapshotTurns, writePlannedTurns } from '../../src/journal/turns.js';
import { ownerVerdict } from '../../src/sinks/owner-check.js';
import { estimateCalls } from '../../src/sinks/write-api.js';

const change = {
  id: '00Q000000000001AAA',
  oldOwnerId: '005000000000001AAA',
  newOwnerId: '005000000000002AAA',
  rule: 'r',
  oldOwner: 'ana',
  newOwner: 'ben',
  stamps: {},
  object: 'Lead',
};

describe('ownerVerdict', () => {
  it('writes while the owner is the planned old owner, skips once it moved, and knows a finished write', () => {
    expect(ownerVerdict(change, change.oldOwnerId)).toEqual({ kind: 'write' });
    expect(ownerVerdict(change, change.newOwnerId, true)).toEqual({ kind: 'already' });
    expect(ownerVerdict(change, change.oldOwnerId, true)).toEqual({ kind: 'write' });
    expect(ownerVerdict(change, '005000000000009AAA')).toEqual({
      kind: 'skip',
      error: `the owner is now 005000000000009AAA, not the planned ${change.oldOwnerId}`,
    });
  });

  it('a record already owned by the new owner is skipped unless this run may have written it', () => {
    expect(ownerVerdict(change, change.newOwnerId)).toEqual({
      kind: 'skip',
      error: `the owner is already ${change.newOwnerId}, set by someone else since the plan`,
    });
    expect(ownerVerdict(change, '005000000000009AAA', true)).toMatchObject({ kind: 'skip' });
  });

  it("a record left to Salesforce's rules counts as written, once sent, whatever owner the rules chose", () => {
    const byRules = { ...change, newOwnerId: '' };
    expect(ownerVerdict(byRules, '005000000000009AAA', true)).toEqual({ kind: 'already' });
    expect(ownerVerdict(byRules, '005000000000009AAA')).toMatchObject({ kind: 'skip' });
  });
});

describe('estimateCalls', () => {
  it('REST: per window of 2,000, one owner read, then one composite call per step of PATCHes', () => {
    // Batch size 50: three PATCHes of 50 per call beside their reads; 200: two PATCHes of 200.
    expect(estimateCalls(400, { api: 'rest', batchSize: 50 })).toBe(4);
    expect(estimateCalls(400, { api: 'rest', batchSize: 200 })).toBe(2);
    expect(estimateCalls(401, { api: 'rest', batchSize: 200 })).toBe(3);
    expect(estimateCalls(2000, { api: 'rest', batchSize: 200 })).toBe(6);
    expect(estimateCalls(2001, { api: 'rest', batchSize: 200 })).toBe(8);
    expect(estimateCalls(0, { api: 'rest', batchSize: 200 })).toBe(0);
  });

  it('Bulk: one ingest job and one owner-history page per window, owner reads by Id up to 2,000 records and by one Bulk query above', () => {
    expect(estimateCalls(400, { api: 'bulk', batchSize: 200 })).toBe(9);
    expect(estimateCalls(50_000, { api: 'bulk', batchSize: 200 })).toBe(11);
  });
});

describe('run files and turns', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names each file once', () => {
    expect(runFile('/r', 'results')).toBe('/r/results.csv');
    expect(updateFileOf('Contact')).toBe('update-Contact.csv');
    expect(HOME_FILES.turns).toBe('turns.json');
    expect(new Set(Object.values(RUN_FILES)).size).toBe(Object.keys(RUN_FILES).length);
  });

  it('committing a plan adds its moves onto the turns other plans applied meanwhile', async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadshift-turns-'));
    const home = join(dir, 'home');
    const turns = await readTurns(home);
    expect(turns.size).toBe(0);
    const start = snapshotTurns(new Map([['k', [0, 0]]]));
    const runA = join(dir, 'a');
    const runB = join(dir, 'b');
    await writePlannedTurns(runA, start, new Map([['k', [1, -1]]]));
    await writePlannedTurns(runB, start, new Map([['k', [-1, 1]]]));
    await commitTurns(runA, home);
    await commitTurns(runB, home);
    expect(JSON.parse(await readFile(join(home, HOME_FILES.turns), 'utf8'))).toEqual({ k: [0, 0] });
    expect((await readTurns(home)).get('k')).toEqual([0, 0]);
  });
});
