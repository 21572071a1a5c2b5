// Writes schema/schema.graphql from the code (npm run schema:emit). A test fails when it is stale.
import fs from 'node:fs';
import path from 'node:path';
import { printSortedSchema } from '../schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'schema', 'schema.graphql');

printSortedSchema()
  .then((sdl) => {
    fs.writeFileSync(SCHEMA_FILE, sdl);
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
