// `jipp export innovations|replications|mentoring-programmes` (also `npm run export -- ...`): the same
// exports as GET /export/..., from the command line, to stdout or a file. The definitions only; the work
// loads when a command runs (export.actions.ts).
import { Command, Option } from 'commander';
import { DATABASE_NOTE, helpFooter } from '../../cli/help';
import { EXPORT_FORMATS, EXPORT_KINDS, EXPORT_PARAMS, EXPORT_TITLES, flagOf, type ExportFormat, type ExportKind } from './export-params';

export const EXPORT_EXIT = { OK: 0, USAGE: 2, FAILED: 3 } as const;

const EXIT_CODES: [number, string][] = [
  [EXPORT_EXIT.OK, 'the whole export was written'],
  [EXPORT_EXIT.USAGE, 'bad arguments (an unknown filter, a malformed value)'],
  [EXPORT_EXIT.FAILED, 'unexpected failure; what was written is incomplete'],
];

const EXAMPLES: Record<ExportKind, string[]> = {
  innovations: [
    'jipp export innovations --format jsonl --province 35 > jatim.jsonl',
    'jipp export innovations --has-award true --year-from 2020 --output awarded.csv',
  ],
  replications: ['jipp export replications --adopter-province 51 --kind REPLICATION,SCALING_UP > bali.csv', 'jipp export replications --updated-since 2026-06-01 --format jsonl'],
  'mentoring-programmes': ['jipp export mentoring-programmes --province 61 --output untan.csv', 'jipp export mentoring-programmes --year 2024 --format jsonl'],
};

export interface ExportCliOptions {
  format?: ExportFormat;
  output?: string;
  [filter: string]: string | undefined;
}

function kindCommand(kind: ExportKind): Command {
  const command = new Command(kind)
    .description(`Export ${EXPORT_TITLES[kind]} as CSV or JSON Lines, filtered like the GraphQL list.`)
    .addOption(new Option('--format <format>', 'csv or jsonl (default: from --output\'s extension, else csv)').choices(EXPORT_FORMATS))
    .option('--output <file>', 'write to this file instead of standard output');
  for (const param of EXPORT_PARAMS[kind]) command.option(`--${flagOf(param)} <${param.kind === 'list' ? 'values' : 'value'}>`, param.description);
  return command
    .addHelpText(
      'after',
      helpFooter(EXAMPLES[kind], EXIT_CODES, [
        'Mentor names are in (the command line acts for the ministry); over HTTP, a key gets what its role may read:',
        `  curl -H "Authorization: Bearer $JIPP_KEY" "http://127.0.0.1:4000/export/${kind}.csv?${EXPORT_PARAMS[kind][0].name}=..."`,
        DATABASE_NOTE,
      ]),
    )
    .action(async (options: ExportCliOptions) => {
      const { runExportCommand } = require('./export.actions') as typeof import('./export.actions');
      const filters = EXPORT_PARAMS[kind].flatMap((p): [string, string][] => {
        const value = options[command.options.find((o) => o.long === `--${flagOf(p)}`)!.attributeName()];
        return value === undefined ? [] : [[p.name, value]];
      });
      await runExportCommand(kind, filters, options);
    });
}

export function exportCommand(): Command {
  const command = new Command('export')
    .description('Export records as CSV or JSON Lines, streamed in constant memory: to standard output or a file.')
    .addHelpText(
      'after',
      helpFooter(
        [...EXPORT_KINDS.map((k) => EXAMPLES[k][0]), 'jipp export innovations --help          # every filter of one export'],
        EXIT_CODES,
      ),
    );
  for (const kind of EXPORT_KINDS) command.addCommand(kindCommand(kind));
  return command;
}
