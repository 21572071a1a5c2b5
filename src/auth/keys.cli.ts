// `jipp keys create|list|revoke` (also `npm run keys -- ...`): API key management from the command line.
// Only the command definitions live here; the work (and the ORM) loads when a command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DATABASE_NOTE, helpFooter } from '../cli/help';
import { UsageError } from '../cli/usage-error';
import type { ApiKey } from './api-key.entity';
import type { Role } from './viewer';

export { UsageError };

/** The work, loaded when a command runs (it brings the ORM). */
const actions = () => require('./keys.actions') as typeof import('./keys.actions');

export const KEY_ROLES = ['UNIVERSITY', 'HUB_OPERATOR', 'MINISTRY_ADMIN', 'INTEGRATION'] as const satisfies readonly `${Role}`[];

const EXIT_CODES: [number, string][] = [
  [0, 'done'],
  [1, 'unexpected failure (the database could not be reached, ...)'],
  [2, 'bad arguments: an unknown role, a scope that does not fit it, an unknown province, university or key'],
];

export interface CreateOptions {
  role: Role;
  label: string;
  province?: string;
  university?: string;
  expiresAt?: Date;
}

function parseRole(value: string): Role {
  if (!(KEY_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${KEY_ROLES.join(', ')}`);
  return value as Role;
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** "90d", "12h", "8w": a lifetime from now. */
export function parseLifetime(value: string, now = Date.now()): Date {
  const match = /^(\d{1,5})([hdw])$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) throw new InvalidArgumentError('expected a number and a unit: h (hours), d (days) or w (weeks), e.g. 90d');
  return new Date(now + Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** "2026-12-31" (midnight UTC) or a full ISO 8601 time such as "2026-12-31T17:00:00+07:00". */
export function parseMoment(value: string): Date {
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected a date (2026-12-31, midnight UTC) or an ISO 8601 time (2026-12-31T17:00:00+07:00)');
  return date;
}

export function keysCommand(): Command {
  const keys = new Command('keys')
    .description('Manage API keys: hashed at rest, each shown only once, when it is created.')
    .addHelpText(
      'after',
      helpFooter(
        [
          'jipp keys create --role UNIVERSITY --university UNTAN --label "Tim pendamping UNTAN" --expires-in 365d',
          'jipp keys list --json',
          'jipp keys revoke jipp_AbCdEfGh',
        ],
        EXIT_CODES,
        [DATABASE_NOTE],
      ),
    );
  keys
    .command('create')
    .description('Create a key and print it once (on stdout; the message around it on stderr).')
    .requiredOption('--role <role>', `one of ${KEY_ROLES.join(', ')}`, parseRole)
    .requiredOption('--label <label>', 'who or what uses the key, e.g. "Biro Organisasi Jatim"')
    .option('--province <code>', 'province code, for HUB_OPERATOR keys (only)')
    .option('--university <acronym|id>', 'university, for UNIVERSITY keys (only)')
    .addOption(new Option('--expires-in <lifetime>', 'the key stops working after this long: 12h, 90d, 8w').argParser((v) => parseLifetime(v)).conflicts('expiresAt'))
    .addOption(new Option('--expires-at <time>', 'the key stops working at this moment: 2026-12-31 or 2026-12-31T17:00:00+07:00').argParser(parseMoment))
    .option('--json', 'print the key and its record as one JSON object')
    .addHelpText(
      'after',
      helpFooter(
        [
          'jipp keys create --role HUB_OPERATOR --province 35 --label "Biro Organisasi Jawa Timur"',
          'jipp keys create --role INTEGRATION --label "Sinovik sync" --expires-in 90d --json',
          '# rotate without downtime: create a second key for the same scope, switch the client, then revoke the old one',
          'jipp keys create --role INTEGRATION --label "Sinovik sync (2026)" --expires-at 2027-01-31',
        ],
        EXIT_CODES,
      ),
    )
    .action(async (options: CreateOptions & { expiresIn?: Date; json?: boolean }) => {
      const { createKeyCommand } = actions();
      await createKeyCommand({ ...options, expiresAt: options.expiresIn ?? options.expiresAt }, options.json ?? false);
    });
  keys
    .command('list')
    .description('List keys: ids, prefixes, roles, scopes, expiry, last use; never their secrets.')
    .option('--json', 'print a JSON array')
    .addHelpText('after', helpFooter(['jipp keys list', "jipp keys list --json | jq '.[] | select(.status == \"ACTIVE\")'"], EXIT_CODES))
    .action(async (options: { json?: boolean }) => {
      const { listKeysCommand } = actions();
      await listKeysCommand(options.json ?? false);
    });
  keys
    .command('revoke')
    .description('Revoke a key; requests with it get 401 from now on.')
    .argument('<idOrPrefix>', 'the key\'s id or its prefix (jipp_AbCdEfGh), as keys list shows them')
    .option('--json', 'print the revoked key as JSON')
    .addHelpText('after', helpFooter(['jipp keys revoke jipp_AbCdEfGh', 'jipp keys revoke 12'], EXIT_CODES))
    .action(async (which: string, options: { json?: boolean }) => {
      const { revokeKeyCommand } = actions();
      await revokeKeyCommand(which, options.json ?? false);
    });
  return keys;
}

// For tests and scripts that manage keys on an open ORM, as the command does.
export async function createKey(orm: MikroORM, options: CreateOptions): Promise<{ key: string; record: ApiKey }> {
  return actions().createKey(orm, options);
}

export async function listKeys(orm: MikroORM): Promise<ApiKey[]> {
  return actions().listKeys(orm);
}

export async function revokeKey(orm: MikroORM, which: string): Promise<ApiKey> {
  return actions().revokeKey(orm, which);
}
