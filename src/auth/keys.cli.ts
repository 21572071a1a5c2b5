// npm run keys -- create|list|revoke: API key management. A new key is printed once and never stored.
import { Command, InvalidArgumentError } from 'commander';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withDatabase } from '../db/cli-database';
import { audit } from '../modules/audit/audit.service';
import { University } from '../modules/mentoring/university.entity';
import { Province } from '../modules/region/province.entity';
import { ApiKey } from './api-key.entity';
import { generateKey, hashKey, ROLES_WITH_KEYS } from './api-keys';
import { PUBLIC_VIEWER, Role } from './viewer';

const CLI_ACTOR = { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: null, tool: 'npm run keys' };

function parseRole(value: string): Role {
  if (!(ROLES_WITH_KEYS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${ROLES_WITH_KEYS.join(', ')}`);
  }
  return value as Role;
}

export class UsageError extends Error {}

export interface CreateOptions {
  role: Role;
  label: string;
  province?: string;
  university?: string;
}

export async function createKey(orm: MikroORM, options: CreateOptions): Promise<{ key: string; record: ApiKey }> {
  const em = orm.em.fork();
  if ((options.role === Role.HUB_OPERATOR) !== (options.province !== undefined)) {
    throw new UsageError('--province is required for HUB_OPERATOR keys, and only for them.');
  }
  if ((options.role === Role.UNIVERSITY) !== (options.university !== undefined)) {
    throw new UsageError('--university is required for UNIVERSITY keys, and only for them.');
  }
  if (!options.label.trim()) throw new UsageError('--label must not be blank.');
  const province = options.province ? await em.findOne(Province, options.province) : null;
  if (options.province && !province) throw new UsageError(`There is no province ${options.province}.`);
  const university = options.university
    ? await em.findOne(University, /^\d+$/.test(options.university) ? { id: Number(options.university) } : { acronym: options.university })
    : null;
  if (options.university && !university) throw new UsageError(`There is no university ${options.university}.`);
  const { key, prefix } = generateKey();
  const record = Object.assign(new ApiKey(), {
    label: options.label.trim(),
    role: options.role,
    province: province ? em.getReference(Province, province.code, { wrapped: true }) : null,
    university: university ? em.getReference(University, university.id, { wrapped: true }) : null,
    prefix,
    hash: hashKey(key),
  });
  await em.transactional(async (tx) => {
    tx.persist(record);
    await tx.flush();
    audit(tx, CLI_ACTOR, {
      action: 'apiKey.create',
      entityType: 'ApiKey',
      entityId: prefix,
      after: { label: record.label, role: record.role, province: province?.code ?? null, university: university?.acronym ?? null },
    });
  });
  return { key, record };
}

export async function listKeys(orm: MikroORM): Promise<ApiKey[]> {
  return orm.em.fork().find(ApiKey, {}, { orderBy: { id: 'asc' }, populate: ['university'] });
}

export async function revokeKey(orm: MikroORM, which: string): Promise<ApiKey> {
  const em = orm.em.fork();
  const record = await em.findOne(ApiKey, /^\d+$/.test(which) ? { id: Number(which) } : { prefix: which });
  if (!record) throw new UsageError(`There is no key ${which} (give its id or its prefix, e.g. jipp_AbCdEfGh).`);
  if (record.revokedAt) return record;
  await em.transactional(async (tx) => {
    record.revokedAt = new Date();
    tx.persist(record);
    await tx.flush();
    audit(tx, CLI_ACTOR, { action: 'apiKey.revoke', entityType: 'ApiKey', entityId: record.prefix, after: { revokedAt: record.revokedAt.toISOString() } });
  });
  return record;
}

function describe(k: ApiKey): Record<string, unknown> {
  return {
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    role: k.role,
    province: k.province?.unwrap().code ?? null,
    university: k.university?.unwrap().acronym ?? null,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export function buildProgram(): Command {
  const program = new Command('keys').description('Manage API keys (hashed at rest; a key is shown only once).').exitOverride();
  program
    .command('create')
    .description('Create a key and print it once.')
    .requiredOption('--role <role>', `one of ${ROLES_WITH_KEYS.join(', ')}`, parseRole)
    .requiredOption('--label <label>', 'who or what uses the key, e.g. "Biro Organisasi Jatim"')
    .option('--province <code>', 'province code, for HUB_OPERATOR keys')
    .option('--university <acronym|id>', 'university, for UNIVERSITY keys')
    .option('--json', 'print JSON')
    .action(async (options: CreateOptions & { json?: boolean }) => {
      const { key, record } = await withDatabase((orm) => createKey(orm, options));
      if (options.json) console.log(JSON.stringify({ key, ...describe(record) }));
      else console.log(`Created ${record.role} key ${record.prefix} (id ${record.id}). Store it now, it is not shown again:\n\n${key}\n`);
    });
  program
    .command('list')
    .description('List keys (never their secrets).')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const keys = (await withDatabase(listKeys)).map(describe);
      if (options.json) console.log(JSON.stringify(keys));
      else if (keys.length === 0) console.log('No keys yet. Create one with: npm run keys -- create --role ... --label ...');
      else console.table(keys);
    });
  program
    .command('revoke <idOrPrefix>')
    .description('Revoke a key; requests with it get 401 from now on.')
    .action(async (which: string) => {
      const record = await withDatabase((orm) => revokeKey(orm, which));
      console.log(`Revoked ${record.prefix} (${record.label}) at ${record.revokedAt!.toISOString()}.`);
    });
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      const code = (error as { exitCode?: number }).exitCode;
      if (code !== undefined) process.exit(code === 0 ? 0 : 2);
      console.error(error instanceof UsageError ? `keys: ${error.message}` : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    });
}
