/**
 * The bad-input corpus: each row is one input leadshift must refuse with exit 2, a message naming the
 * place (file and line, job key, or flag) and the value, and nothing written anywhere.
 *
 * Text may use placeholders the test fills in: {ana} {ben} {carla} {dan} {eve} {frank} (users),
 * {hopper} (Lead queue), {lead1}…{lead4} (the standard leads), {HEADER} (the standard leads header),
 * {ROWS} (the standard lead rows), {lead9} (a valid lead Id not in the export), {lead9bad} (it with a
 * wrong checksum), {lead2_15} (lead 2's 15-character Id), {account1}, {nobody} (a user Id nobody has).
 */

/** A file's content, or something that is not a readable file at that path. */
export type FileSpec = string | { dir: true } | { symlinkTo: string } | { bytes: number[] };

export interface CorpusCase {
  name: string;
  /** Files written over the standard users.csv, queues.csv and leads.csv. */
  files?: Record<string, FileSpec>;
  args: string[];
  /** Strings (or patterns) stderr must contain: the place and the value. */
  mentions: (string | RegExp)[];
  /** The bug class that still makes this case fail (the test expects it to fail until fixed). */
  knownBug?: string;
}

const CSV = ['--from', 'csv:leads.csv', '--users', 'users.csv', '--queues', 'queues.csv', '--home', 'home'];
const TO_BEN = ['--inactive-owners', '--to', 'ben@acme.com'];
/** `plan` over the standard CSV files, into --out out. */
export const plan = (...extra: string[]): string[] => ['plan', ...CSV, ...extra, '--out', 'out'];
const planToBen = (...extra: string[]): string[] => plan(...TO_BEN, ...extra);
const jobPlan = ['plan', '--job', 'job.yml', '--home', 'home', '--out', 'out'];

const JOB_HEAD = 'object: Lead\nfrom: csv:leads.csv\nusers: users.csv\nqueues: queues.csv\n';
const JOB_RULES = 'rules:\n  - name: to ben\n    assign: { user: ben@acme.com }\n';
const JOB_SELECT = 'select:\n  inactiveOwners: true\n';
const job = (text: string): Record<string, FileSpec> => ({ 'job.yml': text });

function leadsWith(line: string): Record<string, FileSpec> {
  return { 'leads.csv': `{HEADER}\n{ROWS}${line}\n` };
}

const HEADER =
  'Id,OwnerId,Company,Country,NumberOfEmployees,IsConverted,Exclude_From_Reassignment__c,LastModifiedDate,Email';
const row = (id: string, owner: string, extra = 'Acme,US,5,false,false,2026-01-01T00:00:00Z,x@y.z') =>
  `${id},${owner},${extra}`;

