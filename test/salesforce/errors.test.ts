import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { createRedactor, mapSalesforceError } from '../../src/salesforce/errors.js';
import { ApiLimitError, SalesforceError, SessionExpiredError } from '../../src/salesforce/index.js';

const redact = createRedactor(() => ['Sup3rSecret!']);
const ctx = { kind: 'collections' as const, redact, sessionHint: 'Log in again.' };

function jsforceError(name: string, message: string, extra: object = {}) {
  return Object.assign(new Error(message), { name, errorCode: name, ...extra });
}

describe('mapSalesforceError', () => {
  it('retries dropped connections and timeouts, not other network failures', () => {
    const reset = Object.assign(new Error('request to http://x failed, reason: socket hang up'), {
      name: 'FetchError',
      code: 'ECONNRESET',
    });
    expect(mapSalesforceError(reset, ctx)).toMatchObject({ code: 'ECONNRESET', transient: true });
    expect(
      mapSalesforceError(Object.assign(new Error('aborted'), { name: 'AbortError' }), ctx),
    ).toMatchObject({
      transient: true,
    });
    expect(
      mapSalesforceError(jsforceError('SERVER_UNAVAILABLE', 'down'), { ...ctx, status: 503 }),
    ).toMatchObject({
      transient: true,
    });
    expect(mapSalesforceError(jsforceError('INVALID_FIELD', 'bad'), { ...ctx, status: 400 })).toMatchObject({
      transient: false,
    });
  });

  it('maps limits, sessions and query input errors to the tool errors', () => {
    expect(
      mapSalesforceError(jsforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), ctx),
    ).toBeInstanceOf(ApiLimitError);
    expect(mapSalesforceError(new Error('Unable to refresh session due to: nope'), ctx)).toBeInstanceOf(
      SessionExpiredError,
    );
    const query = { ...ctx, kind: 'query' as const, soql: 'SELECT Nope FROM Lead' };
    expect(mapSalesforceError(jsforceError('MALFORMED_QUERY', 'unexpected token'), query)).toBeInstanceOf(
      InputError,
    );
    expect(mapSalesforceError(jsforceError('UNKNOWN_EXCEPTION', 'boom'), query)).toBeInstanceOf(
      SalesforceError,
    );
  });

  it('reads the Salesforce code out of a body jsforce left unparsed', () => {
    const raw = jsforceError(
      'ERROR_HTTP_403',
      '[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]',
    );
    expect(mapSalesforceError(raw, ctx)).toBeInstanceOf(ApiLimitError);
  });

  it('never lets a token, password or secret through', () => {
    const leaky = new Error(
      'GET https://x.my.salesforce.com/id/00D/005?format=json&oauth_token=00D5g000004abcd!AR8AQP0abc.def failed; Bearer abc.def; Sup3rSecret!',
    );
    const text = String(mapSalesforceError(leaky, ctx));
    expect(text).not.toMatch(/00D5g000004abcd!|AR8AQP0abc|Bearer abc|Sup3rSecret/);
    expect(text).toContain('oauth_token=[redacted]');
  });
});
