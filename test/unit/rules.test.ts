import { describe, expect, it } from 'vitest';
import type { RuleSpec } from '../../src/config/job.js';
import { InputError } from '../../src/errors.js';
import type { Decision, SourceRecord } from '../../src/model.js';
import { decideOwner } from '../../src/plan/decide.js';
import type { MappingFile } from '../../src/rules/mapping.js';
import type { RoundRobinState } from '../../src/rules/strategies/round-robin.js';
import type { WrittenAssign } from '../../src/rules/strategies/strategy.js';
import type { Rule, RuleContext, RuleTrace } from '../../src/rules/types.js';
import {
  accountId,
  type CompileSetup,
  compile,
  contextOf,
  directoryOf,
  lead,
  mappingFile,
  queue,
  ruleSpec,
  user,
  when,
} from './builders.js';

const ana = user({ n: 1, username: 'ana@acme.com', email: 'ana@acme.com' });
const ben = user({ n: 2, username: 'ben@acme.com', email: 'ben@acme.com' });
const cid = user({ n: 3, username: 'cid@acme.com' });
const old = user({ n: 4, username: 'old@acme.com', isActive: false });
const gone = user({ n: 5, username: 'gone@acme.com', isActive: false });
const boss = user({ n: 6, username: 'boss@acme.com' });
const exBoss = user({ n: 7, username: 'exboss@acme.com', isActive: false, managerId: boss.id });
const rep = user({ n: 8, username: 'rep@acme.com', managerId: boss.id });
const rep2 = user({ n: 9, username: 'rep2@acme.com', managerId: exBoss.id });
const loopA = user({ n: 10, username: 'loopa@acme.com', isActive: false, managerId: user({ n: 11 }).id });
const loopB = user({ n: 11, username: 'loopb@acme.com', isActive: false, managerId: loopA.id });
const lonely = user({ n: 12, username: 'lonely@acme.com', managerId: gone.id });
const hopper = queue({ n: 1, developerName: 'Hopper', name: 'Lead Hopper' });
const cases = queue({ n: 2, developerName: 'Cases', name: 'Case Queue', objects: ['Case'] });
const widgets = queue({ n: 3, developerName: 'Widgets', objects: ['Widget__c'] });
const everyone = [ana, ben, cid, old, gone, boss, exBoss, rep, rep2, loopA, loopB, lonely];
const directory = directoryOf(everyone, [hopper, cases, widgets]);
const context = contextOf(directory);

function rulesOf(specs: RuleSpec[], setup: Partial<CompileSetup> = {}): Rule[] {
  return compile(specs, { directory, ...setup });
}

function decide(specs: RuleSpec[], record: SourceRecord, setup: Partial<CompileSetup> = {}): Decision {
  return decideOwner(record, rulesOf(specs, setup), { ...context, object: setup.object ?? 'Lead' });
}

