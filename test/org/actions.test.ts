/**
 * The test org's emailSimple action and record creates, spoken to over plain HTTP so that the wire
 * format itself is what is checked: the results array, HTTP 400 when an input failed, the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestOrg } from './index.js';

const V = '62.0';
let org: TestOrg;
let ben: string;
let queue: string;

beforeAll(async () => {
  org = await TestOrg.start({ apiVersion: V });
  [ben = ''] = org.insert('User', [
    { LastName: 'Okafor', Username: 'ben@acme.com', Email: 'ben@acme.com', Alias: 'ben', IsActive: true },
  ]);
  [queue = ''] = org.insert('Group', [{ Type: 'Queue', Name: 'Hopper', DeveloperName: 'Hopper' }]);
});
afterAll(() => org.close());

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${org.url}/services/data/v${V}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${org.issueAccessToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const email = (input: Record<string, unknown>) => post('/actions/standard/emailSimple', { inputs: [input] });

describe('emailSimple', () => {
  it('sends: a results array with isSuccess, and the email in the outbox', async () => {
    const before = org.apiCallCount('action');
    const reply = await email({ emailAddresses: 'ben@acme.com', emailSubject: 'Hi', emailBody: 'Body' });
    expect(reply).toEqual({
      status: 200,
      json: [{ actionName: 'emailSimple', errors: null, isSuccess: true, outputValues: null }],
    });
    expect(org.outbox.at(-1)).toMatchObject({
      to: ['ben@acme.com'],
      subject: 'Hi',
      body: 'Body',
      sentById: org.userId,
    });
    expect(org.apiCallCount('action')).toBe(before + 1);
  });

  it.each([
    [
      { emailSubject: 'Hi', emailBody: 'B' },
      'REQUIRED_FIELD_MISSING',
      'Missing required input parameter: emailAddresses',
    ],
    [
      { emailAddresses: 'ben@acme.com', emailBody: 'B' },
      'REQUIRED_FIELD_MISSING',
      'Missing required input parameter: emailSubject',
    ],
    [
      { emailAddresses: 'ben@acme.com', emailSubject: 'Hi' },
      'REQUIRED_FIELD_MISSING',
      'Missing required input parameter: emailBody',
    ],
    [
      { emailAddresses: 'not-an-address', emailSubject: 'Hi', emailBody: 'B' },
      'INVALID_EMAIL_ADDRESS',
      'Email address is invalid: not-an-address',
    ],
    [
      { emailAddresses: 'a@x.io,b@x.io,c@x.io,d@x.io,e@x.io,f@x.io', emailSubject: 'Hi', emailBody: 'B' },
      'LIMIT_EXCEEDED',
      'The number of email recipients must be 5 or less',
    ],
    [
      { emailAddresses: 'ben@acme.com', emailSubject: 'Hi', emailBody: 'B', cc: 'x' },
      'INVALID_API_INPUT',
      'Invalid input parameter: cc',
    ],
  ])('refuses %j with %s, as HTTP 400 and the same results array', async (input, statusCode, message) => {
    const sent = org.outbox.length;
    const reply = await email(input);
    expect(reply).toEqual({
      status: 400,
      json: [
        {
          actionName: 'emailSimple',
          errors: [{ statusCode, message, fields: [] }],
          isSuccess: false,
          outputValues: null,
        },
      ],
    });
    expect(org.outbox).toHaveLength(sent);
  });

  it('answers each input of a request on its own', async () => {
    const sent = org.outbox.length;
    const reply = await post('/actions/standard/emailSimple', {
      inputs: [
        { emailAddresses: 'ben@acme.com', emailSubject: 'One', emailBody: 'B' },
        { emailAddresses: 'ben@acme.com', emailBody: 'B' },
      ],
    });
    expect(reply.status).toBe(400);
    expect((reply.json as Array<{ isSuccess: boolean }>).map((r) => r.isSuccess)).toEqual([true, false]);
    expect(org.outbox).toHaveLength(sent + 1);
  });

  it('a body without inputs is refused as a whole', async () => {
    const reply = await post('/actions/standard/emailSimple', { emailAddresses: 'ben@acme.com' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual([
      { errorCode: 'JSON_PARSER_ERROR', message: 'The request body must contain an inputs array' },
    ]);
  });
});

describe('creating a Task', () => {
  it('creates an open Task owned by the user, Status defaulted', async () => {
    const reply = await post('/sobjects/Task', { Subject: 'S', Description: 'D', OwnerId: ben });
    expect(reply.status).toBe(201);
    const { id } = reply.json as { id: string };
    expect(org.record('Task', id)).toMatchObject({
      Subject: 'S',
      OwnerId: ben,
      Status: 'Not Started',
      IsClosed: false,
    });
    const done = await post('/sobjects/Task', { Subject: 'S', OwnerId: ben, Status: 'Completed' });
    expect(org.record('Task', (done.json as { id: string }).id)?.IsClosed).toBe(true);
  });

  it('refuses a queue as owner, a read-only field, and an unknown field', async () => {
    expect(await post('/sobjects/Task', { Subject: 'S', OwnerId: queue })).toMatchObject({
      status: 400,
      json: [{ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['OwnerId'] }],
    });
    expect(await post('/sobjects/Task', { Subject: 'S', IsClosed: true })).toMatchObject({
      status: 400,
      json: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsClosed'] }],
    });
    expect(await post('/sobjects/Task', { Subject: 'S', Colour__c: 'red' })).toMatchObject({
      status: 400,
      json: [{ errorCode: 'INVALID_FIELD' }],
    });
  });
});
