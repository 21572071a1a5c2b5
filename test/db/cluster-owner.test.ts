// Who owns a data folder's embedded PostgreSQL: the verdict on a recorded owner, and the owner file itself
// (claimed whole and exclusively, refused to a second live claimant, taken over from a dead one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimCluster, currentOwner, judgeOwner, ownerPath, releaseCluster, type OwnerRecord } from '../../src/db/cluster-owner';
import { EmbeddedPostgresError } from '../../src/db/embedded-errors';
import { identityOf } from '../../src/db/process-identity';

const SELF = { pid: 1000, held: new Set(['held-claim']) };

function record(overrides: Partial<OwnerRecord> = {}): OwnerRecord {
  return { pid: 2000, identity: 'boot:42', instance: 'other-claim', role: 'server', command: 'dist/src/main.js', port: 54329, since: '2026-01-01T00:00:00.000Z', ...overrides };
}

describe('judgeOwner', () => {
  it('finds the folder free without a record', () => {
    expect(judgeOwner(null, { running: false, identity: null }, SELF)).toBe('free');
  });

  it('finds a live owner whose pid is still the process that wrote the record', () => {
    expect(judgeOwner(record(), { running: true, identity: 'boot:42' }, SELF)).toBe('owned');
  });

  it('trusts a live pid when either side cannot tell who it is (no /proc)', () => {
    expect(judgeOwner(record({ identity: null }), { running: true, identity: 'boot:42' }, SELF)).toBe('owned');
    expect(judgeOwner(record(), { running: true, identity: null }, SELF)).toBe('owned');
  });

  it('calls a record stale when its process is gone (kill -9, reboot)', () => {
    expect(judgeOwner(record(), { running: false, identity: null }, SELF)).toBe('stale');
  });

  it('calls a record stale when its pid now belongs to another process', () => {
    expect(judgeOwner(record(), { running: true, identity: 'boot:99' }, SELF)).toBe('stale');
  });

  it("calls a record of this process's pid stale unless this process holds that claim (a container restarted with the same pid)", () => {
    expect(judgeOwner(record({ pid: SELF.pid }), { running: true, identity: 'boot:42' }, SELF)).toBe('stale');
    expect(judgeOwner(record({ pid: SELF.pid, instance: 'held-claim' }), { running: true, identity: 'boot:42' }, SELF)).toBe('self');
  });
});

describe('claimCluster', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-owner-'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const write = (owner: OwnerRecord) => fs.writeFileSync(ownerPath(dataDir), JSON.stringify(owner));
  const refusal = (run: () => unknown): EmbeddedPostgresError => {
    try {
      run();
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('records this process as the owner, whole, with nothing left beside it, and release removes it', () => {
    const claim = claimCluster(dataDir, 'server', 5555);

    expect(JSON.parse(fs.readFileSync(ownerPath(dataDir), 'utf8'))).toEqual({
      pid: process.pid,
      identity: identityOf(process.pid),
      instance: claim.instance,
      role: 'server',
      command: expect.any(String),
      port: 5555,
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(fs.readdirSync(dataDir)).toEqual(['pg.owner.json']);
    expect(currentOwner(dataDir)).toEqual(expect.objectContaining({ verdict: 'self' }));

    releaseCluster(dataDir, claim);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a second claim while a live process owns the folder, and names it', () => {
    // The test runner's parent process is alive and is not this one: a live owner.
    const live = record({ pid: process.ppid, identity: identityOf(process.ppid), role: 'server', command: 'dist/src/main.js' });
    write(live);

    const error = refusal(() => claimCluster(dataDir, 'server', 5555));

    expect(error.code).toBe('CLUSTER_IN_USE');
    expect(error.message).toBe(
      `The embedded PostgreSQL in ${dataDir}/pg belongs to another API process that is still running (pid ${process.ppid}, dist/src/main.js, since ${live.since}). ` +
        'Stop that one first, or start this one with another DATA_DIR and EMBEDDED_PG_PORT.',
    );
    expect(JSON.parse(fs.readFileSync(ownerPath(dataDir), 'utf8'))).toEqual(live);
    expect(fs.readdirSync(dataDir)).toEqual(['pg.owner.json']);
  });

  it('tells an API that a command-line tool holds the folder', () => {
    write(record({ pid: process.ppid, identity: identityOf(process.ppid), role: 'tool', command: 'dist/seeds/cli.js' }));

    expect(refusal(() => claimCluster(dataDir, 'server', 5555)).message).toContain('is in use by a command-line tool that is still running');
  });

  it('refuses a second claim by this very process', () => {
    const claim = claimCluster(dataDir, 'server', 5555);
    try {
      expect(refusal(() => claimCluster(dataDir, 'tool', 5555)).message).toBe(`This process already runs the embedded PostgreSQL in ${dataDir}/pg.`);
    } finally {
      releaseCluster(dataDir, claim);
    }
  });

  it.each([
    ['whose process is gone', () => record({ pid: 2 ** 22 + 1 })],
    ['whose pid was reused', () => record({ pid: process.ppid, identity: 'another-boot:1' })],
    ['that is not a record at all', () => 'half a rec' as const],
  ])('takes over a record %s', (_case, stale) => {
    const old = stale();
    fs.writeFileSync(ownerPath(dataDir), typeof old === 'string' ? old : JSON.stringify(old));

    const claim = claimCluster(dataDir, 'tool', 5555);

    expect(JSON.parse(fs.readFileSync(ownerPath(dataDir), 'utf8'))).toEqual(expect.objectContaining({ pid: process.pid, instance: claim.instance, role: 'tool' }));
    releaseCluster(dataDir, claim);
  });

  it("never releases another owner's record", () => {
    const claim = claimCluster(dataDir, 'server', 5555);
    const other = record({ pid: process.ppid, identity: identityOf(process.ppid) });
    write(other);

    releaseCluster(dataDir, claim);

    expect(JSON.parse(fs.readFileSync(ownerPath(dataDir), 'utf8'))).toEqual(other);
  });
});
