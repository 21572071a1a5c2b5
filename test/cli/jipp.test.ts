// The installed command as a person or a script meets it: --help with examples and exit codes for every
// command, --version, usage errors on stderr with exit code 2, data on stdout only, --json output complete
// through a pipe whose reader is slow, and a start that does not load the database layer for --help.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/harness';
import { jipp, JIPP } from '../support/cli';

const ROOT = path.join(__dirname, '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const COMMANDS = [
  ['serve'],
  ['keys'],
  ['keys', 'create'],
  ['keys', 'list'],
  ['keys', 'revoke'],
  ['import'],
  ['export'],
  ['export', 'innovations'],
  ['export', 'replications'],
  ['export', 'mentoring-programmes'],
  ['seed'],
];

describe('jipp', () => {
  it('is the package\'s one bin, running the compiled code', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin).toEqual({ jipp: 'dist/src/cli/jipp.js' });
    expect(fs.readFileSync(JIPP, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // npm run keys|import|seed|export run it without compiling first; npm install builds once (prepare).
    for (const name of ['keys', 'import', 'seed', 'export']) expect(pkg.scripts[name]).toBe(`node dist/src/cli/jipp.js ${name}`);
    expect(pkg.scripts.prepare).toBe('npm run build --silent');
  });

  it('prints its version on stdout and exits 0', async () => {
    expect(await jipp(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it.each([[[]], ...COMMANDS.map((c) => [c])])('has help with examples and exit codes: jipp %j --help', async (command) => {
    const result = await jipp([...command, '--help']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Usage: jipp/);
    expect(result.stdout).toMatch(/\nExamples:\n {2}jipp /);
    expect(result.stdout).toMatch(/\nExit codes:\n {2}0 {2}/);
  });

  it('lists every command in its help', async () => {
    const { stdout } = await jipp(['--help']);
    for (const name of ['serve', 'keys', 'import', 'export', 'seed']) expect(stdout).toMatch(new RegExp(`\\n  ${name} `));
  });

  it.each([
    [['bogus'], "error: unknown command 'bogus'"],
    [['keys', 'create', '--label', 'x'], "error: required option '--role <role>' not specified"],
    [['keys', 'create', '--role', 'KING', '--label', 'x'], 'expected one of UNIVERSITY, HUB_OPERATOR, MINISTRY_ADMIN, INTEGRATION'],
    [['keys', 'create', '--role', 'INTEGRATION', '--label', 'x', '--expires-in', '90 days'], 'expected a number and a unit'],
    [['keys', 'create', '--role', 'INTEGRATION', '--label', 'x', '--expires-at', 'tomorrow'], 'expected a date'],
    [['keys', 'create', '--role', 'INTEGRATION', '--label', 'x', '--expires-in', '9d', '--expires-at', '2030-01-01'], 'cannot be used with'],
    [['import', 'innovations'], "error: missing required argument 'file'"],
    [['import', 'awards', 'x.csv'], 'kind must be innovations or replications'],
    [['export', 'innovations', '--format', 'xml'], 'Allowed choices are csv, jsonl'],
    [['seed', '--scale', 'x10'], '--scale and --seed only apply with --demo'],
  ])('exits 2 with a message on stderr and nothing on stdout: jipp %j', async (args, message) => {
    const result = await jipp(args, { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(message);
  });

  it('does not load the database layer to answer --help or --version', () => {
    const script = `require(${JSON.stringify(JIPP)}).buildProgram();
      const loaded = Object.keys(require.cache).filter((f) => /@mikro-orm|type-graphql|[\\\\/]pg[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual([]);
  });

  describe('on a database', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it('creates keys that expire, from --expires-in and --expires-at', async () => {
      const env = { DATABASE_URL: db.url };
      const before = Date.now();
      const inNinety = await jipp(['keys', 'create', '--role', 'INTEGRATION', '--label', 'Sinovik sync', '--expires-in', '90d', '--json'], env);
      expect([inNinety.code, inNinety.stderr]).toEqual([0, '']);
      const expiresAt = Date.parse((JSON.parse(inNinety.stdout) as { expiresAt: string }).expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 90 * 86_400_000);
      const at = await jipp(['keys', 'create', '--role', 'HUB_OPERATOR', '--province', '35', '--label', 'Jatim', '--expires-at', '2030-01-31', '--json'], env);
      expect(JSON.parse(at.stdout)).toEqual(expect.objectContaining({ role: 'HUB_OPERATOR', province: '35', status: 'ACTIVE', expiresAt: '2030-01-31T00:00:00.000Z', lastUsedAt: null }));
      const past = await jipp(['keys', 'create', '--role', 'INTEGRATION', '--label', 'late', '--expires-at', '2020-01-01'], env);
      expect([past.code, past.stdout, past.stderr]).toEqual([2, '', 'jipp keys create: expiresAt must be in the future; got 2020-01-01T00:00:00.000Z.\n']);
      // The key itself is the data (stdout); what is said around it is for the person (stderr).
      const plain = await jipp(['keys', 'create', '--role', 'INTEGRATION', '--label', 'plain'], env);
      expect(plain.stdout).toMatch(/^jipp_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}\n$/);
      expect(plain.stderr).toMatch(/^Created INTEGRATION key jipp_\S+ \(id \d+\)\. Store it now/);
    });

    it('writes all of a large --json answer through a pipe whose reader is slow', async () => {
      // 600 keys make a listing of about 150 KB: more than a pipe holds (64 KiB), so most of it is still
      // queued in the process when the listing is done.
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query(`insert into api_key (label, role, prefix, hash)
        select 'bulk key number ' || i || repeat(' padding', 10), 'INTEGRATION', 'jipp_bulk' || lpad(i::text, 4, '0'), md5(i::text) from generate_series(1, 600) i`);
      await client.end();
      const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${JIPP}" keys list --json | (sleep 2; cat)`], {
        env: { ...process.env, DATABASE_URL: db.url },
        encoding: 'utf8',
        maxBuffer: 10_000_000,
      });
      expect(piped.status).toBe(0);
      expect(piped.stdout.length).toBeGreaterThan(100_000);
      const keys = JSON.parse(piped.stdout) as { prefix: string }[];
      expect(keys.filter((k) => k.prefix.startsWith('jipp_bulk'))).toHaveLength(600);
    });
  });
});
