// startEmbeddedPostgres refuses, with a reason, a cluster another process is running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded';

describe('startEmbeddedPostgres', () => {
  it('says so when another process runs PostgreSQL on the same data folder', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-embedded-'));
    try {
      fs.mkdirSync(path.join(dataDir, 'pg'));
      // This process is alive: as far as the folder says, it runs the cluster.
      fs.writeFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), `${process.pid}\n${dataDir}/pg\n`);
      await expect(startEmbeddedPostgres({ dataDir, port: 1 })).rejects.toThrow(
        `The PostgreSQL in ${path.join(dataDir, 'pg')} is already running (pid ${process.pid})`,
      );
      expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
