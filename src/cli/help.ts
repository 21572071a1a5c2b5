// The part of every command's --help that clig.dev asks for: examples first, then what each exit code means.
export function helpFooter(examples: string[], exitCodes: [number, string][], notes: string[] = []): string {
  return [
    '',
    'Examples:',
    ...examples.map((e) => `  ${e}`),
    '',
    'Exit codes:',
    ...exitCodes.map(([code, meaning]) => `  ${code}  ${meaning}`),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

/** Where the tools find the database; the same for every command that opens it. */
export const DATABASE_NOTE =
  'The database: DATABASE_URL when set, else the embedded PostgreSQL of DATA_DIR (default .data): the running\n' +
  "API's when one is up (left running), or one started for this command and stopped after it.";
