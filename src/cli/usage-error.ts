// Errors a command-line tool reports as such: a bad argument or an unreadable input (exit code 2), and
// failures that carry their own exit code. Everything else is unexpected and printed with its stack.

/** The command was given something it cannot use: the message says what; exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A failure whose exit code the command documents (e.g. import's 3 for an unexpected failure). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