function compileError(specs: RuleSpec[], setup: Partial<CompileSetup> = {}): InputError {
  try {
    rulesOf(specs, setup);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const ownedBy = (owner: { id: string }, fields: Record<string, string> = {}): SourceRecord =>
  lead({ ownerId: owner.id, ...fields });
const assigned = (owner: { id: string }, rule: string): Decision => ({
  kind: 'assign',
  ownerId: owner.id,
  rule,
});

describe('user rule', () => {
  it.each([
    ['username', 'ana@acme.com'],
    ['username in other case', 'ANA@acme.com'],
    ['email', 'ana@acme.com '],
    ['18-character Id', ana.id],
    ['15-character Id', ana.id.slice(0, 15)],
  ])('finds an active user by %s', (_how, reference) => {
    expect(decide([ruleSpec({ user: reference })], ownedBy(old))).toMatchObject({
      kind: 'assign',
      ownerId: ana.id,
    });
  });

  it('names the rule after the person as written', () => {
    expect(decide([ruleSpec({ user: 'ana@acme.com' })], ownedBy(old))).toEqual(
      assigned(ana, 'user ana@acme.com'),
    );
  });

  it.each<[string, string, string]>([
    ['an inactive user', 'old@acme.com', '"old@acme.com" is an inactive user'],
    ['an unknown username', 'nobody@acme.com', 'no user has the username or email "nobody@acme.com"'],
    ['an unknown Id', '005000000000000', 'no user has the Id 005000000000000'],
  ])('refuses %s, naming the place', (_what, reference, message) => {
    const error = compileError([ruleSpec({ user: 'ana@acme.com' }), ruleSpec({ user: reference })]);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      file: 'job.yaml',
      line: 10,
      key: 'rules[1].assign.user',
      message,
    });
    expect(error.message).toContain('job.yaml, line 10, key rules[1].assign.user');
  });

  it('keeps a flag as the place of a flag rule', () => {
    const error = compileError([
      { assign: { strategy: 'user', user: 'old@acme.com' }, place: { key: '--to' } },
    ]);
    expect(error.problems[0]?.key).toBe('--to');
  });

  it('reports every bad rule at once', () => {
    const error = compileError([
      ruleSpec({ user: 'old@acme.com' }),
      ruleSpec({ user: 'ana@acme.com' }),
      ruleSpec({ queue: 'Nope' }),
    ]);
    expect(error.problems.map((p) => p.key)).toEqual(['rules[0].assign.user', 'rules[2].assign.queue']);
  });

  it('prefers the one active user when an email is shared with an inactive one', () => {
    const twin = user({ n: 40, username: 'twin-old@acme.com', email: 'twin@acme.com', isActive: false });
    const live = user({ n: 41, username: 'twin@acme.com.new', email: 'twin@acme.com' });
    const dir = directoryOf([twin, live]);
    expect(
      decideOwner(
        ownedBy(twin),
        compile([ruleSpec({ user: 'twin@acme.com' })], { directory: dir }),
        contextOf(dir),
      ),
    ).toMatchObject({ ownerId: live.id });
  });

  it('refuses an email that two active users share', () => {
    const dir = directoryOf([
      user({ n: 42, username: 'a@x.com', email: 'shared@acme.com' }),
      user({ n: 43, username: 'b@x.com', email: 'shared@acme.com' }),
    ]);
    expect(() => compile([ruleSpec({ user: 'shared@acme.com' })], { directory: dir })).toThrow(
      /"shared@acme.com" is the email of 2 users \(a@x.com, b@x.com\)/,
    );
  });

  it("keeps a record the winning rule's owner already owns, never trying the next rule", () => {
    const specs = [ruleSpec({ user: 'ana@acme.com' }), ruleSpec({ user: 'ben@acme.com' })];
    const kept = { kind: 'keep', rule: 'user ana@acme.com' };
    expect(decide(specs, ownedBy(ana))).toEqual(kept);
    expect(decide(specs.slice(0, 1), ownedBy(ana))).toEqual(kept);
  });

  it('uses the rule name when one is given', () => {
    expect(decide([ruleSpec({ user: 'ana@acme.com' }, { name: 'EMEA' })], ownedBy(old))).toEqual(
      assigned(ana, 'EMEA'),
    );
  });
});

