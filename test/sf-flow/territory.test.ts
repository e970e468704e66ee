/**
 * A territory table against the org: its columns are checked against the object's describe (through
 * lookups too) before any record is read, and only the table's fields are selected.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, show, soqlOf, worldsOfThisFile } from './helpers.js';

beforeAll(assertBuilt);
const world = worldsOfThisFile();
const args = ['plan', '--from', 'salesforce', '--owner', 'ana@acme.com', '--job', 'job.yml', '--out', 'p'];
const JOB = 'object: Lead\nrules:\n  - assign: { territory: territories.csv }\n';

describe('territory tables on Salesforce', () => {
  test('a column the object does not have is refused at the table, before the records are read', async () => {
    const w = await world({ leads: 3 });
    await w.write('job.yml', JOB);
    await w.write('territories.csv', 'Country,Regoin__c,Owner\nUS,EU,carla@acme.com\n');
    const before = w.requests().length;
    const result = await w.run(args);
    expect(result.code, show(result)).toBe(2);
    expect(result.stderr).toContain('territories.csv, line 1, column Regoin__c');
    expect(soqlOf(w.requests().slice(before)).filter((q) => q.includes('FROM Lead'))).toEqual([]);
    expect(await w.runDirs()).toEqual([]);
  }, 60_000);

  test('reads the fields the table names, and gives each lead its row', async () => {
    const w = await world({ leads: 3, ownerOf: (_, people) => people.ana });
    const [first = '', second = ''] = w.leads;
    w.org.setField('Lead', first, 'Country', 'DE');
    w.org.setField('Lead', second, 'Country', 'US');
    w.org.setField('Lead', second, 'NumberOfEmployees', 900);
    await w.write('job.yml', JOB);
    await w.write(
      'territories.csv',
      'Country,NumberOfEmployees,Owner\nde,,carla@acme.com\nUS,500..,ben@acme.com\n',
    );
    const before = w.requests().length;
    const result = await w.run(args);
    expect(result.code, show(result)).toBe(0);
    const select =
      soqlOf(w.requests().slice(before)).find((q) => /^SELECT Id\b/i.test(q) && / FROM Lead /.test(q)) ?? '';
    expect(select.toLowerCase()).toContain('country');
    expect(select.toLowerCase()).toContain('numberofemployees');
    expect(select).not.toMatch(/Company|LastName/);
    expect(result.stdout).toMatch(/ana@acme.com\s+→\s+carla@acme.com\s+1\s+territory territories.csv/);
    expect(result.stdout).toMatch(/ana@acme.com\s+→\s+ben@acme.com\s+1\s+territory territories.csv/);
  }, 60_000);
});
