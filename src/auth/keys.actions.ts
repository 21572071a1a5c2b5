// What `jipp keys` does, on the database of the tools (src/db/cli-database.ts). The command line acts with
// the ministry's rights and is audited as the tool that wrote.
import type { MikroORM } from '@mikro-orm/postgresql';
import { printData, say } from '../cli/output';
import { UsageError } from '../cli/usage-error';
import { withDatabase } from '../db/cli-database';
import type { Actor } from '../modules/audit/audit.service';
import { keyStatus, type ApiKey } from './api-key.entity';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key.service';
import type { CreateOptions } from './keys.cli';
import { PUBLIC_VIEWER, Role } from './viewer';

const CLI_ACTOR: Actor = { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: null, tool: 'jipp keys' };

// A key's list needs no reference data: only a database this run created gets it (withDatabase).
const database = <T>(work: (orm: MikroORM) => Promise<T>) => withDatabase(work, { reference: 'when-new' });

export async function createKey(orm: MikroORM, options: CreateOptions): Promise<{ key: string; record: ApiKey }> {
  const university = options.university === undefined ? null : /^\d+$/.test(options.university) ? { id: Number(options.university) } : { acronym: options.university };
  const result = await createApiKey(orm.em.fork(), CLI_ACTOR, {
    role: options.role,
    label: options.label,
    provinceCode: options.province ?? null,
    university,
    expiresAt: options.expiresAt ?? null,
  });
  if (result.key === null) throw new UsageError(result.userErrors.map((e) => e.message.replace(/\binput\.\w+/g, (f) => `--${flagOf(f)}`)).join(' '));
  return { key: result.key, record: result.record };
}

function flagOf(field: string): string {
  return { 'input.provinceCode': 'province', 'input.universityId': 'university', 'input.expiresAt': 'expires-at' }[field] ?? field.replace('input.', '');
}

export async function listKeys(orm: MikroORM): Promise<ApiKey[]> {
  return listApiKeys(orm.em.fork());
}

export async function revokeKey(orm: MikroORM, which: string): Promise<ApiKey> {
  const result = await revokeApiKey(orm.em.fork(), CLI_ACTOR, /^\d+$/.test(which) ? { id: Number(which) } : { prefix: which });
  if (!result.record) throw new UsageError(result.userErrors[0].message);
  return result.record;
}

/** A key as the command line shows it: everything but the hash. */
export function describeKey(k: ApiKey): Record<string, unknown> {
  return {
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    role: k.role,
    province: k.province?.unwrap().code ?? null,
    university: k.university?.unwrap().acronym ?? null,
    status: keyStatus(k),
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export async function createKeyCommand(options: CreateOptions, json: boolean): Promise<void> {
  const { key, record } = await database((orm) => createKey(orm, options));
  if (json) return printData(`${JSON.stringify({ key, ...describeKey(record) })}\n`);
  const expiry = record.expiresAt ? `, expires ${record.expiresAt.toISOString()}` : '';
  say(`Created ${record.role} key ${record.prefix} (id ${record.id}${expiry}). Store it now, it is not shown again:`);
  await printData(`${key}\n`);
}

export async function listKeysCommand(json: boolean): Promise<void> {
  const keys = (await database(listKeys)).map(describeKey);
  if (json) return printData(`${JSON.stringify(keys)}\n`);
  if (keys.length === 0) return say('No keys yet. Create one with: jipp keys create --role ... --label ...');
  const columns = ['id', 'prefix', 'role', 'province', 'university', 'status', 'expiresAt', 'lastUsedAt', 'label'];
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...keys.map((k) => cell(k[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  await printData(`${[line(columns), ...keys.map((k) => line(columns.map((c) => cell(k[c]))))].join('\n')}\n`);
}

export async function revokeKeyCommand(which: string, json: boolean): Promise<void> {
  const record = await database((orm) => revokeKey(orm, which));
  if (json) return printData(`${JSON.stringify(describeKey(record))}\n`);
  say(`Revoked ${record.prefix} (${record.label}) at ${record.revokedAt!.toISOString()}.`);
}