describe('queue rule', () => {
  it.each([
    ['DeveloperName', 'Hopper'],
    ['Name', 'Lead Hopper'],
    ['either, in other case', 'hopper'],
    ['queue:NAME', 'queue:Hopper'],
    ['queue:Id', `queue:${hopper.id}`],
  ])('finds a queue by %s', (_how, reference) => {
    expect(decide([ruleSpec({ queue: reference })], ownedBy(old))).toMatchObject({
      kind: 'assign',
      ownerId: hopper.id,
    });
  });

  it('names the rule after the queue, without the queue: prefix', () => {
    expect(decide([ruleSpec({ queue: 'queue:Hopper' })], ownedBy(old))).toEqual(
      assigned(hopper, 'queue Hopper'),
    );
  });

  it('is also reachable from a user rule as queue:NAME', () => {
    expect(decide([ruleSpec({ user: 'queue:Hopper' })], ownedBy(old))).toMatchObject({ ownerId: hopper.id });
  });

  it('finds a queue whose name happens to look like a 15-character Id', () => {
    const inbound = queue({ n: 20, developerName: 'InboundLeadsDE1', name: 'Inbound Leads DE' });
    const dir = directoryOf([old], [inbound]);
    const rules = compile([ruleSpec({ queue: 'InboundLeadsDE1' })], { directory: dir });
    expect(decideOwner(ownedBy(old), rules, contextOf(dir))).toMatchObject({ ownerId: inbound.id });
  });

  it.each<[string, string, string, RegExp]>([
    ['Contact', 'Hopper', 'queue for a Contact', /Salesforce does not let queues own Contact records/],
    [
      'Lead',
      'Cases',
      'queue that lists only Case',
      /"queue:Cases" is a queue that does not take Lead records \(it lists Case\)/,
    ],
    ['Lead', 'Nope', 'unknown queue', /no queue is named "Nope"/],
  ])('refuses on %s: %s (%s)', (object, reference, _what, message) => {
    const error = compileError([ruleSpec({ queue: reference })], { object });
    expect(error.problems[0]).toMatchObject({ key: 'rules[0].assign.queue', line: 10 });
    expect(error.message).toMatch(message);
  });

  it('accepts a queue for a custom object it lists', () => {
    expect(decide([ruleSpec({ queue: 'Widgets' })], ownedBy(old), { object: 'Widget__c' })).toMatchObject({
      ownerId: widgets.id,
    });
  });

  it('refuses a name two queues share', () => {
    const dir = directoryOf(
      [],
      [queue({ n: 21, developerName: 'Twin' }), queue({ n: 22, developerName: 'Twin' })],
    );
    expect(() => compile([ruleSpec({ queue: 'Twin' })], { directory: dir })).toThrow(
      /2 queues are named "Twin"/,
    );
  });
});

describe('map rule', () => {
  const withMap = (rows: Array<[string, string]>): Partial<CompileSetup> => ({
    mappings: new Map<string, MappingFile>([['owners.csv', mappingFile(rows)]]),
  });
  const mapRule = [ruleSpec({ map: 'owners.csv' })];

  it('follows chains: A→B, B→C gives C for both A and B', () => {
    const setup = withMap([
      ['old@acme.com', 'gone@acme.com'],
      ['gone@acme.com', 'ana@acme.com'],
    ]);
    expect(decide(mapRule, ownedBy(old), setup)).toEqual(assigned(ana, 'map owners.csv'));
    expect(decide(mapRule, ownedBy(gone), setup)).toEqual(assigned(ana, 'map owners.csv'));
  });

  it('reads people by Id (15 or 18) as well as by username', () => {
    const setup = withMap([[old.id.slice(0, 15), ben.id]]);
    expect(decide(mapRule, ownedBy(old), setup)).toEqual(assigned(ben, 'map owners.csv'));
  });

  it('accepts identical duplicate rows', () => {
    const setup = withMap([
      ['old@acme.com', 'ana@acme.com'],
      ['old@acme.com', 'ana@acme.com'],
    ]);
    expect(decide(mapRule, ownedBy(old), setup)).toMatchObject({ ownerId: ana.id });
  });

  it('passes an owner who is not in the mapping', () => {
    const setup = withMap([['old@acme.com', 'ana@acme.com']]);
    expect(decide(mapRule, ownedBy(gone), setup)).toEqual({
      kind: 'unassigned',
      reason: 'map owners.csv: owner not in the mapping',
    });
  });

  it.each<[string, Array<[string, string]>, RegExp[]]>([
    [
      'a cycle, naming its lines',
      [
        ['old@acme.com', 'gone@acme.com'],
        ['gone@acme.com', 'old@acme.com'],
      ],
      [
        /owners\.csv, line 2: the mapping goes round in a circle: old@acme.com → gone@acme.com → old@acme.com \(lines 2, 3\)/,
      ],
    ],
    [
      'a chain ending at an inactive user',
      [
        ['ana@acme.com', 'gone@acme.com'],
        ['gone@acme.com', 'old@acme.com'],
      ],
      [
        /line 2: ana@acme.com is mapped to old@acme.com, which is an inactive user \(ana@acme.com → gone@acme.com → old@acme.com, lines 2, 3\)/,
      ],
    ],
    [
      'a direct row to an inactive user',
      [['ana@acme.com', 'old@acme.com']],
      [/line 2: ana@acme.com is mapped to old@acme.com, which is an inactive user\./],
    ],
    [
      'conflicting rows',
      [
        ['old@acme.com', 'ana@acme.com'],
        ['old@acme.com', 'ben@acme.com'],
      ],
      [
        /line 3: "old@acme.com" is mapped twice to different owners \(line 2 sends it to ana@acme.com, this line to ben@acme.com\)/,
      ],
    ],
    ['a row to itself', [['ana@acme.com', ana.id]], [/line 2: "ana@acme.com" is mapped to itself/]],
    [
      'unknown people, all at once',
      [
        ['nobody@acme.com', 'ana@acme.com'],
        ['old@acme.com', 'queue:Nope'],
      ],
      [
        /line 2, column from: no user has the username or email "nobody@acme.com"/,
        /line 3, column to: no queue is named "Nope"/,
      ],
    ],
  ])('refuses %s', (_what, rows, messages) => {
    const error = compileError(mapRule, withMap(rows));
    for (const message of messages) expect(error.message).toMatch(message);
  });

  it('refuses a mapping file that was not read', () => {
    expect(compileError(mapRule).message).toMatch(/mapping file owners.csv was not read/);
  });

  it('refuses a queue as the end of a chain for Contacts', () => {
    const setup = { ...withMap([['old@acme.com', 'queue:Hopper']]), object: 'Contact' };
    expect(compileError(mapRule, setup).message).toMatch(
      /which is a queue, and Salesforce does not let queues own Contact/,
    );
  });
});

