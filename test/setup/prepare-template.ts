// Child process of the jest global setup: migrates and seeds the template database given as argument.
import { prepareDatabase } from '../../src/db/prepare';

prepareDatabase(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
