// The change events' part of the benchmark: how long after a committed write a subscriber has its message
// and another process's response cache has dropped the answer the write touched, and what recording events
// costs a bulk import (rows per second with the change triggers on and off, alternated).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { PUBLIC_VIEWER, Role } from '../src/auth/viewer';
import { ensureDatabase } from '../src/db/database';
import { migrate, openOrm } from '../src/db/orm';
import { createImporter } from '../src/modules/imports/import-engine';
import { RecordReader } from '../src/modules/imports/import-file';
import { importFile } from '../src/modules/imports/import-run';
import { seedReference } from '../seeds/reference/reference.seeder';
import { median } from './measure';

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface EventsReport {
  writeToSubscriberMs: LatencySummary;
  writeToOtherProcessCacheDropMs: LatencySummary;
  importRowsPerSecond: { eventsOff: number[]; eventsOn: number[]; ratio: number };
}

function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { samples: values.length, p50Ms: round(median(values)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Commits `update replication set note = ...` on a connection of its own; resolves when COMMIT returned. */
async function commitWrite(client: Client, id: number, n: number): Promise<number> {
  await client.query('begin');
  await client.query(`update replication set note = $1 where id = $2`, [`bench ${n}`, id]);
  await client.query('commit');
  return performance.now();
}

/** From COMMIT returning to the subscriber's message, over WebSocket from the API process `apiUrl`. */
async function writeToSubscriber(databaseUrl: string, apiUrl: string, samples: number): Promise<LatencySummary> {
  const writer = new Client({ connectionString: databaseUrl });
  await writer.connect();
  const [{ id }] = (await writer.query<{ id: number }>('select min(id) as id from replication')).rows;
  const ws = createClient({ url: apiUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  let arrived: ((at: number) => void) | null = null;
  const dispose = ws.subscribe(
    { query: 'subscription { replicationChanged { event { id } } }' },
    { next: () => arrived?.(performance.now()), error: (error) => console.error('subscription failed', error), complete: () => {} },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const latencies: number[] = [];
    for (let n = 0; n < samples; n += 1) {
      const message = new Promise<number>((resolve) => (arrived = resolve));
      const committed = await commitWrite(writer, id, n);
      latencies.push((await message) - committed);
    }
    return summarize(latencies);
  } finally {
    dispose();
    await ws.dispose();
    await writer.end();
  }
}

/** From COMMIT returning to the start of the first request the cached API process answers afresh (sqlStatements > 0). */
async function writeToCacheDrop(databaseUrl: string, cachedUrl: string, samples: number): Promise<LatencySummary> {
  const writer = new Client({ connectionString: databaseUrl });
  await writer.connect();
  const [{ id }] = (await writer.query<{ id: number }>('select min(id) as id from replication')).rows;
  const body = JSON.stringify({ query: '{ replications(first: 1) { totalCount nodes { id } } }' });
  const ask = async () => {
    const response = await fetch(cachedUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return ((await response.json()) as { extensions?: { sqlStatements?: number } }).extensions?.sqlStatements ?? 0;
  };
  try {
    const latencies: number[] = [];
    for (let n = 0; n < samples; n += 1) {
      await ask();
      if ((await ask()) !== 0) throw new Error('the cached API did not answer a repeated question from memory');
      const committed = await commitWrite(writer, id, n);
      // The first request that starts after the drop misses: its start bounds the drop (to one request of ~1 ms).
      for (;;) {
        const asked = performance.now();
        if ((await ask()) > 0) {
          latencies.push(asked - committed);
          break;
        }
      }
    }
    return summarize(latencies);
  } finally {
    await writer.end();
  }
}

/** A JSON Lines file of `rows` innovations with keys of their own (`run` keeps runs apart). */
function innovationFile(rows: number, run: number): string {
  const regencies = ['35.25', '35.15', '33.74', '32.75', '51.08', '73.22', '61.71', '13.71', '19.05', '76.05'];
  const file = path.join(os.tmpdir(), `jipp-bench-import-${process.pid}-${run}.jsonl`);
  const lines = Array.from({ length: rows }, (_, i) =>
    JSON.stringify({
      registry: 'IGA',
      externalId: `BENCH-${run}-${i}`,
      title: `Inovasi bench ${run} ${i}`,
      owner: `Pemerintah bench ${regencies[i % regencies.length]}`,
      regencyCode: regencies[i % regencies.length],
      launchYear: 2015 + (i % 10),
      sources: ['https://bench.example'],
    }),
  );
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Import throughput in a scratch database of the same server: the same import of `rows` innovations with
 * the change triggers disabled and enabled, alternated `rounds` times.
 */
async function importThroughput(adminUrl: string, rows: number, rounds: number): Promise<EventsReport['importRowsPerSecond']> {
  const name = 'jipp_bench_events';
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  await ensureDatabase(adminUrl, name);
  const orm = await openOrm({ clientUrl: url.toString(), statementTimeoutMs: 0 });
  const result = { eventsOff: [] as number[], eventsOn: [] as number[], ratio: 0 };
  try {
    await migrate(orm);
    await seedReference(orm);
    const setTriggers = async (enabled: boolean) => {
      for (const table of ['innovation', 'institution']) {
        for (const op of ['insert', 'update', 'delete']) await orm.em.fork().execute(`alter table ${table} ${enabled ? 'enable' : 'disable'} trigger changes_${table}_${op}`);
      }
    };
    for (let round = 0; round < rounds * 2; round += 1) {
      const on = round % 2 === 1;
      await setTriggers(on);
      const file = innovationFile(rows, round);
      const importer = createImporter('innovations', { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: null, tool: 'bench' }, { dryRun: false });
      const started = performance.now();
      await importFile(orm, importer, new RecordReader(file, 'jsonl', 'innovations'), { batchSize: 1000 });
      (on ? result.eventsOn : result.eventsOff).push(Math.round(rows / ((performance.now() - started) / 1000)));
      fs.rmSync(file);
    }
    await setTriggers(true);
    result.ratio = round(median(result.eventsOn) / median(result.eventsOff));
    return result;
  } finally {
    await orm.close();
    const cleanup = new Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await cleanup.end();
  }
}

export async function measureEvents(
  databaseUrl: string,
  apis: { uncached: string; cached: string },
  options: { samples: number; importRows: number; rounds: number },
): Promise<EventsReport> {
  const writeToSubscriberMs = await writeToSubscriber(databaseUrl, apis.uncached, options.samples);
  const writeToOtherProcessCacheDropMs = await writeToCacheDrop(databaseUrl, apis.cached, options.samples);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const importRowsPerSecond = await importThroughput(admin.toString(), options.importRows, options.rounds);
  return { writeToSubscriberMs, writeToOtherProcessCacheDropMs, importRowsPerSecond };
}

export function printEvents(report: EventsReport): void {
  const line = (name: string, s: LatencySummary) => `  ${name.padEnd(44)} p50 ${s.p50Ms} ms  p99 ${s.p99Ms} ms  max ${s.maxMs} ms  (${s.samples} writes)`;
  console.log('\nchange events');
  console.log(line('committed write -> subscriber message', report.writeToSubscriberMs));
  console.log(line("committed write -> other process's cache drop", report.writeToOtherProcessCacheDropMs));
  const i = report.importRowsPerSecond;
  console.log(`  import rows/s, events off: ${i.eventsOff.join(', ')}; on: ${i.eventsOn.join(', ')}; on/off ${i.ratio}`);
}
