/** Shared set-up for the adapter's integration tests: a test org and a client with fast timings. */
import { type ConnectOptions, connectSalesforce, type SalesforceClient } from '../../src/salesforce/index.js';
import { TestOrg } from '../org/index.js';

export interface Harness {
  org: TestOrg;
  /** Every backoff/poll wait the client asked for, in ms (sleeps return at once). */
  waits: number[];
}

export async function startOrg(options?: Parameters<typeof TestOrg.start>[0]): Promise<Harness> {
  const org = await TestOrg.start(options);
  return { org, waits: [] };
}

export function passwordEnv(org: TestOrg): Record<string, string> {
  const c = org.credentials;
  return {
    SF_LOGIN_URL: org.url,
    SF_USERNAME: c.username,
    SF_PASSWORD: c.password,
    SF_SECURITY_TOKEN: c.securityToken,
    SF_CLIENT_ID: c.clientId,
    SF_CLIENT_SECRET: c.clientSecret,
  };
}

export function tuning(h: Harness): NonNullable<ConnectOptions['tuning']> {
  return {
    retry: {
      sleep: (ms: number) => {
        h.waits.push(ms);
        // Let a little real time pass so the org's Bulk jobs move on while the client polls.
        return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 2)));
      },
    },
    pollIntervalMs: 1,
    maxPollIntervalMs: 5,
  };
}

/** Tuning for a second client on the same harness, with a few values changed. */
export function tuned(
  h: Harness,
  extra: Omit<NonNullable<ConnectOptions['tuning']>, 'retry'>,
): NonNullable<ConnectOptions['tuning']> {
  return { ...tuning(h), ...extra };
}

/** Password-flow client (the mode most tests do not care about). */
export function connect(h: Harness, extra: Partial<ConnectOptions> = {}): Promise<SalesforceClient> {
  return connectSalesforce({ env: passwordEnv(h.org), tuning: tuning(h), ...extra });
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<{ pages: number; rows: T[] }> {
  const rows: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    rows.push(...page);
  }
  return { pages: count, rows };
}

/** Every secret the org handed out, to check no message leaks one. */
export function secretsOf(org: TestOrg): string[] {
  const c = org.credentials;
  return [c.password, c.securityToken, c.clientSecret, c.privateKeyPem.slice(40, 100)];
}
