/** Writes schemas/*.json from schemas/result-shapes.ts. Run: node --import tsx scripts/write-schemas.ts */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaOf, RESULT_SHAPES } from '../schemas/result-shapes.js';

const dir = join(import.meta.dirname, '..', 'schemas');
for (const [file, shape] of Object.entries(RESULT_SHAPES)) {
  writeFileSync(join(dir, file), `${JSON.stringify(jsonSchemaOf(shape), null, 2)}\n`);
}
