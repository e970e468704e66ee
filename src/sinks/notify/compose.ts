import { NAMED_RECORDS, type NoticeDraft } from './drafts.js';

/** What the message says about the run: who moved the records, and why. */
export interface RunFacts {
  runId: string;
  /** The Salesforce user the apply ran as, e.g. `Ada Admin (admin@acme.com)`. */
  salesforceUser: string;
  /** Who started leadshift (`user@host`, from run.json). */
  ranBy: string;
  /** The org's address: a record's link is `<instance>/<Id>`. */
  instanceUrl: string;
}

export interface Message {
  subject: string;
  body: string;
}

/** Task.Subject holds 255 characters. */
const SUBJECT_LIMIT = 255;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The plain-text message one new owner receives: the same text as an email and as a Task. */
export function composeMessage(
  draft: NoticeDraft,
  recipientName: string,
  names: Map<string, string>,
  run: RunFacts,
): Message {
  const objects = [...new Set(draft.groups.map((g) => g.object))];
  const what =
    objects.length === 1 ? plural(draft.records, `${objects[0]} record`) : plural(draft.records, 'record');
  const subject = `${what} moved to you in Salesforce (leadshift run ${run.runId})`.slice(0, SUBJECT_LIMIT);
  const width = String(Math.max(...draft.groups.map((g) => g.count))).length;
  const groups = draft.groups.map(
    (g) => `  ${String(g.count).padStart(width)}  ${g.object}, rule "${g.rule}"`,
  );
  const named = draft.named.map(({ id }) => {
    const name = names.get(id);
    return `  ${name ? `${name}  ` : ''}${run.instanceUrl}/${id}`;
  });
  const rest = draft.records - draft.named.length;
  const rules = [...new Set(draft.groups.map((g) => g.rule))];
  const lines = [
    `Hello ${recipientName},`,
    '',
    `You are now the owner of ${what}:`,
    ...groups,
    '',
    draft.records > NAMED_RECORDS ? `The first ${NAMED_RECORDS}:` : 'The records:',
    ...named,
    ...(rest > 0 ? [`  and ${plural(rest, 'more record')}`] : []),
    '',
    `Why: moved by ${run.salesforceUser} with leadshift, by the ${rules.length === 1 ? 'rule' : 'rules'} ${rules.map((r) => `"${r}"`).join(', ')}.`,
    `Run ${run.runId}, started by ${run.ranBy}.`,
  ];
  return { subject, body: `${lines.join('\n')}\n` };
}