describe('keep rule', () => {
  it('ends the rule list for the records it matches', () => {
    const specs = [
      ruleSpec({ keep: true }, { when: when("Country = 'DE'") }),
      ruleSpec({ user: 'ana@acme.com' }),
    ];
    expect(decide(specs, ownedBy(old, { Country: 'DE' }))).toEqual({ kind: 'keep', rule: 'keep' });
    expect(decide(specs, ownedBy(old, { Country: 'FR' }))).toEqual(assigned(ana, 'user ana@acme.com'));
  });
});

describe('manager rule', () => {
  const managerRule = [ruleSpec({ manager: true })];

  it.each<[string, { id: string }, Decision]>([
    ['an active manager', rep, assigned(boss, 'manager')],
    ["an inactive manager's manager", rep2, assigned(boss, 'manager')],
    [
      'nobody active: pass',
      lonely,
      { kind: 'unassigned', reason: 'manager: the owner has no active manager' },
    ],
    [
      'a cycle of inactive managers: pass',
      loopA,
      { kind: 'unassigned', reason: 'manager: the owner has no active manager' },
    ],
    [
      'no manager at all: pass',
      ana,
      { kind: 'unassigned', reason: 'manager: the owner has no active manager' },
    ],
    ['a queue owner: pass', hopper, { kind: 'unassigned', reason: 'manager: the owner is not a known user' }],
  ])('gives %s', (_what, owner, decision) => {
    expect(decide(managerRule, ownedBy(owner))).toEqual(decision);
  });

  it('stops at a manager the directory does not know', () => {
    const stranger = user({ n: 50 });
    const orphan = user({ n: 51, managerId: stranger.id });
    const dir = directoryOf([orphan]);
    expect(decideOwner(ownedBy(orphan), compile(managerRule, { directory: dir }), contextOf(dir))).toEqual({
      kind: 'unassigned',
      reason: `manager: manager ${stranger.id} is not a known user`,
    });
  });
});

