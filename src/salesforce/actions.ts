/**
 * Invocable actions and single-record creates, sent once each: a notification sent twice reaches its
 * reader twice, so nothing here retries (a failure is reported, and `leadshift notify` sends it again).
 */
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { Channel } from './http.js';

/** One input's outcome, as Salesforce reports it for an invocable action. */
export interface ActionOutcome {
  isSuccess: boolean;
  /** `STATUS_CODE: message`, when it failed. */
  error?: string;
}

interface ActionResult {
  isSuccess?: boolean;
  errors?: Array<{ statusCode?: string; message?: string }> | null;
}

/**
 * An invocable action answers a request whose inputs failed with HTTP 400 and the same array of
 * results as on success, one per input, each `{actionName, isSuccess, errors, outputValues}`. jsforce
 * reads any 400 as an error and drops that body, so this one request keeps the body of a 400.
 */
class ActionApi extends HttpApi<never> {
  override isErrorResponse(response: { statusCode: number }): boolean {
    return response.statusCode !== 400 && response.statusCode >= 400;
  }
}

/** POST /actions/standard/<name> with `inputs`; one outcome per input, in order. */
export async function invokeStandardAction(
  channel: Channel,
  name: string,
  inputs: Array<Record<string, unknown>>,
): Promise<ActionOutcome[]> {
  const url = channel.absoluteUrl(`/actions/standard/${encodeURIComponent(name)}`);
  const body = JSON.stringify({ inputs });
  const api = new ActionApi(channel.conn as never, { retry: { methods: [] }, timeout: 60_000 });
  let status: number | undefined;
  api.on('request', () => channel.calls.add('other', Buffer.byteLength(url) + Buffer.byteLength(body)));
  api.on('response', (response: { statusCode: number }) => {
    status = response.statusCode;
  });
  let reply: unknown;
  try {
    reply = await api.request({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      body,
    });
  } catch (error) {
    throw channel.mapError(error, { kind: 'other' }, status);
  }
  if (!Array.isArray(reply) || reply.length !== inputs.length)
    throw channel.mapError(
      { errorCode: `ERROR_HTTP_${status ?? 0}`, message: `unexpected reply to the ${name} action` },
      { kind: 'other' },
      status,
    );
  return (reply as ActionResult[]).map(outcomeOf);
}

function outcomeOf(result: ActionResult): ActionOutcome {
  if (result.isSuccess === true) return { isSuccess: true };
  const errors = (result.errors ?? []).map((e) =>
    [e.statusCode, e.message].filter((part) => part !== undefined && part !== '').join(': '),
  );
  return { isSuccess: false, error: errors.join('; ') || 'the action reported no success and no error' };
}

/** POST /sobjects/<object>: creates one record, sent once; its Id. */
export async function createRecord(
  channel: Channel,
  object: string,
  fields: Record<string, string>,
): Promise<string> {
  const response = await channel.attempt<{ id?: string; success?: boolean }>({
    kind: 'other',
    method: 'POST',
    url: `/sobjects/${encodeURIComponent(object)}`,
    body: JSON.stringify(fields),
    object,
  });
  return String(response.body.id ?? '');
}
