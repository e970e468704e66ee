/**
 * Runs every case of the bad-input corpus (cases.ts) against the built binary: exit 2, the place and
 * the value on stderr, and the working folder (with HOME inside it) exactly as it was, byte for byte.
 */

import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, show } from '../../support/cli.js';
import { listTree, removeTempDirs } from '../../support/files.js';
import { assertBuilt, ids, Workspace } from '../helpers.js';
import { CORPUS, type CorpusCase, type FileSpec, HEADER } from './cases.js';

beforeAll(assertBuilt);
afterAll(removeTempDirs);

function fill(ws: Workspace, text: string): string {
  const p = ws.people;
  const lead = (n: number) => ids.lead(n);
  const rows = [
    [lead(1), p.ana],
    [lead(2), p.dan],
    [lead(3), p.ben],
    [lead(4), p.ana],
  ]
    .map(([id, owner]) => `${id},${owner},Acme,US,10,false,false,2026-01-01T00:00:00Z,x@y.z\n`)
    .join('');
  const values: Record<string, string> = {
    ...p,
    hopper: ws.queues.hopper,
    lead1: lead(1),
    lead2: lead(2),
    lead3: lead(3),
    lead4: lead(4),
    lead2_15: lead(2).slice(0, 15),
    lead9: lead(9),
    lead9bad: `${lead(9).slice(0, 15)}ZZZ`,
    account1: ids.account(1),
    nobody: ids.user(99),
    HEADER,
    ROWS: rows,
  };
  return text.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

async function place(ws: Workspace, name: string, spec: FileSpec): Promise<void> {
  const path = ws.path(name);
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true, recursive: true });
  if (typeof spec === 'string') await writeFile(path, fill(ws, spec));
  else if ('dir' in spec) await mkdir(path, { recursive: true });
  else if ('symlinkTo' in spec) await symlink(spec.symlinkTo, path);
  else await writeFile(path, Buffer.from(spec.bytes));
}

/** Every path under `dir` with a digest of its content: a write anywhere changes it. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await listTree(dir)) {
    const path = join(dir, rel);
    const st = await lstat(path);
    const digest = st.isFile()
      ? createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
      : '';
    out.push(`${rel} ${st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : digest} ${st.mode}`);
  }
  return out;
}

async function prepare(c: CorpusCase): Promise<{ ws: Workspace; args: string[] }> {
  const ws = await Workspace.create();
  await ws.users();
  await ws.queueFile();
  await ws.write('leads.csv', fill(ws, `${HEADER}\n{ROWS}`));
  await mkdir(ws.path('userhome'), { recursive: true });
  for (const [name, spec] of Object.entries(c.files ?? {})) await place(ws, name, spec);
  return { ws, args: c.args.map((a) => fill(ws, a)) };
}

async function check(c: CorpusCase): Promise<void> {
  const { ws, args } = await prepare(c);
  const before = await snapshot(ws.dir);
  const result = await runCli(ws.dir, args, { HOME: ws.path('userhome') });
  expect(result.code, show(result)).toBe(2);
  for (const m of c.mentions) {
    const want = typeof m === 'string' ? fill(ws, m) : m;
    if (typeof want === 'string') expect(result.stderr, show(result)).toContain(want);
    else expect(result.stderr, show(result)).toMatch(want);
  }
  expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(await snapshot(ws.dir), 'nothing written anywhere').toEqual(before);
}

describe('the corpus', () => {
  it('holds at least 100 cases with distinct names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });
});

describe.concurrent('bad input corpus: exit 2, place and value named, nothing written', {
  timeout: 60_000,
}, () => {
  for (const c of CORPUS) {
    if (c.knownBug) it.fails(`${c.name} (known: ${c.knownBug})`, () => check(c));
    else it(c.name, () => check(c));
  }
});
