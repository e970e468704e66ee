// Reference: the core of the plan in DuckDB, as a data-minded admin would write it. Leads of inactive
// owners that are not excluded or converted get the mapped owner, else a DACH owner, else the default,
// and the change rows are written to a CSV file.
//   node duckdb-join.mjs LEADS USERS MAP_IDS OUT DACH_ID,DACH_ID,DACH_ID DEFAULT_ID
import { DuckDBInstance } from '@duckdb/node-api';

const [leads, users, mapIds, out, dach, fallback] = process.argv.slice(2);
const text = (value) => `'${value.replaceAll("'", "''")}'`;
const dachIds = dach.split(',');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`
  COPY (
    SELECT l.Id, l.OwnerId AS OldOwnerId,
      COALESCE(m.NewOwnerId, CASE WHEN l.Country IN ('DE', 'AT', 'CH')
        THEN list_extract([${dachIds.map(text).join(', ')}], 1 + (hash(l.Id) % ${dachIds.length})::INTEGER)
        ELSE ${text(fallback)} END) AS NewOwnerId
    FROM read_csv(${text(leads)}, all_varchar = true) AS l
    JOIN read_csv(${text(users)}, all_varchar = true) AS u ON u.Id = l.OwnerId AND u.IsActive = 'false'
    LEFT JOIN read_csv(${text(mapIds)}, all_varchar = true) AS m ON m.OwnerId = l.OwnerId
    WHERE l.Exclude_From_Reassignment__c <> 'true' AND l.IsConverted <> 'true'
  ) TO ${text(out)} (HEADER, DELIMITER ',')`);
const counted = await connection.runAndReadAll(`SELECT count(*) FROM read_csv(${text(out)})`);
process.stdout.write(`${counted.getRows()[0][0]}\n`);
connection.closeSync();
instance.closeSync();
