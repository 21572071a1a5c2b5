import fs from 'node:fs';
import path from 'node:path';
import { printSortedSchema } from '../src/schema';

describe('schema/schema.graphql', () => {
  it('equals the schema the code builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printSortedSchema());
  });
});
