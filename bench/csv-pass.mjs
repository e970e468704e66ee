// Reference: a bare csv-parse → csv-stringify pass over a file, as plainly as the libraries are used.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

await pipeline(createReadStream(process.argv[2]), parse(), stringify(), createWriteStream('/dev/null'));
