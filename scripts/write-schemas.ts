/** Writes the JSON Schemas of published documents to docs/ (npm run schemas). Tests check they are current. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedJsonSchema } from '@lightbox/contracts';

const docs = join(import.meta.dirname, '..', 'docs');
for (const kind of ['gallery', 'gallery-index'] as const) {
  const path = join(docs, `${kind}.schema.json`);
  writeFileSync(path, `${JSON.stringify(publishedJsonSchema(kind), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
