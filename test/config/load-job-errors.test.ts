import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Expected, expectProblem, loadError, makeTempDir, type TempDir } from './job-files.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.remove());

const SELECT = 'select: { inactiveOwners: true }';

interface Case {
  name: string;
  yaml: string;
  expected: Expected;
}

const cases: Case[] = [
  {
    name: 'notify: other than email or task',
    yaml: `${SELECT}\nnotify: sms\n`,
    expected: { line: 2, key: 'notify', text: 'Use one of "email", "task"' },
  },
  {
    name: 'unknown key, with the closest known key suggested',
    yaml: `object: Lead\nselect:\n  inactiveOwner: true\n`,
    expected: { line: 3, key: 'select.inactiveOwner', text: 'did you mean "inactiveOwners"?' },
  },
  {
    name: 'unknown key, with the allowed keys listed',
    yaml: `${SELECT}\nwrite:\n  zzzzzzzz: 1\n`,
    expected: {
      line: 3,
      key: 'write.zzzzzzzz',
      text: 'Allowed keys in write: api, batchSize, stamp, cascade',
    },
  },
  {
    name: 'a selector written at the top level',
    yaml: `inactiveOwners: true\n`,
    expected: { line: 1, key: 'inactiveOwners', text: 'did you mean "select.inactiveOwners"?' },
  },
  {
    name: 'wrong type',
    yaml: `${SELECT}\nlimits:\n  maxChanges: lots\n`,
    expected: { line: 3, key: 'limits.maxChanges', text: 'expected a number, got "lots"' },
  },
  {
    name: 'bad write.api',
    yaml: `${SELECT}\nwrite:\n  batchSize: 100\n  api: soap\n`,
    expected: { line: 4, key: 'write.api', text: 'Use one of "rest", "bulk", "auto"' },
  },
  {
    name: 'two strategies in one assign',
    yaml: `${SELECT}\nrules:\n  - assign: { queue: Q }\n  - assign:\n      user: a@x.com\n      map: m.csv\n`,
    expected: { line: 6, key: 'rules[1].assign.map', text: 'more than one strategy (user, map)' },
  },
  {
    name: 'no strategy in assign',
    yaml: `${SELECT}\nrules:\n  - name: empty\n    assign: {}\n`,
    expected: { line: 4, key: 'rules[0].assign', text: 'assign names no strategy' },
  },
  {
    name: 'weights length differs from roundRobin',
    yaml: `${SELECT}\nrules:\n  - assign: { user: a@x.com }\n  - assign:\n      roundRobin: [a@x.com, b@x.com]\n      weights: [1, 2, 3]\n`,
    expected: { line: 6, key: 'rules[1].assign.weights', text: '3 weights for 2 people' },
  },
  {
    name: 'a roundRobin option without roundRobin',
    yaml: `${SELECT}\nrules:\n  - assign: { user: a@x.com, capacity: 5 }\n`,
    expected: { line: 3, key: 'rules[0].assign.capacity', text: 'capacity is an option of roundRobin' },
  },
  {
    name: 'keep that is not true',
    yaml: `${SELECT}\nrules:\n  - assign: { keep: false }\n`,
    expected: { line: 3, key: 'rules[0].assign.keep', text: 'false is not allowed here' },
  },
  {
    name: 'salesforceRules with an Id of the wrong kind',
    yaml: `${SELECT}\nrules:\n  - assign: { salesforceRules: 00Q000000000001 }\n`,
    expected: { line: 3, key: 'rules[0].assign.salesforceRules', text: 'is not an AssignmentRule Id' },
  },
  {
    name: 'bad from',
    yaml: `from: sf\n${SELECT}\n`,
    expected: { line: 1, key: 'from', text: '"sf" is not a source' },
  },
  {
    name: 'bad object name',
    yaml: `object: My Object\n${SELECT}\n`,
    expected: { line: 1, key: 'object', text: 'is not an sObject API name' },
  },
  {
    name: 'YAML syntax error, with line and column',
    yaml: `${SELECT}\nrules:\n  - assign: { user: a@x.com\nwrite: {}\n`,
    expected: { line: 4, text: 'YAML syntax error' },
  },
  {
    name: 'duplicate key',
    yaml: `${SELECT}\nwrite:\n  api: rest\n  api: bulk\n`,
    expected: { line: 4, key: 'write.api', text: 'given twice' },
  },
  {
    name: 'unknown stamp placeholder',
    yaml: `${SELECT}\nwrite:\n  stamp:\n    Reason__c: "moved by {rule} on {day}"\n`,
    expected: { line: 4, key: 'write.stamp.Reason__c', text: 'unknown placeholder {day}' },
  },
  {
    name: 'cascade when the object is not Account',
    yaml: `object: Contact\n${SELECT}\nwrite:\n  cascade: [Opportunity]\n`,
    expected: { line: 4, key: 'write.cascade', text: 'but the object is Contact' },
  },
  {
    name: 'maxApiShare above 1',
    yaml: `${SELECT}\nlimits:\n  maxApiShare: 1.5\n`,
    expected: { line: 3, key: 'limits.maxApiShare', text: 'the most is 1' },
  },
  {
    name: 'maxApiShare of 0',
    yaml: `${SELECT}\nlimits: { maxApiShare: 0 }\n`,
    expected: { line: 2, key: 'limits.maxApiShare', text: 'must be above 0' },
  },
  {
    name: 'batchSize out of range',
    yaml: `${SELECT}\nwrite: { batchSize: 0 }\n`,
    expected: { line: 2, key: 'write.batchSize', text: 'not a whole number from 1 to 10000' },
  },
  {
    name: 'balance other than load',
    yaml: `${SELECT}\nrules:\n  - assign: { roundRobin: [a@x.com], balance: fair }\n`,
    expected: { line: 3, key: 'rules[0].assign.balance', text: 'Use "load"' },
  },
  {
    name: 'a person listed twice in roundRobin',
    yaml: `${SELECT}\nrules:\n  - assign:\n      roundRobin:\n        - a@x.com\n        - A@x.com\n`,
    expected: { line: 6, key: 'rules[0].assign.roundRobin[1]', text: 'listed twice' },
  },
  {
    name: 'a rule without assign',
    yaml: `${SELECT}\nrules:\n  - name: lost\n`,
    expected: { line: 3, key: 'rules[0].assign', text: 'required and missing' },
  },
  {
    name: 'non-mapping top level',
    yaml: `- object: Lead\n`,
    expected: { line: 1, text: 'not a mapping of keys to values' },
  },
];

