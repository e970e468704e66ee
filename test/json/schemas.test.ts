/**
 * Every command's --json output is one envelope whose `result` matches its pinned schema in schemas/:
 * plan, run --dry-run, run --yes, apply, undo, owners and runs on the demo CSV files, plan with
 * --target-org against the test org, and failures (bad input, a wrong sf alias, no sf login at all).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { jsonSchemaOf, RESULT_SHAPES } from '../../schemas/result-shapes.js';
import { cleanUp, cli, demoCopy, inProcess, show, smallOrg, tempDir } from '../operator/helpers.js';
import { assertBuilt } from '../support/cli.js';
import { failureOf, resultOf } from '../support/envelope.js';
import { makeSfHome } from '../support/sf-home.js';

beforeAll(assertBuilt);
afterAll(cleanUp);

type SchemaFile = keyof typeof RESULT_SHAPES;

function expectShape(file: SchemaFile, value: unknown): void {
  const parsed = (RESULT_SHAPES[file] as z.ZodType).safeParse(value);
  expect(parsed.success, `${file}: ${JSON.stringify(parsed.error?.issues, null, 2)}`).toBe(true);
}

describe('schemas/', () => {
  it('holds the JSON Schema of each shape, as generated (run scripts/write-schemas.ts after a change)', async () => {
    for (const [file, shape] of Object.entries(RESULT_SHAPES)) {
      const pinned = JSON.parse(await readFile(join(import.meta.dirname, '../../schemas', file), 'utf8'));
      expect(pinned, file).toEqual(jsonSchemaOf(shape));
    }
  });
});

describe('every command under --json', () => {
  it('CSV: plan, run --dry-run, apply, undo, run --yes, owners, runs', { timeout: 120_000 }, async () => {
    const dir = await demoCopy();
    const step = async (args: string[], file: SchemaFile) => {
      const out = await inProcess(dir, [...args, '--home', 'h', '--json'], { stdinIsTty: false });
      expect(out.code, `${args.join(' ')}: ${out.stdout}`).toBe(0);
      const result = resultOf<{ counts: Record<string, number> }>(out.stdout);
      expectShape(file, result);
      // `jq .result.counts` works for every command.
      expect(typeof result.counts).toBe('object');
      return result;
    };
    const plan = await step(['plan', '--job', 'job.yml', '--out', 'p'], 'plan.result.json');
    expect(plan.counts.changes).toBe(737);
    await step(['run', '--job', 'job.yml', '--dry-run'], 'run.result.json');
    expect((await step(['apply', 'p'], 'apply.result.json')).counts.updated).toBe(737);
    await step(['undo', 'p', '--yes'], 'undo.result.json');
    await step(['run', '--job', 'job.yml', '--yes'], 'run.result.json');
    expect((await step(['owners', '--job', 'job.yml'], 'owners.result.json')).counts.uncovered).toBe(2);
    expect((await step(['runs'], 'runs.result.json')).counts.runs).toBe(3);
  });

  it('bad input: a failure envelope naming file and line in data, and what to do in actions', async () => {
    const dir = await demoCopy();
    const out = await inProcess(dir, ['plan', '--job', 'job.yml', '--map', 'users.csv', '--json']);
    expect(out.code, out.stdout).toBe(2);
    const doc = failureOf(out.stdout);
    expectShape('failure.json', doc);
    expect(doc.name).toBe('InputError');
    expect(doc.data.problems?.[0]?.file).toMatch(/users\.csv/);
    expect(doc.actions.length).toBeGreaterThan(0);
  });
});

describe('--target-org against the test org', () => {
  it('plan -o ALIAS with a lapsed stored session: renewed, and a planResult', {
    timeout: 150_000,
  }, async () => {
    const o = await smallOrg({ leads: 6 });
    const sf = await makeSfHome();
    await sf.addLogin({
      alias: 'emu',
      username: o.org.credentials.username,
      instanceUrl: o.org.url,
      orgId: o.org.orgId,
      accessToken: `${o.org.orgId.slice(0, 15)}!ARlapsed${'y'.repeat(60)}`,
      refreshToken: o.org.issueRefreshToken(),
    });
    const dir = await tempDir();
    const args = [
      'plan',
      '-o',
      'emu',
      '--from',
      'salesforce',
      '--owner',
      'ana@acme.com',
      '--to',
      'ben@acme.com',
    ];
    const out = await cli(dir, [...args, '--json'], { ...sf.env, SF_API_VERSION: '62.0' });
    expect(out.code, show(out)).toBe(0);
    const result = resultOf<{ target: string; counts: { changes: number } }>(out.stdout);
    expectShape('plan.result.json', result);
    expect(result).toMatchObject({ target: 'salesforce', counts: { changes: 3 } });

    // Exit 3, some records failed: status 3, and the result is still there.
    const planned = await cli(dir, [...args, '--out', 'p'], sf.env);
    expect(planned.code, show(planned)).toBe(0);
    o.org.faults.lockRecords([o.leads[0] ?? ''], 10_000);
    const applied = await cli(dir, ['apply', 'p', '--json'], sf.env);
    expect(applied.code, show(applied)).toBe(3);
    const partial = resultOf<{ status: string; counts: { updated: number; failed: number } }>(
      applied.stdout,
      3,
    );
    expectShape('apply.result.json', partial);
    expect(partial).toMatchObject({ status: 'partial', counts: { updated: 2, failed: 1 } });
  });

  it('--org is the older spelling of --target-org', async () => {
    const sf = await makeSfHome();
    const out = await cli(
      await tempDir(),
      ['owners', '--org', 'old', '--from', 'salesforce', '--json'],
      sf.env,
    );
    expect(out.code, show(out)).toBe(2);
    expect(failureOf(out.stdout).actions).toContain('sf org login web --alias old');
  });

  it('a wrong alias: exit 2, the sf login command in the message and in actions', async () => {
    const sf = await makeSfHome();
    const dir = await tempDir();
    const out = await cli(
      dir,
      [
        'plan',
        '--target-org',
        'nope',
        '--from',
        'salesforce',
        '--inactive-owners',
        '--to',
        'x@y.z',
        '--json',
      ],
      sf.env,
    );
    expect(out.code, show(out)).toBe(2);
    const doc = failureOf(out.stdout);
    expect(doc.message).toContain('sf org login web --alias nope');
    expect(doc.actions).toContain('sf org login web --alias nope');
    expect(out.stderr).toContain('sf org login web --alias nope');
  });

  it('no credentials and no sf config: exit 2, naming the login that sets a default org', async () => {
    const sf = await makeSfHome();
    const dir = await tempDir();
    const out = await cli(
      dir,
      ['plan', '--from', 'salesforce', '--inactive-owners', '--to', 'x@y.z', '--json'],
      sf.env,
    );
    expect(out.code, show(out)).toBe(2);
    const doc = failureOf(out.stdout);
    expect(doc.message).toContain('the Salesforce CLI has no default org');
    expect(doc.actions).toContain('sf org login web --alias myorg --set-default');
  });
});