describe('accountOwner rule', () => {
  const acc = accountId(1);
  const rule = [ruleSpec({ accountOwner: true })];
  const onContacts = (accountOwners: Map<string, string>): RuleContext => ({
    ...context,
    object: 'Contact',
    accountOwners,
  });
  const decideContact = (record: SourceRecord, owners = new Map([[acc, ana.id]])): Decision =>
    decideOwner(record, rulesOf(rule, { object: 'Contact' }), onContacts(owners));

  it.each<[string, SourceRecord, Decision]>([
    ['the accounts export', ownedBy(old, { AccountId: acc }), assigned(ana, 'account owner')],
    [
      'the queried Account.OwnerId first',
      ownedBy(old, { AccountId: acc, 'Account.OwnerId': ben.id }),
      assigned(ben, 'account owner'),
    ],
    [
      'a 15-character AccountId from a CSV',
      ownedBy(old, { AccountId: acc.slice(0, 15) }),
      assigned(ana, 'account owner'),
    ],
    [
      'a 15-character Account.OwnerId from a CSV',
      ownedBy(old, { AccountId: acc, 'Account.OwnerId': ben.id.slice(0, 15) }),
      assigned(ben, 'account owner'),
    ],
    [
      'no account: pass',
      ownedBy(old, { AccountId: '' }),
      { kind: 'unassigned', reason: 'account owner: the record has no account, or its account is unknown' },
    ],
    [
      'an unknown account: pass',
      ownedBy(old, { AccountId: accountId(2) }),
      { kind: 'unassigned', reason: 'account owner: the record has no account, or its account is unknown' },
    ],
    [
      'already the account owner: kept',
      ownedBy(ana, { AccountId: acc }),
      { kind: 'keep', rule: 'account owner' },
    ],
  ])('assigns from %s', (_what, record, decision) => {
    expect(decideContact(record)).toEqual(decision);
  });

  it('passes with a reason when the account owner is inactive', () => {
    expect(decideContact(ownedBy(ana, { AccountId: acc }), new Map([[acc, gone.id]]))).toEqual({
      kind: 'unassigned',
      reason: 'account owner: the account owner gone@acme.com is an inactive user',
    });
  });

  it('needs the lookup named for leads', () => {
    expect(compileError(rule).message).toMatch(/Lead records have no standard account lookup/);
    const rules = rulesOf(rule, { accountField: 'Account__c' });
    const record = ownedBy(old, { account__c: acc, 'Account__r.OwnerId': ben.id });
    expect(decideOwner(record, rules, context)).toEqual(assigned(ben, 'account owner'));
  });
});

describe('salesforceRules rule', () => {
  it('is refused when the run writes a CSV file', () => {
    expect(compileError([ruleSpec({ salesforceRules: true })]).message).toMatch(
      /only run when writing to Salesforce/,
    );
  });

  it('is refused for Contacts', () => {
    const error = compileError([ruleSpec({ salesforceRules: true })], {
      object: 'Contact',
      target: 'salesforce',
    });
    expect(error.message).toMatch(/assignment rules for leads and cases only, not Contact/);
  });

  it.each<[true | string, string | undefined]>([
    [true, undefined],
    ['01Q000000000001', '01Q000000000001'],
  ])('hands leads to Salesforce on a Salesforce target (%s)', (value, assignmentRuleId) => {
    expect(decide([ruleSpec({ salesforceRules: value })], ownedBy(old), { target: 'salesforce' })).toEqual({
      kind: 'salesforceRules',
      rule: 'by Salesforce assignment rules',
      assignmentRuleId,
    });
  });
});

describe('rule order and conditions', () => {
  const specs = [
    ruleSpec(
      { user: 'ana@acme.com' },
      { when: when("Country IN ('DE', 'AT') AND NumberOfEmployees >= 500") },
    ),
    ruleSpec({ user: 'ben@acme.com' }, { when: when("Country = 'DE'") }),
    ruleSpec({ user: 'cid@acme.com' }),
  ];

  it.each<[Record<string, string>, { id: string }]>([
    [{ Country: 'DE', NumberOfEmployees: '800' }, ana],
    [{ Country: 'AT', NumberOfEmployees: '500' }, ana],
    [{ Country: 'DE', NumberOfEmployees: '10' }, ben],
    [{ Country: 'AT', NumberOfEmployees: '10' }, cid],
    [{ Country: '', NumberOfEmployees: '' }, cid],
  ])('the first rule whose condition holds wins: %j', (fields, owner) => {
    expect(decide(specs, ownedBy(old, fields))).toMatchObject({ ownerId: owner.id });
  });

  it('reports a bad condition at compile time, with its place', () => {
    const error = compileError([ruleSpec({ user: 'ana@acme.com' }, { when: when('Country = ') })]);
    expect(error.problems[0]).toMatchObject({ file: 'job.yaml', line: 11 });
  });

  it('lists every rule that passed in the unassigned reason, skipping unmet conditions', () => {
    const listed: RuleSpec[] = [
      ruleSpec({ user: 'ben@acme.com' }, { when: when("Country = 'FR'") }),
      ruleSpec({ manager: true }),
      ruleSpec({ map: 'owners.csv' }),
    ];
    const setup = { mappings: new Map([['owners.csv', mappingFile([['old@acme.com', 'ana@acme.com']])]]) };
    expect(decide(listed, ownedBy(ana, { Country: 'DE' }), setup)).toEqual({
      kind: 'unassigned',
      reason: 'manager: the owner has no active manager; map owners.csv: owner not in the mapping',
    });
  });

  it.each<[string, RuleSpec[]]>([
    ['no rules', []],
    ['no condition holds', [ruleSpec({ user: 'ana@acme.com' }, { when: when("Country = 'FR'") })]],
  ])('says "no rule applies" with %s', (_what, list) => {
    expect(decide(list, ownedBy(old, { Country: 'DE' }))).toEqual({
      kind: 'unassigned',
      reason: 'no rule applies',
    });
  });
});

