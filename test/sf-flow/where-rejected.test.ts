/**
 * A condition the org would refuse is bad input (exit 2) naming the flag and the condition. leadshift
 * types --where and --exclude by the object's describe before it sends them, so an unknown field or a
 * literal of the wrong type for a custom field is refused before any query carries it; a path through a
 * relationship is not described, and Salesforce's own refusal of it is exit 2 as well.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, show, soqlOf, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);
const world = worldsOfThisFile();

async function planWhere(flag: '--where' | '--exclude', condition: string) {
  const w = await world({ leads: 3 });
  w.org.defineFields('Lead', ['Hot__c:boolean', 'Seen__c:date']);
  const before = w.requests().length;
  const args = ['plan', '--from', 'salesforce', '--owner', 'ana@acme.com', '--to', 'carla@acme.com'];
  const result = await w.run([...args, flag, condition, '--out', 'p']);
  const queries = soqlOf(w.requests().slice(before)).filter((q) => q.includes(condition));
  return { w, result, queries };
}

describe('conditions the org refuses are bad input', () => {
  test.each([
    ['--where', 'NoSuchField__c = 1', 'Lead has no field NoSuchField__c'],
    ['--where', "Hot__c = 'true'", "Hot__c holds TRUE or FALSE, and cannot be compared with text 'true'"],
    ['--exclude', 'Seen__c >= 2024-01-01T00:00:00Z', 'Seen__c holds a date'],
    ['--where', "Seen__c LIKE '2024%'", 'LIKE works on text, and Seen__c holds a date'],
  ] as const)(
    '%s "%s" is refused before it is sent',
    async (flag, condition, message) => {
      const { w, result, queries } = await planWhere(flag, condition);
      expect(result.code, show(result)).toBe(2);
      expect(result.stderr).toContain(`key ${flag}: ${message}`);
      expect(result.stderr).toContain(`"${condition}"`);
      expect(queries).toEqual([]);
      expect(await w.runDirs()).toEqual([]);
    },
    60_000,
  );

  test('a relationship field the org does not have is exit 2 with the condition named', async () => {
    const condition = 'Owner.NoSuchField__c = 1';
    const { w, result, queries } = await planWhere('--where', condition);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('INVALID_FIELD');
    expect(result.stderr).toContain(condition);
    expect(result.stderr).toContain('--where');
    expect(queries.length).toBeGreaterThan(0);
    expect(await w.runDirs()).toEqual([]);
  }, 60_000);

  test('described types accept what the org accepts', async () => {
    const w = await world({ leads: 4 });
    w.org.defineFields('Lead', ['Hot__c:boolean', 'Seen__c:date']);
    const [first = ''] = w.leads;
    w.org.setField('Lead', first, 'Hot__c', true);
    w.org.setField('Lead', first, 'Seen__c', '2024-03-01');
    expect(w.owner(first)).toBe(w.people.ana);
    const args = ['plan', '--from', 'salesforce', '--owner', 'ana@acme.com', '--to', 'carla@acme.com'];
    const where = 'Hot__c = TRUE AND Lead.Seen__c >= 2024-01-01';
    const result = await w.run([...args, '--where', where, '--out', 'p']);
    expect(result.code, show(result)).toBe(0);
    expect((await w.plan(w.path('p'))).map((r) => String(r.Id))).toEqual([first]);
  }, 60_000);
});