const exportCases: CorpusCase[] = [
  {
    name: 'export: unterminated quote',
    files: leadsWith('"{lead9},{dan},Acme,DE,5,false,false,2026-01-01T00:00:00Z,x@y.z'),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', /quote/i],
  },
  {
    name: 'export: a row with too many cells',
    files: leadsWith(`${row('{lead9}', '{dan}')},extra`),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6'],
  },
  {
    name: 'export: a row with too few cells',
    files: leadsWith('{lead9},{dan},Acme'),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6'],
  },
  {
    name: 'export: empty file',
    files: { 'leads.csv': '' },
    args: planToBen(),
    mentions: ['leads.csv', /empty|header/i],
  },
  {
    name: 'export: binary junk',
    files: {
      'leads.csv': { bytes: [0x00, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00, 0x00] },
    },
    args: planToBen(),
    mentions: ['leads.csv'],
  },
  {
    name: 'export: duplicate header column',
    files: { 'leads.csv': `Id,OwnerId,OwnerId,IsConverted\n{lead1},{ana},{ana},false\n` },
    args: planToBen(),
    mentions: ['leads.csv', 'OwnerId'],
  },
  {
    name: 'export: no Id column',
    files: { 'leads.csv': `OwnerId,IsConverted\n{ana},false\n` },
    args: planToBen(),
    mentions: ['leads.csv', 'Id'],
  },
  {
    name: 'export: no OwnerId column',
    files: { 'leads.csv': `Id,IsConverted\n{lead1},false\n` },
    args: planToBen(),
    mentions: ['leads.csv', 'OwnerId'],
  },
  {
    name: 'export: Lead export without IsConverted',
    files: { 'leads.csv': `Id,OwnerId,Company\n{lead1},{ana},Acme\n` },
    args: planToBen(),
    mentions: ['leads.csv', 'IsConverted'],
  },
  {
    name: 'export: IsConverted value not a boolean',
    files: leadsWith(row('{lead9}', '{dan}', 'Acme,DE,5,perhaps,false,2026-01-01T00:00:00Z,x@y.z')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', 'perhaps'],
  },
  {
    name: 'export: IsConverted empty',
    files: leadsWith(row('{lead9}', '{dan}', 'Acme,DE,5,,false,2026-01-01T00:00:00Z,x@y.z')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', 'IsConverted'],
  },
  {
    name: 'export: duplicate Id',
    files: leadsWith(row('{lead2}', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '{lead2}'],
  },
  {
    name: 'export: duplicate Id in another case (15 and 18 characters)',
    files: leadsWith(row('{lead2_15}', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6'],
  },
  {
    name: 'export: malformed Id',
    files: leadsWith(row('00Q-not-an-id', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '00Q-not-an-id'],
  },
  {
    name: 'export: Id of another object',
    files: leadsWith(row('{account1}', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '{account1}'],
  },
  {
    name: 'export: Id with a wrong checksum',
    files: leadsWith(row('{lead9bad}', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '{lead9bad}'],
  },
  {
    name: 'export: empty Id',
    files: leadsWith(row('', '{dan}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6'],
  },
  {
    name: 'export: malformed OwnerId',
    files: leadsWith(row('{lead9}', 'BAD-OWNER')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', 'BAD-OWNER'],
  },
  {
    name: 'export: empty OwnerId',
    files: leadsWith(row('{lead9}', '')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', 'OwnerId'],
  },
  {
    name: 'export: OwnerId of an Account',
    files: leadsWith(row('{lead9}', '{account1}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '{account1}'],
  },
  {
    name: 'export: OwnerId of a Lead',
    files: leadsWith(row('{lead9}', '{lead1}')),
    args: planToBen(),
    mentions: ['leads.csv', 'line 6', '{lead1}', /user|queue/],
  },
  {
    name: 'export: a Lead Id in a Contact export',
    files: { 'contacts.csv': `Id,OwnerId\n{lead1},{ana}\n` },
    args: [
      'plan',
      ...CSV.map((a) => (a === 'csv:leads.csv' ? 'csv:contacts.csv' : a)),
      '--object',
      'Contact',
      ...TO_BEN,
      '--out',
      'out',
    ],
    mentions: ['contacts.csv', 'line 2', '{lead1}', 'Contact'],
  },
  {
    name: 'export: a directory where the file is expected',
    files: { 'leads.csv': { dir: true } },
    args: planToBen(),
    mentions: ['leads.csv'],
  },
  {
    name: 'export: a dangling symbolic link',
    files: { 'leads.csv': { symlinkTo: 'gone/leads.csv' } },
    args: planToBen(),
    mentions: ['leads.csv'],
  },
  {
    name: 'export: a file that does not exist',
    args: [
      'plan',
      ...CSV.map((a) => (a === 'csv:leads.csv' ? 'csv:nope.csv' : a)),
      ...TO_BEN,
      '--out',
      'out',
    ],
    mentions: ['nope.csv'],
  },
  {
    name: 'export: a path under a file',
    args: [
      'plan',
      ...CSV.map((a) => (a === 'csv:leads.csv' ? 'csv:leads.csv/inner.csv' : a)),
      ...TO_BEN,
      '--out',
      'out',
    ],
    mentions: ['leads.csv/inner.csv'],
  },
  {
    name: 'export: exclusion column with a spreadsheet boolean',
    files: leadsWith(row('{lead9}', '{dan}', 'Acme,DE,5,false,WAHR,2026-01-01T00:00:00Z,x@y.z')),
    args: planToBen('--exclude', 'Exclude_From_Reassignment__c = true'),
    mentions: ['leads.csv', 'line 6', 'WAHR'],
  },
  {
    name: 'export: date condition over a value that is not a date',
    files: leadsWith(row('{lead9}', '{dan}', 'Acme,DE,5,false,false,last tuesday,x@y.z')),
    args: planToBen('--where', 'LastModifiedDate < 2026-06-01T00:00:00Z'),
    mentions: ['leads.csv', 'line 6', 'last tuesday'],
  },
  {
    name: 'export: number condition over a value that is not a number',
    files: leadsWith(row('{lead9}', '{dan}', 'Acme,DE,many,false,false,2026-01-01T00:00:00Z,x@y.z')),
    args: planToBen('--where', 'NumberOfEmployees > 3'),
    mentions: ['leads.csv', 'line 6', 'many'],
  },
];

const peopleCases: CorpusCase[] = [
  { name: 'users: empty file', files: { 'users.csv': '' }, args: planToBen(), mentions: ['users.csv'] },
  {
    name: 'users: header only, so the target is unknown',
    files: { 'users.csv': 'Id,Username,Email,Name,IsActive,ManagerId\n' },
    args: planToBen(),
    mentions: ['ben@acme.com'],
  },
  {
    name: 'users: no IsActive column',
    files: { 'users.csv': 'Id,Username\n{ben},ben@acme.com\n' },
    args: planToBen(),
    mentions: ['users.csv', 'IsActive'],
  },
  {
    name: 'users: IsActive not a boolean',
    files: {
      'users.csv':
        'Id,Username,Email,Name,IsActive,ManagerId\n{ben},ben@acme.com,ben@acme.com,Ben,sometimes,\n',
    },
    args: planToBen(),
    mentions: ['users.csv', 'line 2', 'sometimes'],
  },
  {
    name: 'users: malformed Id',
    files: {
      'users.csv':
        'Id,Username,Email,Name,IsActive,ManagerId\nnot-an-id,ben@acme.com,ben@acme.com,Ben,true,\n',
    },
    args: planToBen(),
    mentions: ['users.csv', 'line 2', 'not-an-id'],
  },
  {
    name: 'users: duplicate Id',
    files: {
      'users.csv':
        'Id,Username,Email,Name,IsActive,ManagerId\n{ben},ben@acme.com,ben@acme.com,Ben,true,\n{ben},b2@acme.com,b2@acme.com,Ben2,true,\n',
    },
    args: planToBen(),
    mentions: ['users.csv', 'line 3', '{ben}'],
  },
  {
    name: 'users: unterminated quote',
    files: {
      'users.csv': 'Id,Username,Email,Name,IsActive,ManagerId\n{ben},ben@acme.com,"ben@acme.com,Ben,true,\n',
    },
    args: planToBen(),
    mentions: ['users.csv', /line 2|quote/i],
  },
  {
    name: 'users: a directory',
    files: { 'users.csv': { dir: true } },
    args: planToBen(),
    mentions: ['users.csv'],
  },
  {
    name: 'queues: ragged row',
    files: { 'queues.csv': 'Id,Name,DeveloperName,SobjectType\n{hopper},Hopper\n' },
    args: planToBen(),
    mentions: ['queues.csv', 'line 2'],
  },
  {
    name: 'queues: malformed Id',
    files: { 'queues.csv': 'Id,Name,DeveloperName,SobjectType\nqq,Hopper,Hopper,Lead\n' },
    args: planToBen(),
    mentions: ['queues.csv', 'line 2', 'qq'],
  },
  {
    name: 'target: unknown user',
    args: plan('--inactive-owners', '--to', 'zed@acme.com'),
    mentions: ['--to', 'zed@acme.com'],
  },
  {
    name: 'target: inactive user',
    args: plan('--inactive-owners', '--to', 'ana@acme.com'),
    mentions: ['ana@acme.com', /inactive/i],
  },
  {
    name: 'target: unknown queue',
    args: plan('--inactive-owners', '--to', 'queue:Nope'),
    mentions: ['Nope'],
  },
  {
    name: 'target: a Case queue for leads',
    args: plan('--inactive-owners', '--to', 'queue:CaseQ'),
    mentions: ['CaseQ'],
  },
  {
    name: 'target: an Id that is nobody',
    args: plan('--inactive-owners', '--to', '{nobody}'),
    mentions: ['{nobody}'],
  },
  {
    name: 'selection: unknown owner',
    args: plan('--owner', 'zed@acme.com', '--to', 'ben@acme.com'),
    mentions: ['--owner', 'zed@acme.com'],
  },
];

/**
 * Tasks and events are assigned to people: a queue is refused as their new owner wherever it is named,
 * even one whose queues.csv row lists the object.
 */
const ACTIVITY_QUEUES = 'Id,Name,DeveloperName,SobjectType\n{hopper},Hopper,Hopper,Lead;Task;Event\n';
const activityFiles = (extra: Record<string, FileSpec> = {}): Record<string, FileSpec> => ({
  'queues.csv': ACTIVITY_QUEUES,
  'Task.csv':
    'Id,OwnerId,Subject,IsClosed\n00T000000000001EAA,{ana},Call,false\n00T000000000002EAA,{dan},Mail,true\n',
  'Event.csv':
    'Id,OwnerId,Subject,EndDateTime,ActivityDate\n00U000000000001EAA,{ana},Demo,2999-01-01T10:00:00Z,2999-01-01\n',
  ...extra,
});
const activityPlan = (object: string, ...extra: string[]): string[] => [
  'plan',
  '--from',
  `csv:${object}.csv`,
  '--object',
  object,
  '--users',
  'users.csv',
  '--queues',
  'queues.csv',
  '--home',
  'home',
  ...extra,
  '--out',
  'out',
];
const activityJob = (object: string, rules: string) =>
  `object: ${object}\nfrom: csv:${object}.csv\nusers: users.csv\nqueues: queues.csv\n${JOB_SELECT}rules:\n${rules}`;

const activityCases: CorpusCase[] = [
  {
    name: 'target: a queue for tasks (--to)',
    files: activityFiles(),
    args: activityPlan('Task', '--inactive-owners', '--to', 'queue:Hopper'),
    mentions: ['--to', 'Hopper', 'Salesforce does not let queues own Task records'],
  },
  {
    name: 'target: a queue for events (--to)',
    files: activityFiles(),
    args: activityPlan('Event', '--inactive-owners', '--to', 'queue:Hopper'),
    mentions: ['--to', 'Hopper', 'Salesforce does not let queues own Event records'],
  },
  {
    name: 'mapping: a row sending tasks to a queue',
    files: activityFiles({ 'map.csv': 'from,to\nana@acme.com,queue:Hopper\n' }),
    args: activityPlan('Task', '--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2', 'Hopper', /queues own Task/],
  },
  {
    name: 'job: a queue rule for events',
    files: activityFiles(job(activityJob('Event', '  - assign: { queue: Hopper }\n'))),
    args: jobPlan,
    mentions: ['job.yml', 'line 8', 'Hopper', /queues own Event/],
  },
  {
    name: 'job: a queue in a round robin of tasks',
    files: activityFiles(
      job(activityJob('Task', '  - assign: { roundRobin: [ben@acme.com, queue:Hopper] }\n')),
    ),
    args: jobPlan,
    mentions: ['job.yml', 'line 8', 'queue:Hopper', /queues own Task/],
  },
];

const mapCases: CorpusCase[] = [
  {
    name: 'mapping: cycle a→b→a',
    files: { 'map.csv': 'from,to\nben@acme.com,carla@acme.com\ncarla@acme.com,ben@acme.com\n' },
    args: plan('--owner', 'ben@acme.com', '--owner', 'carla@acme.com', '--map', 'map.csv'),
    mentions: ['map.csv', /cycle|loop|circular/i],
  },
  {
    name: 'mapping: to an inactive user',
    files: { 'map.csv': 'from,to\nana@acme.com,dan@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2', 'dan@acme.com'],
  },
  {
    name: 'mapping: to an unknown user',
    files: { 'map.csv': 'from,to\nana@acme.com,zed@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2', 'zed@acme.com'],
  },
  {
    name: 'mapping: from an unknown user',
    files: { 'map.csv': 'from,to\nzed@acme.com,ben@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2', 'zed@acme.com'],
  },
  {
    name: 'mapping: unknown column',
    files: { 'map.csv': 'from,to,colour\nana@acme.com,ben@acme.com,red\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'colour'],
  },
  {
    name: 'mapping: unknown column beside OldOwnerId,NewOwnerId',
    files: { 'map.csv': 'OldOwnerId,NewOwnerId,Note\n{ana},{ben},left in May\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 1', 'Note'],
  },
  {
    name: 'mapping: no to column',
    files: { 'map.csv': 'from,target\nana@acme.com,ben@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', /to/],
  },
  {
    name: 'mapping: the same from twice with different targets',
    files: { 'map.csv': 'from,to\nana@acme.com,ben@acme.com\nana@acme.com,carla@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 3', 'ana@acme.com'],
  },
  {
    name: 'mapping: empty to',
    files: { 'map.csv': 'from,to\nana@acme.com,\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2'],
  },
  {
    name: 'mapping: ragged row',
    files: { 'map.csv': 'from,to\nana@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', 'line 2'],
  },
  {
    name: 'mapping: unterminated quote',
    files: { 'map.csv': 'from,to\n"ana@acme.com,ben@acme.com\n' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv', /quote|line 2/i],
  },
  {
    name: 'mapping: empty file',
    files: { 'map.csv': '' },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv'],
  },
  {
    name: 'mapping: a directory',
    files: { 'map.csv': { dir: true } },
    args: plan('--inactive-owners', '--map', 'map.csv'),
    mentions: ['map.csv'],
  },
  {
    name: 'mapping: missing file',
    args: plan('--inactive-owners', '--map', 'nope.csv'),
    mentions: ['nope.csv'],
  },
];

const CONDITIONS: [string, string][] = [
  ['unknown field', 'Nope__c = 1'],
  ['unbalanced parenthesis', "(Country = 'DE'"],
  ['unterminated string', "Country = 'DE"],
  ['no operator', 'Country'],
  ['double operator', "Country = = 'DE'"],
  ['unknown operator', "Country ~ 'DE'"],
  ['IN without a list', "Country IN 'DE'"],
  ['empty IN list', 'Country IN ()'],
  ['number compared with a string', "NumberOfEmployees > 'many'"],
  ['boolean compared with a number', 'IsConverted = 3'],
  ['a malformed date literal', 'LastModifiedDate > 2026-13-45T00:00:00Z'],
  ['a trailing AND', "Country = 'DE' AND"],
  ['a SELECT', 'SELECT Id FROM Lead'],
  ['a semicolon', "Country = 'DE'; DELETE"],
  ['a relationship the export does not have', "Owner.Name = 'Ana'"],
  ['LIKE on a number', "NumberOfEmployees LIKE '5%'"],
  ['a date function', 'CALENDAR_YEAR(LastModifiedDate) = 2026'],
  ['an unknown date literal', 'LastModifiedDate > LAST_FORTNIGHT'],
];

const conditionCases: CorpusCase[] = CONDITIONS.flatMap(([what, cond]): CorpusCase[] => [
  {
    name: `--where: ${what}`,
    args: planToBen('--where', cond),
    mentions: [/--where|leads\.csv/, cond],
  },
  {
    name: `--exclude: ${what}`,
    args: planToBen('--exclude', cond),
    mentions: [/--exclude|leads\.csv/, cond],
  },
]);

const FLAGS: [string, string[], string][] = [
  ['--api with an unknown value', ['--api', 'soap'], 'soap'],
  ['--batch-size zero', ['--batch-size', '0'], '0'],
  ['--batch-size negative', ['--batch-size', '-5'], '-5'],
  ['--batch-size not a number', ['--batch-size', 'lots'], 'lots'],
  ['--batch-size a fraction', ['--batch-size', '2.5'], '2.5'],
  ['--object unknown', ['--object', 'Widget'], 'Widget'],
  ['--cascade without Account', ['--cascade', 'Contact'], '--cascade'],
  ['--cascade of an unknown object', ['--object', 'Account', '--cascade', 'Widget'], 'Widget'],
  ['--from an unknown source', ['--from', 'ftp:leads.csv'], 'ftp:leads.csv'],
  ['--from csv: without a path', ['--from', 'csv:'], 'csv:'],
  ['--explain with a malformed Id', ['--explain', 'nope'], 'nope'],
  ['an unknown flag', ['--frobnicate'], '--frobnicate'],
  ['--object neither standard nor custom, with the job on the command line', ['--object', 'Leads'], 'Leads'],
  ['--to given twice', ['--to', 'carla@acme.com'], 'carla@acme.com'],
  ['--where given twice', ['--where', "Country = 'DE'", '--where', "Country = 'US'"], "Country = 'DE'"],
  ['--explain with an Id of another object', ['--explain', '{account1}'], '{account1}'],
  ['--account-owner without an Account export', ['--account-owner', 'Country'], '--account'],
];

const flagCases: CorpusCase[] = FLAGS.map(([name, extra, value]) => ({
  name: `flag: ${name}`,
  args: planToBen(...extra),
  mentions: [value],
}));

flagCases.push(
  {
    name: 'flag: --out naming an existing file',
    files: { 'precious.txt': 'do not delete me\n' },
    args: ['plan', ...CSV, ...TO_BEN, '--out', 'precious.txt'],
    mentions: ['--out', 'precious.txt'],
  },
  {
    name: 'flag: --out naming a non-empty folder',
    files: { 'existing/notes.txt': 'mine\n' },
    args: ['plan', ...CSV, ...TO_BEN, '--out', 'existing'],
    mentions: ['--out', 'existing'],
  },
  {
    name: 'flag: --out under a file',
    files: { 'precious.txt': 'do not delete me\n' },
    args: ['plan', ...CSV, ...TO_BEN, '--out', 'precious.txt/run'],
    mentions: ['precious.txt'],
  },
  {
    name: 'apply: a folder that is not a run',
    files: { 'notarun/x.txt': 'x\n' },
    args: ['apply', 'notarun', '--home', 'home'],
    mentions: ['notarun'],
  },
  {
    name: 'apply: a missing run folder',
    args: ['apply', 'nowhere', '--home', 'home'],
    mentions: ['nowhere'],
  },
  { name: 'undo: a missing run folder', args: ['undo', 'nowhere', '--home', 'home'], mentions: ['nowhere'] },
  {
    name: 'undo: a folder that is not a run',
    files: { 'notarun/x.txt': 'x\n' },
    args: ['undo', 'notarun', '--home', 'home'],
    mentions: ['notarun'],
  },
  {
    name: 'run: an unknown flag value for --api',
    args: ['run', ...CSV, ...TO_BEN, '--api', 'fax', '--yes'],
    mentions: ['fax'],
  },
);

/** Job files with one key of the wrong type or unknown: [name, yaml, key mentioned, value mentioned]. */
const JOBS: [string, string, string, string][] = [
  ['unknown top-level key', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}colour: blue\n`, 'colour', 'colour'],
  [
    'object not a string',
    `object: [Lead]\nfrom: csv:leads.csv\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}`,
    'object',
    'object',
  ],
  [
    'object unknown',
    `object: Widget\nfrom: csv:leads.csv\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}`,
    'object',
    'Widget',
  ],
  ['from a number', `object: Lead\nfrom: 42\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}`, 'from', '42'],
  ['from unknown', `object: Lead\nfrom: ftp:x\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}`, 'from', 'ftp:x'],
  [
    'users a list',
    `object: Lead\nfrom: csv:leads.csv\nusers: [users.csv]\n${JOB_SELECT}${JOB_RULES}`,
    'users',
    'users',
  ],
  [
    'users missing file',
    `object: Lead\nfrom: csv:leads.csv\nusers: nope.csv\n${JOB_SELECT}${JOB_RULES}`,
    'users',
    'nope.csv',
  ],
  ['select a string', `${JOB_HEAD}select: everything\n${JOB_RULES}`, 'select', 'everything'],
  [
    'select.inactiveOwners a string',
    `${JOB_HEAD}select:\n  inactiveOwners: maybe\n${JOB_RULES}`,
    'inactiveOwners',
    'maybe',
  ],
  [
    'select unknown key',
    `${JOB_HEAD}select:\n  inactiveOwners: true\n  colour: red\n${JOB_RULES}`,
    'colour',
    'colour',
  ],
  [
    'select.exclude a number',
    `${JOB_HEAD}select:\n  inactiveOwners: true\n  exclude: 5\n${JOB_RULES}`,
    'exclude',
    '5',
  ],
  [
    'select.exclude bad SOQL',
    `${JOB_HEAD}select:\n  inactiveOwners: true\n  exclude: "Nope__c = 1"\n${JOB_RULES}`,
    'Nope__c = 1',
    'Nope__c = 1',
  ],
  [
    'select.owners unknown person',
    `${JOB_HEAD}select:\n  owners: [zed@acme.com]\n${JOB_RULES}`,
    'owners',
    'zed@acme.com',
  ],
  ['rules not a list', `${JOB_HEAD}${JOB_SELECT}rules: ben@acme.com\n`, 'rules', 'rules'],
  ['rules empty', `${JOB_HEAD}${JOB_SELECT}rules: []\n`, 'rules', 'rules'],
  ['rule without assign', `${JOB_HEAD}${JOB_SELECT}rules:\n  - name: x\n`, 'assign', 'assign'],
  [
    'rule unknown key',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { user: ben@acme.com }\n    colour: red\n`,
    'colour',
    'colour',
  ],
  [
    'rule name a list',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - name: [a]\n    assign: { user: ben@acme.com }\n`,
    'name',
    'name',
  ],
  [
    'rule when bad SOQL',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - when: "Country ~ 'DE'"\n    assign: { user: ben@acme.com }\n`,
    'when',
    '~',
  ],
  [
    'rule when a number',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - when: 7\n    assign: { user: ben@acme.com }\n`,
    'when',
    '7',
  ],
  [
    'assign unknown kind',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { telepathy: ben@acme.com }\n`,
    'telepathy',
    'telepathy',
  ],
  [
    'assign two kinds',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { user: ben@acme.com, queue: Hopper }\n`,
    'assign',
    'queue',
  ],
  [
    'assign.user unknown',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { user: zed@acme.com }\n`,
    'user',
    'zed@acme.com',
  ],
  [
    'assign.user inactive',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { user: ana@acme.com }\n`,
    'user',
    'ana@acme.com',
  ],
  ['assign.user a number', `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { user: 12 }\n`, 'user', '12'],
  ['assign.queue unknown', `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { queue: Nope }\n`, 'queue', 'Nope'],
  [
    'assign.map missing file',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { map: nope.csv }\n`,
    'map',
    'nope.csv',
  ],
  [
    'roundRobin a string',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: ben@acme.com }\n`,
    'roundRobin',
    'roundRobin',
  ],
  [
    'roundRobin empty',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [] }\n`,
    'roundRobin',
    'roundRobin',
  ],
  [
    'roundRobin with an inactive user',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, ana@acme.com] }\n`,
    'roundRobin',
    'ana@acme.com',
  ],
  [
    'weights of the wrong length',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], weights: [1] }\n`,
    'weights',
    'weights',
  ],
  [
    'weights negative',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], weights: [1, -2] }\n`,
    'weights',
    '-2',
  ],
  [
    'weights strings',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], weights: [a, b] }\n`,
    'weights',
    'a',
  ],
  [
    'balance unknown',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], balance: vibes }\n`,
    'balance',
    'vibes',
  ],
  [
    'capacity zero',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], capacity: 0 }\n`,
    'capacity',
    '0',
  ],
  [
    'capacity a string',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], capacity: lots }\n`,
    'capacity',
    'lots',
  ],
  ['write a string', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write: fast\n`, 'write', 'fast'],
  ['write.api unknown', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  api: soap\n`, 'api', 'soap'],
  ['write.batchSize zero', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  batchSize: 0\n`, 'batchSize', '0'],
  [
    'write.batchSize a string',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  batchSize: big\n`,
    'batchSize',
    'big',
  ],
  ['write unknown key', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  colour: red\n`, 'colour', 'colour'],
  ['write.stamp a list', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  stamp: [a]\n`, 'stamp', 'stamp'],
  [
    'write.stamp unknown placeholder',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  stamp: { Reason__c: "{nope}" }\n`,
    'stamp',
    '{nope}',
  ],
  [
    'write.cascade on Lead',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}write:\n  cascade: [Contact]\n`,
    'cascade',
    'line 11',
  ],
  [
    'limits.maxChanges negative',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}limits:\n  maxChanges: -1\n`,
    'maxChanges',
    '-1',
  ],
  [
    'limits.maxChanges a string',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}limits:\n  maxChanges: many\n`,
    'maxChanges',
    'many',
  ],
  [
    'limits.maxApiShare above 1',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}limits:\n  maxApiShare: 1.5\n`,
    'maxApiShare',
    '1.5',
  ],
  [
    'limits.maxApiShare a string',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}limits:\n  maxApiShare: half\n`,
    'maxApiShare',
    'half',
  ],
  ['limits unknown key', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}limits:\n  colour: red\n`, 'colour', 'colour'],
  [
    'objects a list',
    `from: csv:leads.csv\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}objects: [Lead]\n`,
    'objects',
    'objects',
  ],
  [
    'objects with an unknown object',
    `from: csv:leads.csv\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}objects:\n  Widget: {}\n`,
    'objects',
    'objects',
  ],
  [
    'object and objects together',
    `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}objects:\n  Lead: {}\n`,
    'objects',
    'objects',
  ],
  ['notify unknown', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}notify: pigeon\n`, 'notify', 'line 10'],
  ['YAML syntax error', `${JOB_HEAD}select:\n  inactiveOwners: true\n rules: [\n`, 'job.yml', 'job.yml'],
  ['YAML with tabs', `${JOB_HEAD}select:\n\tinactiveOwners: true\n${JOB_RULES}`, 'job.yml', 'job.yml'],
  [
    'queues missing file',
    `object: Lead\nfrom: csv:leads.csv\nusers: users.csv\nqueues: gone.csv\n${JOB_SELECT}${JOB_RULES}`,
    'queues',
    'gone.csv',
  ],
  [
    'from a missing export',
    `object: Lead\nfrom: csv:gone.csv\nusers: users.csv\n${JOB_SELECT}${JOB_RULES}`,
    'line 2',
    'gone.csv',
  ],
  [
    'YAML duplicate key inside select',
    `${JOB_HEAD}select:\n  inactiveOwners: true\n  inactiveOwners: false\n${JOB_RULES}`,
    'select.inactiveOwners',
    'line 7',
  ],
  [
    'rule when over a column the export lacks',
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - when: "Region__c = 'EU'"\n    assign: { user: ben@acme.com }\n`,
    'rules[0].when',
    'Region__c',
  ],
  ['YAML duplicate key', `${JOB_HEAD}${JOB_SELECT}${JOB_RULES}object: Contact\n`, 'object', 'object'],
  ['empty job file', '', 'job.yml', 'job.yml'],
  ['job file a list', '- object: Lead\n', 'job.yml', 'job.yml'],
];