describe('decideOwner trace', () => {
  const traceOf = (
    specs: RuleSpec[],
    record: SourceRecord,
    setup: Partial<CompileSetup> = {},
  ): RuleTrace[] => {
    const trace: RuleTrace[] = [];
    decideOwner(record, rulesOf(specs, setup), context, trace);
    return trace;
  };

  it('records each rule tried, and stops at the winner', () => {
    const specs = [
      ruleSpec({ user: 'cid@acme.com' }, { when: when("Country = 'FR'") }),
      ruleSpec({ manager: true }),
      ruleSpec({ user: 'ben@acme.com' }),
      ruleSpec({ user: 'ana@acme.com' }),
    ];
    expect(traceOf(specs, ownedBy(old, { Country: 'DE' }))).toEqual([
      { rule: 'user cid@acme.com', result: 'condition not met', detail: "Country = 'FR'" },
      { rule: 'manager', result: 'passed', detail: 'the owner has no active manager' },
      { rule: 'user ben@acme.com', result: 'assigned', detail: 'ben@acme.com' },
    ]);
  });

  it.each<[string, WrittenAssign, RuleTrace, Partial<CompileSetup>]>([
    [
      'kept',
      { keep: true },
      { rule: 'keep', result: 'kept', detail: 'the rule keeps the current owner' },
      {},
    ],
    [
      'salesforce rules',
      { salesforceRules: true },
      {
        rule: 'by Salesforce assignment rules',
        result: 'salesforce rules',
        detail: 'Salesforce decides on write',
      },
      { target: 'salesforce' },
    ],
    [
      'a queue',
      { queue: 'Hopper' },
      { rule: 'queue Hopper', result: 'assigned', detail: 'queue:Hopper' },
      {},
    ],
  ])('records %s', (_what, assign, line, setup) => {
    expect(traceOf([ruleSpec(assign)], ownedBy(old), setup)).toEqual([line]);
  });
});

