// Load generation and the numbers taken from it: autocannon on 127.0.0.1, process CPU from /proc.
import fs from 'node:fs';
import autocannon from 'autocannon';
import { InvalidArgumentError } from 'commander';
import type { Spread, Summary } from './report';

export interface Sample {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  /** Server process CPU (user + system) per request, in milliseconds. */
  cpuMsPerRequest: number | null;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU time of a process and its children so far (the workers of WORKERS > 1; their own children, such as
 * PostgreSQL's, are not the API's), in milliseconds (user + system), or null off Linux. A child that exited
 * meanwhile drops out: compare runs of one process tree.
 */
export function cpuMs(pid: number): number | null {
  const own = processCpuMs(pid);
  if (own === null) return null;
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // No children file (an old kernel): the process alone.
  }
  return children.reduce((sum, child) => sum + (isNode(child) ? processCpuMs(child) ?? 0 : 0), own);
}

function processCpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function isNode(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return false;
  }
}

/** Peak resident memory of a process in MiB (VmHWM), or null off Linux. */
export function peakRssMiB(pid: number): number | null {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * A run's shortest useful length, in completed requests per connection. A run of fixed duration counts only
 * the requests completed when it ends: with answers that take most of that time (the REGENCY graph at 32
 * connections completes one batch or two in 2 s), cutting off the batch in flight undercounts throughput by
 * up to a whole batch, and the ratio to the floor then measures where the cut fell.
 */
export const MIN_REQUESTS_PER_CONNECTION = 4;

/**
 * How long a request may take before autocannon gives up on it (its default is 10 s). The full PROVINCE
 * graph at x10 with 8 connections took 10-11 s a request on this machine, on both sides: a timeout
 * there counted every request as an error and left the cell unmeasured.
 */
export const REQUEST_TIMEOUT_SECONDS = 120;

/** What a run asks: one request again and again, or several in turn (one per request, across connections). */
export interface Asked {
  url: string;
  body: string;
  /** In turn, in place of url and body. */
  turns?: { url: string; body: string }[];
  /** Distinct client addresses the requests say they come from in turn (X-Forwarded-For; TRUST_PROXY_HOPS=1). */
  clients?: number;
}

/** Request n's client address, one of `clients`. */
function forwardedFor(n: number, clients: number): string {
  const i = n % clients;
  return `198.18.${Math.floor(i / 256)}.${i % 256}`;
}

/**
 * One timed run of `seconds`, or, when that completes fewer than MIN_REQUESTS_PER_CONNECTION requests per
 * connection, a run of exactly that many requests, its throughput taken over the time they took.
 */
export async function load(asked: Asked, connections: number, seconds: number, pid: number): Promise<Sample> {
  const timed = await run(asked, connections, { duration: seconds }, pid);
  if (timed.requests >= connections * MIN_REQUESTS_PER_CONNECTION) return timed;
  return run(asked, connections, { amount: connections * MIN_REQUESTS_PER_CONNECTION }, pid);
}

/**
 * Latencies come from autocannon's per-response timings (microsecond resolution), not its histogram, which
 * rounds to whole milliseconds: too coarse for sub-millisecond requests.
 */
function run(asked: Asked, connections: number, length: { duration: number } | { amount: number }, pid: number): Promise<Sample> {
  const before = cpuMs(pid);
  const latencies: number[] = [];
  const { url, body, turns, clients = 1 } = asked;
  // Turns: each request built as the next question in turn, whichever connection sends it; with clients,
  // from the next client address.
  let turn = 0;
  let sent = 0;
  const requests: autocannon.Request[] | undefined =
    turns?.length || clients > 1
      ? [
          {
            setupRequest: (request) => {
              const next = turns?.length ? turns[turn++ % turns.length] : undefined;
              const asked = next ? { ...request, path: new URL(next.url).pathname, body: next.body } : request;
              return clients > 1 ? { ...asked, headers: { ...asked.headers, 'x-forwarded-for': forwardedFor(sent++, clients) } } : asked;
            },
          },
        ]
      : undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        timeout: REQUEST_TIMEOUT_SECONDS,
        ...(requests ? { requests } : {}),
        ...length,
      },
      (error, result) => {
        if (error) return reject(error);
        const after = cpuMs(pid);
        const requests = result.requests.total;
        // The time the run took (autocannon's, to 10 ms), not the one asked for: a run by amount has none.
        const seconds = result.duration > 0 ? result.duration : 'duration' in length ? length.duration : NaN;
        resolve({
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          rps: requests / seconds,
          requests,
          errors: result.errors + result.non2xx,
          cpuMsPerRequest: before !== null && after !== null && requests > 0 ? (after - before) / requests : null,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A cell's rounds as one: medians of each measure, errors summed. */
export function summarize(runs: Sample[]): Summary {
  const cpu = runs.map((r) => r.cpuMsPerRequest).filter((v): v is number => v !== null);
  return {
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    rps: median(runs.map((r) => r.rps)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuMsPerRequest: cpu.length ? median(cpu) : null,
  };
}

/** A ratio's median over the rounds, and its range. */
export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Command-line parser for the benches' counts (seconds, rounds, connections). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
