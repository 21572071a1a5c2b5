// npm run bench:replicas: what a streaming standby costs and gives, on a primary and a standby built from
// the shipped binaries on this machine (bench/replication-pair.ts), the reference data loaded:
//   - a mutation's latency with and without the wait for the standby's replay (read-your-writes);
//   - read throughput on the primary alone and with the standby answering;
//   - the standby's lag (bytes, seconds) under a burst of concurrent mutations;
//   - reads while the standby stops and starts again: errors, and how long until it serves again;
//   - the low-level backup that made the standby (pg_backup_start, a copy, pg_backup_stop).
// Both servers and the load generator share this machine's cores: the throughput numbers say what a
// standby costs on one machine, not what a standby on a machine of its own adds.
import { Command } from 'commander';
import { createKey } from '../src/auth/keys.cli';
import { Role } from '../src/auth/viewer';
import { openOrm } from '../src/db/orm';
import { prepareDatabase } from '../src/db/prepare';
import { load, median, percentile, positiveInt, type Sample } from './measure';
import { startApi, type Running } from './processes';
import { replicatedPair, shippedBinaries } from './replication-pair';

type App = Running;

interface Options {
  mutations: number;
  seconds: number;
  rounds: number;
}

const READ = JSON.stringify({ query: '{ province(code: "35") { name regencies { code name kind } } }' });
const CREATE = `mutation($input: CreateInnovationInput!) { createInnovation(input: $input) { innovation { id } userErrors { code } } }`;