describe('loadJobFile refuses a broken job file', () => {
  it.each(cases)('$name', async ({ yaml, expected }) => {
    const file = await temp.write('job.yml', yaml);
    expectProblem(await loadError(file), file, expected);
  });

  it('gives the column of a syntax error', async () => {
    const file = await temp.write('job.yml', 'select:\n  where: "unclosed\n');
    const error = await loadError(file);
    expect(error.problems[0]).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
  });

  it('says that an empty file is empty', async () => {
    const file = await temp.write('empty.yml', '# nothing yet\n');
    expect((await loadError(file)).message).toBe(
      `${file}: the job file is empty. Write at least select: and rules: (README.md, "The job file", lists every key)`,
    );
  });

  it('says that a missing file does not exist, naming the path as given', async () => {
    const error = await loadError('jobs/no-such-job.yml');
    expect(error.message).toContain('jobs/no-such-job.yml: the job file does not exist');
  });

  it('reports every problem at once, in line order', async () => {
    const file = await temp.write(
      'job.yml',
      [
        'from: salesforce',
        'object: Lead',
        'select: { inactiveOwners: yes }',
        'rules:',
        '  - assign: { roundRobin: [a@x.com, b@x.com], weights: [1] }',
        'write: { api: soap, cascade: [Contact] }',
        'limits: { maxChanges: -3 }',
      ].join('\n'),
    );
    const error = await loadError(file);
    expect(error.problems.map((problem) => [problem.line, problem.key])).toEqual([
      [3, 'select.inactiveOwners'],
      [5, 'rules[0].assign.weights'],
      [6, 'write.api'],
      [6, 'write.cascade'],
      [7, 'limits.maxChanges'],
    ]);
  });
});
