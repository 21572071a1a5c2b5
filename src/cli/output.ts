// Standard output and error of the command-line tools. Data goes to stdout, messages to stderr, and the
// process exits only once both are flushed: on a pipe, Node writes asynchronously, and process.exit()
// with bytes still queued drops them (a slow reader got the first 64 KiB of a --json report and no more).
import type { Writable } from 'node:stream';

/** Resolves once everything written to the stream so far has reached the operating system. */
export function drained(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  // Write callbacks run in order: this one runs after every chunk queued before it.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Writes data to stdout and resolves when the operating system has it. */
export function printData(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** A message for the person at the terminal (or the log), never mixed into the data on stdout. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Exits with the code once stdout and stderr are flushed. */
export async function exitFlushed(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/**
 * A reader that went away (`jipp export ... | head`) is not an error of ours: stop quietly, as Unix tools
 * do, instead of failing with EPIPE.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