describe('roundRobin rule', () => {
  const team = ['ana@acme.com', 'ben@acme.com', 'cid@acme.com'];
  const names = new Map([ana, ben, cid].map((u) => [u.id, u.username]));

  /** The usernames the rules pick for `count` records owned by `old`, or `-` where none was assigned. */
  function picks(rules: Rule[], count: number, ctx: RuleContext = context): string[] {
    return Array.from({ length: count }, () => {
      const decision = decideOwner(ownedBy(old), rules, ctx);
      return decision.kind === 'assign' ? (names.get(decision.ownerId) ?? decision.ownerId) : '-';
    });
  }

  it('takes the members in turn', () => {
    expect(picks(rulesOf([ruleSpec({ roundRobin: team })]), 7)).toEqual([
      'ana@acme.com',
      'ben@acme.com',
      'cid@acme.com',
      'ana@acme.com',
      'ben@acme.com',
      'cid@acme.com',
      'ana@acme.com',
    ]);
  });

  it('spreads weights 2:1 smoothly (a b a, a b a)', () => {
    const rules = rulesOf([ruleSpec({ roundRobin: team.slice(0, 2), weights: [2, 1] })]);
    expect(picks(rules, 6).map((name) => name[0])).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });

  it('falls through to the next rule when every member is at capacity', () => {
    const rules = rulesOf([
      ruleSpec({ roundRobin: team.slice(0, 2), capacity: 2 }),
      ruleSpec({ user: 'cid@acme.com' }),
    ]);
    expect(picks(rules, 6).map((name) => name[0])).toEqual(['a', 'b', 'a', 'b', 'c', 'c']);
    const alone = rulesOf([ruleSpec({ roundRobin: team.slice(0, 2), capacity: 1 })]);
    picks(alone, 2);
    expect(decideOwner(ownedBy(old), alone, context)).toEqual({
      kind: 'unassigned',
      reason: 'round robin #1: every round-robin member is at capacity',
    });
  });

  it('with balance: load, gives the fewest open records first', () => {
    const loads = new Map([
      [ana.id, 5],
      [ben.id, 0],
      [cid.id, 2],
    ]);
    const rules = rulesOf([ruleSpec({ roundRobin: team, balance: 'load' })]);
    const got = picks(rules, 7, { ...context, loads });
    expect(got.slice(0, 2)).toEqual(['ben@acme.com', 'ben@acme.com']);
    expect(got).not.toContain('ana@acme.com');
    const open = (id: string, name: string) => (loads.get(id) ?? 0) + got.filter((n) => n === name).length;
    expect(Math.abs(open(ben.id, 'ben@acme.com') - open(cid.id, 'cid@acme.com'))).toBeLessThanOrEqual(1);
  });

  it('with balance: load, divides the load by the weight', () => {
    const loads = new Map([
      [ana.id, 4],
      [ben.id, 3],
    ]);
    const rules = rulesOf([ruleSpec({ roundRobin: team.slice(0, 2), weights: [2, 1], balance: 'load' })]);
    expect(picks(rules, 1, { ...context, loads })).toEqual(['ana@acme.com']);
  });

  it('continues the turn in the next run that shares the state', () => {
    const state: RoundRobinState = new Map();
    const spec = [ruleSpec({ roundRobin: team })];
    expect(picks(rulesOf(spec, { roundRobin: state }), 2)).toEqual(['ana@acme.com', 'ben@acme.com']);
    const saved: RoundRobinState = new Map(JSON.parse(JSON.stringify([...state])));
    expect(picks(rulesOf(spec, { roundRobin: saved }), 2)).toEqual(['cid@acme.com', 'ana@acme.com']);
    // Capacity counts per run: a new run starts with every member empty again.
    const capped = [ruleSpec({ roundRobin: team, capacity: 1 })];
    const shared: RoundRobinState = new Map();
    expect(picks(rulesOf(capped, { roundRobin: shared }), 4)).toEqual([...team, '-']);
    expect(picks(rulesOf(capped, { roundRobin: shared }), 4).sort()).toEqual(['-', ...team]);
  });

  it('keeps separate turns for different member lists', () => {
    const state: RoundRobinState = new Map();
    picks(rulesOf([ruleSpec({ roundRobin: team })], { roundRobin: state }), 1);
    expect(picks(rulesOf([ruleSpec({ roundRobin: [...team].reverse() })], { roundRobin: state }), 1)).toEqual(
      ['cid@acme.com'],
    );
    expect(state.size).toBe(2);
  });

  it('gives a record the pick already owns to that owner, and counts the turn', () => {
    const rules = rulesOf([ruleSpec({ roundRobin: team })]);
    expect(decideOwner(ownedBy(ana), rules, context)).toEqual({ kind: 'keep', rule: 'round robin #1' });
    // Ana's turn was spent on the record she already had: the next record goes to the next member.
    expect(decideOwner(ownedBy(cid), rules, context)).toEqual(assigned(ben, 'round robin #1'));
  });

  it.each<[string, string[], RegExp]>([
    ['an inactive member', ['ana@acme.com', 'old@acme.com'], /"old@acme.com" is an inactive user/],
    [
      'an unknown member',
      ['ana@acme.com', 'who@acme.com'],
      /no user has the username or email "who@acme.com"/,
    ],
    ['nobody', [], /lists nobody/],
  ])('refuses %s', (_what, members, message) => {
    const error = compileError([ruleSpec({ roundRobin: members })]);
    expect(error.problems[0]?.key).toBe('rules[0].assign.roundRobin');
    expect(error.message).toMatch(message);
  });
});
