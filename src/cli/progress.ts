// Progress of a long command on stderr: a bar on a terminal, a plain line every 2 s otherwise (a log
// file, a CI job), so stdout stays for data.
import { SingleBar } from 'cli-progress';

export interface RowProgress {
  /** Rows done so far, and what else the line shows (e.g. failed rows). */
  update(done: number, extra?: { failed?: number }): void;
  stop(): void;
}

/**
 * `total` null: not known ahead (an export). Without a terminal, the first line comes after the first
 * update (an import's first committed batch), or only after 2 s with `quietStart` (a short export says
 * nothing but its closing line).
 */
export function rowProgress(verb: string, total: number | null, options: { quietStart?: boolean } = {}, stream: NodeJS.WriteStream = process.stderr): RowProgress {
  const started = Date.now();
  const rate = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  const failedText = (failed?: number) => (failed === undefined ? '' : ` | ${failed} failed`);
  if (stream.isTTY) {
    const bar = new SingleBar({
      format: total === null ? `${verb} {value} rows{failed} | {rate} rows/s` : `${verb} [{bar}] {value}/{total} rows{failed} | {rate} rows/s | eta {eta}s`,
      stream,
      hideCursor: true,
    });
    bar.start(total ?? 0, 0, { rate: 0, failed: '' });
    return { update: (done, extra) => bar.update(done, { rate: rate(done), failed: failedText(extra?.failed) }), stop: () => bar.stop() };
  }
  let lastLine = options.quietStart ? started : 0;
  return {
    update: (done, extra) => {
      if (Date.now() - lastLine < 2000 && (total === null || done < total)) return;
      lastLine = Date.now();
      const failed = extra?.failed === undefined ? '' : `, ${extra.failed} failed`;
      stream.write(`${verb} ${done}${total === null ? '' : `/${total}`} rows${failed} (${rate(done)} rows/s)\n`);
    },
    stop: () => {},
  };
}
