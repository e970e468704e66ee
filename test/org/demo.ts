// Runs a TestOrg on a fixed port, seeded from fixtures/demo/*.csv, until Ctrl-C.
// Usage: npm run demo:org   (PORT=8787 by default)

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestOrg } from './index.js';
import { seedFromCsv } from './seed.js';

const fixtures = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const org = await TestOrg.start({ port });
  let summary: string[];
  try {
    summary = seedFromCsv(org, fixtures);
  } catch (e) {
    await org.close();
    throw e;
  }
  const keyFile = join(tmpdir(), `leadshift-demo-${port}.key`);
  writeFileSync(keyFile, org.credentials.privateKeyPem, { mode: 0o600 });
  const c = org.credentials;
  const lines = [
    `# leadshift test org listening on ${org.url} (fake demo credentials)`,
    summary.length
      ? `# seeded: ${summary.join(', ')}`
      : `# no CSV files in ${fixtures}: only the running user exists`,
    '# access token:',
    `export SF_INSTANCE_URL=${org.url}`,
    `export SF_ACCESS_TOKEN='${org.issueAccessToken()}'`,
    `export SF_API_VERSION=62.0`,
    '# or username-password / JWT / client credentials:',
    `export SF_LOGIN_URL=${org.url}`,
    `export SF_USERNAME='${c.username}'`,
    `export SF_PASSWORD='${c.password}'`,
    `export SF_SECURITY_TOKEN='${c.securityToken}'`,
    `export SF_CLIENT_ID='${c.clientId}'`,
    `export SF_CLIENT_SECRET='${c.clientSecret}'`,
    `export SF_JWT_KEY_FILE='${keyFile}'`,
    '# Ctrl-C to stop',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    org.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo org failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
