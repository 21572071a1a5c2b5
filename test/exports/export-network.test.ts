// Exports of a generated network, from the command line and from the API process: the records the filter
// selects, written whole through a slow pipe, and in constant memory: the peak memory of an export of the
// whole network is within a few MB of an export of a tenth of it, while its output is tens of MB larger.
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { createTestDatabase } from '../support/harness';
import { JIPP } from '../support/cli';
import { freePort, startApi, type ApiProcess } from '../e2e/api-process';

const GENERATED = 80_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-export-'));
const file = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs jipp, sampling the peak resident memory (VmHWM) of its process until it exits. */
function memoryKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process has exited
  }
}

/**
 * V8 sizes its heap from the machine's memory, and Node 24's lets garbage reach 300 MB on this 24 GiB machine
 * before collecting it (Node 20's does not): peaks then say when the collector ran, not what the export
 * keeps. Fixed heap sizes make both runs collect alike; an export that kept its output would still grow
 * (as strings it would not fit in the old space at all; as buffers, outside it).
 */
const HEAP_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=4'];

function runMeasured(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; peakKb: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...HEAP_FLAGS, JIPP, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = setInterval(() => {
      peakKb = Math.max(peakKb, memoryKb(child.pid!, 'VmHWM'));
    }, 20);
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code, stderr, peakKb });
    });
  });
}

describe('jipp export', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url };
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      // A tenth in province 35, the rest in 33; long titles make the export about 70 MB.
      await client.query(`insert into innovation (dataset, confidence, sources, title, summary, owner_id, province_code, regency_code, launch_year, registry, external_id)
        select 'DEMO', 'UNCONFIRMED', array['generated for the export test'], '[DEMO] Inovasi ' || i, repeat('ringkasan panjang ', 40),
               (select min(id) from institution), case when i % 10 = 0 then '35' else '33' end, case when i % 10 = 0 then '35.25' else '33.74' end,
               2000 + i % 20, 'OTHER', 'GEN-' || i
          from generate_series(1, ${GENERATED}) i`);
    } finally {
      await client.end();
    }
  }, 120_000);
  afterAll(() => db.drop());

  it('writes the records of a filter as JSON Lines, the same the database holds', async () => {
    const result = spawnSync(process.execPath, [JIPP, 'export', 'innovations', '--format', 'jsonl', '--province', '35', '--dataset', 'DEMO'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 100_000_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { externalId: string; provinceCode: string; dataset: string });
    expect(lines).toHaveLength(GENERATED / 10);
    expect(lines.every((l) => l.provinceCode === '35' && l.dataset === 'DEMO')).toBe(true);
    expect([lines[0].externalId, lines.at(-1)!.externalId]).toEqual(['GEN-10', `GEN-${GENERATED}`]);
    // Progress lines (every 2 s, on a slow machine) and the closing line, on stderr only.
    expect(result.stderr).toMatch(new RegExp(`^(exporting \\d+ rows \\(\\d+ rows/s\\)\\n)*exported ${GENERATED / 10} innovations as jsonl to standard output in [\\d.]+ s\\n$`));
  });

  it('exports in constant memory: the whole network needs no more memory than a tenth of it', async () => {
    const small = await runMeasured(['export', 'innovations', '--province', '35', '--output', file('small.csv')], env);
    const whole = await runMeasured(['export', 'innovations', '--output', file('whole.csv')], env);
    expect([small.code, whole.code]).toEqual([0, 0]);
    const bytes = { small: fs.statSync(file('small.csv')).size, whole: fs.statSync(file('whole.csv')).size };
    expect(bytes.whole - bytes.small).toBeGreaterThan(50_000_000);
    // A buffered export would grow by about the size of its output (or more, as objects).
    expect(whole.peakKb - small.peakKb).toBeLessThan(25_000);
    expect(fs.readFileSync(file('whole.csv'), 'utf8').split('\n').length).toBeGreaterThan(GENERATED);
  }, 120_000);

  it('writes all of a large export through a pipe whose reader is slow', () => {
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${JIPP}" export innovations --province 35 | (sleep 2; wc -c)`], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(piped.status).toBe(0);
    expect(Number(piped.stdout.trim())).toBe(fs.statSync(file('small.csv')).size);
  });

  it('serves the whole network over HTTP to a reader that stops, without buffering it in the API process', async () => {
    const running = new Set<ApiProcess>();
    const api = await startApi({ DATABASE_URL: db.url, PORT: String(await freePort()) }, running).catch((error: unknown) => {
      for (const started of running) started.child.kill('SIGKILL');
      throw error;
    });
    try {
      const created = spawnSync(process.execPath, [JIPP, 'keys', 'create', '--role', 'INTEGRATION', '--label', 'export test', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
      const { key } = JSON.parse(created.stdout) as { key: string };
      const url = api.url.replace(/\/graphql$/, '/export/innovations.csv');
      const rss = () => memoryKb(api.child.pid!, 'VmRSS');
      // The whole network, read until 2 MB have come, then not at all for 4 s (TCP pushes back on the
      // server), then to the end. A server that kept reading rows while nobody takes them would hold
      // them: tens of MB in those 4 s.
      const result = await new Promise<{ bytes: number; stalledGrowthKb: number }>((resolve, reject) => {
        http.get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
          expect(res.statusCode).toBe(200);
          let bytes = 0;
          let stalled = false;
          let stalledGrowthKb = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (stalled || bytes < 2_000_000) return;
            stalled = true;
            res.pause();
            setTimeout(() => {
              const before = rss();
              setTimeout(() => {
                stalledGrowthKb = rss() - before;
                res.resume();
              }, 4_000);
            }, 500);
          });
          res.on('end', () => resolve({ bytes, stalledGrowthKb }));
          res.on('error', reject);
        }).on('error', reject);
      });
      expect(result.bytes).toBe(fs.statSync(file('whole.csv')).size);
      expect(result.stalledGrowthKb).toBeLessThan(8_000);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 180_000);
});
