// Progress of a long load: a bar on a terminal, a plain line every few seconds in logs and CI, nothing
// in tests.
import { SingleBar } from 'cli-progress';

export interface LoadProgress {
  start(table: string, total: number): void;
  advance(rows: number): void;
  finish(): void;
}

export const silentProgress: LoadProgress = { start() {}, advance() {}, finish() {} };

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): LoadProgress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements LoadProgress {
  private bar: SingleBar | null = null;
  private startedAt = 0;
  private done = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(table: string, total: number): void {
    this.startedAt = Date.now();
    this.done = 0;
    this.bar = new SingleBar({
      stream: this.stream,
      format: `${table.padEnd(12)} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta}s`,
      hideCursor: true,
    });
    this.bar.start(total, 0, { speed: 0 });
  }

  advance(rows: number): void {
    this.done += rows;
    this.bar?.update(this.done, { speed: rate(this.done, Date.now() - this.startedAt) });
  }

  finish(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

class LineProgress implements LoadProgress {
  private table = '';
  private total = 0;
  private done = 0;
  private startedAt = 0;
  private lastLine = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(table: string, total: number): void {
    Object.assign(this, { table, total, done: 0, startedAt: Date.now(), lastLine: Date.now() });
    this.stream.write(`${table}: loading ${total.toLocaleString('en-US')} rows\n`);
  }

  advance(rows: number): void {
    this.done += rows;
    const now = Date.now();
    if (now - this.lastLine < 2_000 || this.done >= this.total) return;
    this.lastLine = now;
    const percent = Math.floor((100 * this.done) / Math.max(1, this.total));
    this.stream.write(`${this.table}: ${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} (${percent}%), ${rate(this.done, now - this.startedAt)} rows/s\n`);
  }

  finish(): void {
    this.stream.write(`${this.table}: done, ${this.done.toLocaleString('en-US')} rows\n`);
  }
}

function rate(rows: number, ms: number): number {
  return ms > 0 ? Math.round((rows * 1000) / ms) : 0;
}
