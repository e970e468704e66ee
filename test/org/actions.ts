// Standard invocable actions: emailSimple, with the org's outbox instead of a mail server.
// https://developer.salesforce.com/docs/atlas.en-us.api_action.meta/api_action/actions_obj_email_simple.htm

import { SfError } from './errors.js';
import { type Ctx, isObject, json, jsonBody, methodNotAllowed, type Reply } from './http.js';
import type { OrgState } from './state.js';

/** An email the org "sent": what the emailSimple action was given, and by whom. */
export interface SentEmail {
  to: string[];
  subject: string;
  body: string;
  senderType: string;
  /** The user whose session called the action. */
  sentById: string;
  sentAt: string;
}

interface ActionError {
  statusCode: string;
  message: string;
  fields: string[];
}

const EMAIL_INPUTS = new Set([
  'emailAddresses',
  'emailAddressesArray',
  'emailSubject',
  'emailBody',
  'senderType',
  'senderAddress',
  'composeMode',
  'relatedRecordId',
  'logEmailOnSend',
  'useLineBreaks',
]);
const MAX_RECIPIENTS = 5;
const ADDRESS = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

const missing = (name: string): ActionError => ({
  statusCode: 'REQUIRED_FIELD_MISSING',
  message: `Missing required input parameter: ${name}`,
  fields: [],
});

function recipientsOf(input: Record<string, unknown>): string[] {
  const listed =
    typeof input.emailAddresses === 'string'
      ? input.emailAddresses
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : [];
  const array = Array.isArray(input.emailAddressesArray) ? input.emailAddressesArray.map(String) : [];
  return [...listed, ...array];
}

/** The checks Salesforce makes on one input, in its order; undefined when the email goes out. */
function emailError(state: OrgState, input: Record<string, unknown>): ActionError | undefined {
  const unknown = Object.keys(input).find((key) => !EMAIL_INPUTS.has(key));
  if (unknown)
    return { statusCode: 'INVALID_API_INPUT', message: `Invalid input parameter: ${unknown}`, fields: [] };
  const to = recipientsOf(input);
  if (to.length === 0) return missing('emailAddresses');
  if (to.length > MAX_RECIPIENTS)
    return {
      statusCode: 'LIMIT_EXCEEDED',
      message: `The number of email recipients must be ${MAX_RECIPIENTS} or less`,
      fields: [],
    };
  const bad = to.find((address) => !ADDRESS.test(address));
  if (bad)
    return { statusCode: 'INVALID_EMAIL_ADDRESS', message: `Email address is invalid: ${bad}`, fields: [] };
  if (typeof input.emailSubject !== 'string' || input.emailSubject.trim() === '')
    return missing('emailSubject');
  if (typeof input.emailBody !== 'string' || input.emailBody.trim() === '') return missing('emailBody');
  for (const address of to) {
    const rejected = state.emailRejects.get(address.toLowerCase());
    if (rejected) return { ...rejected, fields: [] };
  }
  return undefined;
}

function emailSimple(ctx: Ctx): Reply {
  const body = jsonBody(ctx);
  if (!isObject(body) || !Array.isArray(body.inputs))
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must contain an inputs array');
  const results = body.inputs.map((input: unknown) => {
    const error = isObject(input)
      ? emailError(ctx.state, input)
      : { statusCode: 'JSON_PARSER_ERROR', message: 'Each input must be a JSON object', fields: [] };
    if (error) return { actionName: 'emailSimple', errors: [error], isSuccess: false, outputValues: null };
    const values = input as Record<string, unknown>;
    ctx.state.outbox.push({
      to: recipientsOf(values),
      subject: String(values.emailSubject),
      body: String(values.emailBody),
      senderType: typeof values.senderType === 'string' ? values.senderType : 'CurrentUser',
      sentById: ctx.userId,
      sentAt: ctx.state.store.now().toISOString(),
    });
    return { actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null };
  });
  // A request in which an input failed is answered 400, with the same array of results.
  const failed = results.some((result: { isSuccess: boolean }) => !result.isSuccess);
  return json(failed ? 400 : 200, results);
}

export function handleActions(ctx: Ctx): Reply | undefined {
  const m = /^\/actions\/standard\/([^/]+)$/.exec(ctx.sub);
  if (!m) return undefined;
  ctx.kind = 'action';
  if (m[1] !== 'emailSimple') throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (ctx.method !== 'POST') throw methodNotAllowed(ctx, ['GET', 'HEAD', 'POST']);
  return emailSimple(ctx);
}