const jobCases: CorpusCase[] = [
  ...JOBS.map(([name, yaml, key, value]) => ({
    name: `job: ${name}`,
    files: job(yaml),
    args: jobPlan,
    mentions: ['job.yml', key, value],
  })),
  { name: 'job: a directory', files: { 'job.yml': { dir: true } }, args: jobPlan, mentions: ['job.yml'] },
  {
    name: 'job: missing file',
    args: ['plan', '--job', 'nope.yml', '--home', 'home', '--out', 'out'],
    mentions: ['nope.yml'],
  },
];

const TERRITORY_JOB = `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { territory: territories.csv }\n`;
const territory = (table: string): Record<string, FileSpec> => ({
  'job.yml': TERRITORY_JOB,
  'territories.csv': table,
});
const roundRobinJob = (options: string): Record<string, FileSpec> =>
  job(
    `${JOB_HEAD}${JOB_SELECT}rules:\n  - assign: { roundRobin: [ben@acme.com, carla@acme.com], ${options} }\n`,
  );

const territoryCases: CorpusCase[] = [
  {
    name: 'territory: a column that is no field of the export',
    files: territory('Country,Regoin__c,Owner\nUS,EU,ben@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 1', 'Regoin__c'],
  },
  {
    name: 'territory: an unknown owner',
    files: territory('Country,Owner\nUS,nobody@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 2', 'nobody@acme.com'],
  },
  {
    name: 'territory: an inactive owner',
    files: territory('Country,Owner\nDE,ben@acme.com\nUS,ana@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 3', 'ana@acme.com'],
  },
  {
    name: 'territory: a queue that does not take the object',
    files: territory('Country,Owner\nUS,queue:CaseQ\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 2', 'CaseQ'],
  },
  {
    name: 'territory: a malformed range',
    files: territory('Country,NumberOfEmployees,Owner\nUS,ten..20,ben@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 2', 'ten..20'],
  },
  {
    name: 'territory: a star inside a value',
    files: territory('Country,Owner\nU*S,ben@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 2', 'U*S'],
  },
  {
    name: 'territory: a row an earlier row covers',
    files: territory('Country,NumberOfEmployees,Owner\nUS|DE,,ben@acme.com\nUS,1..50,carla@acme.com\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 3', 'line 2'],
  },
  {
    name: 'territory: a row without an owner',
    files: territory('Country,Owner\nUS,\n'),
    args: jobPlan,
    mentions: ['territories.csv', 'line 2', 'Owner'],
  },
  {
    name: 'territory: a range over a value that is no number',
    files: {
      ...territory('NumberOfEmployees,Owner\n..100,ben@acme.com\n'),
      'leads.csv': `{HEADER}\n{ROWS}${row('{lead9}', '{dan}', 'Acme,US,many,false,false,2026-01-01T00:00:00Z,x@y.z')}\n`,
    },
    args: jobPlan,
    mentions: ['line 6', 'many'],
  },
  {
    name: 'territory: a missing table',
    files: job(TERRITORY_JOB),
    args: jobPlan,
    mentions: ['territories.csv'],
  },
  {
    name: 'load: without balance: load',
    files: roundRobinJob('load: { Lead: "IsConverted = false" }'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.load', 'balance: load'],
  },
  {
    name: 'load: an object the job has no export of',
    files: roundRobinJob('balance: load, load: { Opportunity: "IsClosed = false" }'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.load.Opportunity', '--opportunities'],
  },
  {
    name: 'load: a condition over a column the export lacks',
    files: roundRobinJob('balance: load, load: { Lead: "Rating__c = \'Hot\'" }'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.load.Lead', 'Rating__c'],
  },
  {
    name: 'load: a condition that does not parse',
    files: roundRobinJob('balance: load, load: { Lead: "IsConverted = = false" }'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.load.Lead'],
  },
  {
    name: 'performance: weights: performance without performance',
    files: roundRobinJob('weights: performance'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.weights', 'performance'],
  },
  {
    name: 'performance: performance without weights: performance',
    files: roundRobinJob('performance: { object: Lead, where: "IsConverted = true" }'),
    args: jobPlan,
    mentions: ['job.yml', 'rules[0].assign.performance', 'weights: performance'],
  },
  {
    name: 'performance: an unknown key',
    files: roundRobinJob('weights: performance, performance: { object: Lead, when: "IsConverted = true" }'),
    args: jobPlan,
    mentions: ['job.yml', 'performance', 'when'],
  },
];

/** Jobs of several objects (`objects:`) over a Data Export folder: export/ with Lead.csv and Task.csv. */
const folderFiles = (extra: Record<string, FileSpec> = {}): Record<string, FileSpec> => ({
  'export/User.csv': { symlinkTo: '../users.csv' },
  'export/Group.csv': 'Id,Name,DeveloperName,Type\n{hopper},Hopper,Hopper,Queue\n',
  'export/Lead.csv': '{HEADER}\n{ROWS}',
  'export/Task.csv':
    'Id,OwnerId,Subject,IsClosed\n00T000000000001EAA,{ana},Call,false\n00T000000000002EAA,{dan},Mail,true\n',
  ...extra,
});
const objectsJob = (objects: string, head = 'from: csv:export/\n') =>
  job(`${head}${JOB_SELECT}${JOB_RULES}objects:\n${objects}`);

/** `offboard PERSON` over export/, in the run home `home`. */
const offboard = (person: string, ...extra: string[]): string[] => [
  'offboard',
  person,
  '--from',
  'csv:export/',
  ...extra,
  '--home',
  'home',
];

const objectsCases: CorpusCase[] = [
  {
    name: 'objects: an object the folder has no export of',
    files: folderFiles(objectsJob('  Lead: {}\n  Case: {}\n')),
    args: jobPlan,
    mentions: ['job.yml', 'export', 'Case.csv', 'Lead.csv'],
  },
  {
    name: 'objects: two objects missing from the folder, both named',
    files: folderFiles(objectsJob('  Lead: {}\n  Case: {}\n  Event: {}\n')),
    args: jobPlan,
    mentions: ['Case.csv', 'Event.csv'],
  },
  {
    name: 'objects: a single export for a job of several objects',
    files: folderFiles(objectsJob('  Lead: {}\n  Task: {}\n', 'from: csv:export/Lead.csv\n')),
    args: jobPlan,
    mentions: ['job.yml', 'Lead.csv', 'several objects', 'csv:FOLDER/'],
  },
  {
    name: 'objects: object and objects both',
    files: folderFiles(objectsJob('  Lead: {}\n', 'object: Lead\nfrom: csv:export/\n')),
    args: jobPlan,
    mentions: ['job.yml', 'line 1', 'object', 'objects'],
  },
  {
    name: 'objects: not an object name',
    files: folderFiles(objectsJob('  Lead: {}\n  "Bad Name": {}\n')),
    args: jobPlan,
    mentions: ['job.yml', 'Bad Name'],
  },
  {
    name: 'objects: neither standard nor custom, on a CSV folder',
    files: folderFiles(objectsJob('  Lead: {}\n  Widget: {}\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects.Widget', 'Widget', '__c'],
  },
  {
    name: 'objects: the same object twice',
    files: folderFiles(objectsJob('  Lead: {}\n  lead: {}\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects.lead', 'twice'],
  },
  {
    name: 'objects: an empty list',
    files: folderFiles(objectsJob(' {}\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects', 'names no object'],
  },
  {
    name: 'objects: an unknown key under an object',
    files: folderFiles(objectsJob('  Lead: { rule: [] }\n')),
    args: jobPlan,
    mentions: ['job.yml', 'line 8', 'objects.Lead.rule', 'rules'],
  },
  {
    name: "objects: an unknown key in an object's select",
    files: folderFiles(objectsJob('  Lead: { select: { owner: [ben@acme.com] } }\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects.Lead.select.owner', 'owners'],
  },
  {
    name: 'objects: cascade on an object that is not Account',
    files: folderFiles(objectsJob('  Lead: { write: { cascade: [Contact] } }\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects.Lead.write.cascade', 'Lead'],
  },
  {
    name: 'objects: a queue as the new owner of tasks',
    files: folderFiles(objectsJob('  Lead: {}\n  Task:\n    rules:\n      - assign: { queue: Hopper }\n')),
    args: jobPlan,
    mentions: ['job.yml', 'line 11', 'Hopper', /queues own Task/],
  },
  {
    name: "objects: a mapping file an object's rule names is missing",
    files: folderFiles(objectsJob('  Lead:\n    rules:\n      - assign: { map: gone.csv }\n')),
    args: jobPlan,
    mentions: ['job.yml', 'objects.Lead.rules[0].assign.map', 'gone.csv'],
  },
  {
    name: 'objects: --object cannot pick one of them',
    files: folderFiles(objectsJob('  Lead: {}\n  Task: {}\n')),
    args: [...jobPlan, '--object', 'Lead'],
    mentions: ['--object', 'Lead, Task'],
  },
  {
    name: 'objects: a Task export without IsClosed',
    files: folderFiles({
      ...objectsJob('  Lead: {}\n  Task: {}\n'),
      'export/Task.csv': 'Id,OwnerId,Subject\n00T000000000001EAA,{ana},Call\n',
    }),
    args: jobPlan,
    mentions: ['Task.csv', 'IsClosed'],
  },
  {
    name: 'objects: an object whose export has no OwnerId',
    files: folderFiles({
      ...objectsJob('  Lead: {}\n  Task: {}\n'),
      'export/Task.csv': 'Id,Subject,IsClosed\n00T000000000001EAA,Call,false\n',
    }),
    args: jobPlan,
    mentions: ['Task.csv', 'OwnerId'],
  },
  {
    name: 'offboard: not an object name in --object',
    files: folderFiles(),
    args: offboard('{ana}', '--to', 'ben@acme.com', '--object', 'Bad Name'),
    mentions: ['--object', 'Bad Name'],
  },
  {
    name: 'offboard: a custom object the folder has no export of',
    files: folderFiles(),
    args: offboard('{ana}', '--to', 'ben@acme.com', '--object', 'Project__c'),
    mentions: ['--from', 'Project__c.csv'],
  },
  {
    name: 'offboard: a queue for tasks',
    files: folderFiles(),
    args: offboard('{ana}', '--to', 'queue:Hopper'),
    mentions: ['--to', 'Hopper', /queues own Task/],
  },
  {
    name: 'offboard: nobody of that name',
    files: folderFiles(),
    args: offboard('nobody@acme.com', '--to', 'ben@acme.com'),
    mentions: ['offboard <person>', 'nobody@acme.com'],
  },
  {
    name: 'offboard: no rule',
    files: folderFiles(),
    args: offboard('{ana}'),
    mentions: ['--to, --map or --to-manager'],
  },
  {
    name: 'offboard: a folder with no export of a standard object',
    files: { 'empty/User.csv': { symlinkTo: '../users.csv' } },
    args: ['offboard', '{ana}', '--from', 'csv:empty/', '--to', 'ben@acme.com', '--home', 'home'],
    mentions: ['--from', 'empty', 'Lead'],
  },
];

export const CORPUS: CorpusCase[] = [
  ...exportCases,
  ...peopleCases,
  ...activityCases,
  ...mapCases,
  ...conditionCases,
  ...flagCases,
  ...jobCases,
  ...territoryCases,
  ...objectsCases,
];

export { HEADER };
