// The script a developer writes first: query everything with autoFetch, update in 200s. For comparison.
import { Connection } from 'jsforce';

const [instanceUrl, accessToken, soql, newOwner] = process.argv.slice(2) as [string, string, string, string];
const conn = new Connection({ instanceUrl, accessToken, version: '62.0' });
const result = await conn.query<{ Id: string }>(soql).run({ autoFetch: true, maxFetch: 10_000_000 });
const records = result.records.map((r) => ({ Id: r.Id, OwnerId: newOwner }));
for (let i = 0; i < records.length; i += 200) {
  await conn
    .sobject('Lead')
    .update(records.slice(i, i + 200), { headers: { 'Sforce-Auto-Assign': 'FALSE' } });
}
console.log(records.length);
