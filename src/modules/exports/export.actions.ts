// What `jipp export` does: the export's statement, streamed from a cursor to stdout (or a file) in constant
// memory; progress and the closing line on stderr. The command line acts for the ministry.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { Client } from 'pg';
import { PUBLIC_VIEWER, Role } from '../../auth/viewer';
import { say } from '../../cli/output';
import { rowProgress } from '../../cli/progress';
import { CliFailure, UsageError } from '../../cli/usage-error';
import { withDatabase } from '../../db/cli-database';
import { EXPORT_EXIT, type ExportCliOptions } from './export.cli';
import type { ExportFormat, ExportKind } from './export-params';
import { EXPORT_SPECS, parseParams } from './export-specs';
import { cursorOf, ExportFormatter } from './export-stream';

const CLI_VIEWER = { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN };

function formatOf(options: ExportCliOptions): ExportFormat {
  if (options.format) return options.format;
  if (options.output && /\.(jsonl|ndjson)$/i.test(options.output)) return 'jsonl';
  return 'csv';
}

export async function runExportCommand(kind: ExportKind, filters: [string, string][], options: ExportCliOptions): Promise<void> {
  const spec = EXPORT_SPECS[kind];
  const format = formatOf(options);
  let statement;
  try {
    statement = spec.statement(parseParams(kind, filters), CLI_VIEWER);
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions?.code === 'BAD_USER_INPUT') throw new UsageError(error.message.replace(/\bfilter\./g, ''));
    throw error;
  }
  const started = Date.now();
  const progress = rowProgress('exporting', null, { quietStart: true });
  const formatter = new ExportFormatter(spec, format, () => progress.update(formatter.records));
  try {
    await withDatabase(
      async (orm) => {
        const client = new Client({ connectionString: orm.config.get('clientUrl'), application_name: 'jipp-export' });
        await client.connect();
        try {
          const out: Writable = options.output ? fs.createWriteStream(options.output) : process.stdout;
          await pipeline(cursorOf(client, statement), formatter, out);
        } finally {
          await client.end();
        }
      },
      { reference: 'when-new' },
    );
  } catch (error) {
    progress.stop();
    throw new CliFailure(`failed after ${formatter.records} ${kind}; the output is incomplete: ${error instanceof Error ? error.message : String(error)}`, EXPORT_EXIT.FAILED, {
      cause: error,
    });
  }
  progress.stop();
  say(`exported ${formatter.records} ${kind} as ${format} to ${options.output ?? 'standard output'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
