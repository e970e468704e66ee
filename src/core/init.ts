import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadJobFile } from '../config/load-job.js';
import { RefusedError } from '../errors.js';
import type { Choice, Ports, Prompt } from '../ports.js';
import { strategies } from '../rules/strategies/index.js';
import { splitList } from '../rules/strategies/parts.js';

type Assign = Record<string, unknown>;

/**
 * Asks the questions a job file answers and writes it. The file is then read back through the same
 * loader and schema as `--job`, so what init writes is exactly what a run accepts.
 */
export async function writeJobInteractively(out: string | undefined, ports: Ports): Promise<string> {
  const { prompt } = ports;
  if (!prompt.interactive) {
    throw new RefusedError(
      'init asks questions, and there is no terminal to ask on',
      'Run it in a terminal, or write the job file by hand (see the README)',
    );
  }
  const path = resolve(ports.cwd, out ?? (await prompt.ask('Save the job file as', 'jobs/job.yml')));
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists && !(await prompt.confirm(`${path} exists. Overwrite it?`)))
    throw new RefusedError(`${path} exists; nothing was written`);
  const rel = (file: string) => relative(dirname(path), resolve(ports.cwd, file)) || '.';
  const job: Record<string, unknown> = {};
  const source = await prompt.choose('Where do the records come from?', [
    { name: 'Salesforce (an org: --org alias or SF_* variables)', value: 'salesforce' },
    { name: 'CSV exports (no API access needed)', value: 'csv' },
  ]);
  job.object = await askObject(prompt);
  if (source === 'csv') {
    job.from = `csv:${rel(await prompt.ask('Path of the record export', `${String(job.object).toLowerCase()}s.csv`))}`;
    job.users = rel(await prompt.ask('Path of the User export', 'users.csv'));
    const queues = await prompt.ask('Path of the Queue export (empty if no rule uses a queue)', '');
    if (queues) job.queues = rel(queues);
  } else {
    job.from = 'salesforce';
  }
  job.select = await askSelection(prompt);
  job.rules = await askRules(prompt, rel);
  if (source === 'salesforce') {
    job.write = { api: await prompt.choose('How should changes be written?', API_CHOICES) };
  }
  const maxChanges = Number(await prompt.ask('Refuse to apply a plan with more changes than', '5000'));
  if (Number.isInteger(maxChanges) && maxChanges > 0) job.limits = { maxChanges };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    `# Written by leadshift init. Run: leadshift run --job ${relative(ports.cwd, path)} --dry-run\n${stringify(job)}`,
  );
  try {
    await loadJobFile(path);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return path;
}

const API_CHOICES: ReadonlyArray<Choice<string>> = [
  { name: 'auto: Bulk API 2.0 from 2,000 records, REST below', value: 'auto' },
  { name: 'rest: sObject Collections, 200 records a request', value: 'rest' },
  { name: 'bulk: Bulk API 2.0 always', value: 'bulk' },
];

async function askObject(prompt: Prompt): Promise<string> {
  const choice = await prompt.choose(
    'Which records?',
    ['Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'other'].map((value) => ({ name: value, value })),
  );
  return choice === 'other' ? prompt.ask('API name of the object (e.g. Territory_Request__c)') : choice;
}

async function askSelection(prompt: Prompt): Promise<Record<string, unknown>> {
  const select: Record<string, unknown> = {};
  const how = await prompt.choose('Which of them move?', [
    { name: 'records of inactive users (reps who left)', value: 'inactive' },
    { name: 'records of named people', value: 'owners' },
    { name: 'records matching a SOQL condition', value: 'where' },
  ]);
  if (how === 'inactive') select.inactiveOwners = true;
  if (how === 'owners')
    select.owners = splitList(await prompt.ask('Their usernames or emails, separated by commas'));
  if (how === 'where')
    select.where = await prompt.ask('SOQL condition (e.g. LastModifiedDate < LAST_N_DAYS:30)');
  const exclude = await prompt.ask('Leave out records matching (SOQL, empty for none)', '');
  if (exclude) select.exclude = exclude;
  return select;
}

const DONE = 'done';

/** The strategies init offers, in the registry's order, then a way to stop. */
const RULE_CHOICES: ReadonlyArray<Choice<string>> = [
  ...strategies.list.flatMap((strategy) =>
    strategy.init ? [{ name: strategy.init.choice, value: strategy.key }] : [],
  ),
  { name: 'no more rules', value: DONE },
];

async function askRules(
  prompt: Prompt,
  rel: (file: string) => string,
): Promise<Array<{ assign: Assign; when?: string }>> {
  const rules: Array<{ assign: Assign; when?: string }> = [];
  for (;;) {
    const kind = await prompt.choose(
      rules.length === 0 ? 'Who gets them? (first rule)' : 'Then, for records no rule has taken yet?',
      rules.length === 0 ? RULE_CHOICES.filter((c) => c.value !== DONE) : RULE_CHOICES,
    );
    const question = strategies.list.find((strategy) => strategy.key === kind)?.init;
    if (!question) return rules;
    const assign = await question.ask(prompt, rel);
    const when = await prompt.ask('Only when (SOQL condition, empty for always)', '');
    rules.push(when ? { when, assign } : { assign });
  }
}
