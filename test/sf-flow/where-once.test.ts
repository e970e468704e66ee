/**
 * On Salesforce input a condition has one evaluator, Salesforce: leadshift sends it in the query and
 * plans exactly the records the org returned, never filtering them again locally. A 15-character Id
 * literal (valid SOQL) once dropped every record here; --where and --exclude must agree as well.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, show, soqlOf, type World, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);

const world = worldsOfThisFile();

async function planWith(w: World, out: string, extra: string[]): Promise<string[]> {
  const args = ['plan', '--from', 'salesforce', '--owner', 'ana@acme.com', '--to', 'carla@acme.com'];
  const result = await w.run([...args, '--out', out, ...extra]);
  expect(result.code, show(result)).toBe(0);
  return (await w.plan(w.path(out))).map((r) => String(r.Id)).sort();
}

describe('conditions on Salesforce input are evaluated by Salesforce alone', () => {
  test('15-character Id literals in --where and --exclude select what the org selects', async () => {
    const w = await world({ leads: 8 });
    const ana = w.people.ana;
    const anas = w.org
      .records('Lead')
      .filter((r) => r.OwnerId === ana)
      .map((r) => String(r.Id))
      .sort();
    expect(anas.length).toBeGreaterThan(1);
    const [first = '', ...others] = anas;
    const where = await planWith(w, 'w', ['--where', `OwnerId = '${ana.slice(0, 15)}'`]);
    expect(where).toEqual(anas);
    const exclude = await planWith(w, 'x', ['--exclude', `Id = '${first.slice(0, 15)}'`]);
    expect(exclude).toEqual(others);
    const sent = soqlOf(w.requests()).filter((q) => /FROM Lead WHERE/.test(q) && !q.includes('COUNT('));
    expect(sent.some((q) => q.includes(`OwnerId = '${ana.slice(0, 15)}'`))).toBe(true);
  }, 120_000);

  test("a condition Salesforce would reject is refused before any request: Id = 'bogus' is exit 2", async () => {
    const w = await world({ leads: 2 });
    const before = w.requests().length;
    const result = await w.run([
      'plan',
      '--from',
      'salesforce',
      '--where',
      "Id = 'bogus'",
      '--to',
      'ben@acme.com',
    ]);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain("'bogus' is not a Salesforce Id");
    expect(w.requests().length).toBe(before);
  }, 60_000);
});