/** An API process as the load bench starts one (production mode), without the response cache or rate limits. */
function start(primaryUrl: string, env: Record<string, string> = {}): Promise<App> {
  return startApi(primaryUrl, { RESPONSE_CACHE_SECONDS: '0', RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0', ...env });
}

async function mutate(app: App, key: string, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: CREATE, variables: { input: { title: `[DEMO] bench ${n} ${Date.now()}`, owner: { name: 'Kementerian Kesehatan' }, sources: ['https://example.go.id/bench'] } } }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`mutation failed: ${JSON.stringify(body.errors)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function metric(app: App, name: string): Promise<number | undefined> {
  const text = await (await fetch(app.url.replace(/graphql$/, 'metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const f = (n: number, digits = 2) => n.toFixed(digits);

async function main(options: Options): Promise<void> {
  const pair = await replicatedPair(await shippedBinaries(), 'jipp', prepareDatabase);
  const primaryUrl = pair.primary.url('jipp');
  const alone = await start(primaryUrl);
  const replicated = await start(primaryUrl, { DATABASE_REPLICA_URLS: pair.standby.url('jipp'), REPLICA_CHECK_MS: '100' });
  const orm = await openOrm({ clientUrl: primaryUrl, poolMax: 1 });
  try {
    const { key } = await createKey(orm, { role: Role.MINISTRY_ADMIN, label: 'bench' });
    const { backupMs, backupBytes, standbyStartMs } = pair.timings;
    console.log(
      `standby made by the low-level backup API: pg_backup_start, a copy of ${f(backupBytes / 2 ** 20, 1)} MiB, pg_backup_stop in ${backupMs} ms; ` +
        `the standby ready (hot standby) ${standbyStartMs} ms after its start`,
    );

    // Mutations, interleaved in batches: without standbys, and waiting for the standby's replay.
    const latencies = { alone: [] as number[], replicated: [] as number[] };
    for (let i = 0; i < 5; i += 1) await mutate(alone, key, i);
    for (let i = 0; i < 5; i += 1) await mutate(replicated, key, i);
    for (let done = 0; done < options.mutations; done += 25) {
      for (let i = 0; i < 25; i += 1) latencies.alone.push(await mutate(alone, key, done + i));
      for (let i = 0; i < 25; i += 1) latencies.replicated.push(await mutate(replicated, key, done + i));
    }
    console.log(
      `mutation (createInnovation), one at a time, ${latencies.alone.length} each: primary alone p50 ${f(percentile(latencies.alone, 0.5))} ms p99 ${f(percentile(latencies.alone, 0.99))} ms; ` +
        `with the standby (answer after its replay) p50 ${f(percentile(latencies.replicated, 0.5))} ms p99 ${f(percentile(latencies.replicated, 0.99))} ms`,
    );

    // Reads at 8 connections, interleaved rounds.
    const reads = { alone: [] as Sample[], replicated: [] as Sample[] };
    for (const app of [alone, replicated]) await load({ url: app.url, body: READ }, 8, 1, app.child.pid!);
    for (let round = 0; round < options.rounds; round += 1) {
      reads.alone.push(await load({ url: alone.url, body: READ }, 8, options.seconds, alone.child.pid!));
      reads.replicated.push(await load({ url: replicated.url, body: READ }, 8, options.seconds, replicated.child.pid!));
    }
    const rps = (runs: Sample[]) => median(runs.map((r) => r.rps));
    const p50 = (runs: Sample[]) => median(runs.map((r) => r.p50));
    console.log(
      `reads (a province's regencies), 8 connections, ${options.rounds} x ${options.seconds} s: primary alone ${f(rps(reads.alone), 0)} rps p50 ${f(p50(reads.alone))} ms; ` +
        `on the standby ${f(rps(reads.replicated), 0)} rps p50 ${f(p50(reads.replicated))} ms (reads on the standby: ${await metric(replicated, 'jipp_db_reads_total{server="replica"}')})`,
    );

    // Lag under a burst of 8 concurrent mutation streams on the primary-only API (no wait slows them).
    let maxBytes = 0;
    let maxSeconds = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxBytes = Math.max(maxBytes, (await metric(replicated, 'jipp_db_replica_lag_bytes')) ?? 0);
        maxSeconds = Math.max(maxSeconds, (await metric(replicated, 'jipp_db_replica_lag_seconds')) ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const burstEnds = Date.now() + options.seconds * 1000;
    let written = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, stream) => {
        while (Date.now() < burstEnds) {
          await mutate(alone, key, stream * 1_000_000 + written);
          written += 1;
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    sampling = false;
    await sampler;
    console.log(`lag during ${written} mutations in ${options.seconds} s from 8 streams, sampled every 50 ms (checks every 100 ms): at most ${maxBytes} bytes, ${f(maxSeconds, 3)} s`);

    // The standby stops under reads, then starts again.
    let errors = 0;
    let answered = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const response = await fetch(replicated.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: READ }).catch(() => undefined);
        const ok = response?.status === 200 && !((await response.json()) as { errors?: unknown }).errors;
        if (ok) answered += 1;
        else errors += 1;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = Date.now();
    await pair.standby.postmaster.stop();
    const stopMs = Date.now() - stopped;
    while ((await metric(replicated, 'jipp_db_replica_up')) !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const downSeenMs = Date.now() - stopped;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const restarting = Date.now();
    await pair.standby.restart();
    const startMs = Date.now() - restarting;
    while ((await metric(replicated, 'jipp_db_replica_up')) !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const backMs = Date.now() - restarting;
    await new Promise((resolve) => setTimeout(resolve, 500));
    reading = false;
    await reader;
    console.log(
      `standby stopped under reads (fast shutdown took ${stopMs} ms): set aside ${downSeenMs} ms after the stop began; started again in ${startMs} ms, serving reads ${backMs} ms after the start began; ` +
        `${answered} reads answered, ${errors} failed, ${await metric(replicated, 'jipp_db_replica_retries_total')} retried on the primary`,
    );
  } finally {
    await orm.close();
    await alone.stop();
    await replicated.stop();
    await pair.close();
  }
}

const program = new Command('bench:replicas')
  .description('Times a primary with a streaming standby against the primary alone, on this machine.')
  .option('--mutations <n>', 'mutations per side', positiveInt, 100)
  .option('--seconds <n>', 'seconds per timed read run and of the write burst', positiveInt, 3)
  .option('--rounds <n>', 'interleaved read rounds', positiveInt, 3)
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
