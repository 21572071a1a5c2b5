// Creating, listing and revoking API keys, for the command line and for the ministry through the API alike:
// the same checks, the same audit records (never the secret).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit, type Actor } from '../modules/audit/audit.service';
import { University } from '../modules/mentoring/university.entity';
import { Province } from '../modules/region/province.entity';
import { Checks, UserErrorCode, type UserError } from '../graphql/user-errors';
import { checkText } from '../writes/text-limits';
import { ApiKey } from './api-key.entity';
import { generateKey, hashKey, ROLES_WITH_KEYS } from './api-keys';
import { Role } from './viewer';

export interface NewKey {
  role: Role;
  label: string;
  provinceCode?: string | null;
  /** The university by id, or by acronym (the command line's --university UNTAN). */
  university?: { id: number } | { acronym: string } | null;
  expiresAt?: Date | null;
}

export type CreateKeyResult = { key: string; record: ApiKey; userErrors: [] } | { key: null; record: null; userErrors: UserError[] };

/** The longest a key may live: long-lived secrets leak; rotate instead (docs/writing.md). */
export const MAX_KEY_LIFETIME_DAYS = 5 * 365;

export async function createApiKey(em: EntityManager, actor: Actor, input: NewKey, now = new Date()): Promise<CreateKeyResult> {
  const checks = new Checks();
  const label = input.label.trim();
  checkText(checks, 'input.label', input.label, 'keyLabel', { required: true });
  if (!(ROLES_WITH_KEYS as readonly Role[]).includes(input.role)) {
    checks.fail('input.role', `A key's role is one of ${ROLES_WITH_KEYS.join(', ')}.`);
  }
  checks.pattern('input.provinceCode', input.provinceCode, /^\d{2}$/, 'a province code such as "35"');
  const hasProvince = input.provinceCode != null;
  const hasUniversity = input.university != null;
  if ((input.role === Role.HUB_OPERATOR) !== hasProvince) checks.fail('input.provinceCode', 'A HUB_OPERATOR key needs a province, and only HUB_OPERATOR keys have one.');
  if ((input.role === Role.UNIVERSITY) !== hasUniversity) checks.fail('input.universityId', 'A UNIVERSITY key needs a university, and only UNIVERSITY keys have one.');
  if (input.expiresAt) {
    if (input.expiresAt <= now) checks.fail('input.expiresAt', `expiresAt must be in the future; got ${input.expiresAt.toISOString()}.`);
    else if (input.expiresAt.getTime() - now.getTime() > MAX_KEY_LIFETIME_DAYS * 86_400_000) {
      checks.fail('input.expiresAt', `A key lives at most ${MAX_KEY_LIFETIME_DAYS} days; rotate it instead of making it last longer.`);
    }
  }
  const province = checks.ok && input.provinceCode != null ? await em.findOne(Province, { code: input.provinceCode }) : null;
  if (checks.ok && input.provinceCode != null && !province) checks.fail('input.provinceCode', `There is no province ${input.provinceCode}.`, UserErrorCode.NOT_FOUND);
  const university = checks.ok && input.university != null ? await em.findOne(University, input.university) : null;
  if (checks.ok && input.university != null && !university) {
    const name = 'id' in input.university ? `with id ${input.university.id}` : input.university.acronym;
    checks.fail('input.universityId', `There is no university ${name}.`, UserErrorCode.NOT_FOUND);
  }
  if (!checks.ok) return { key: null, record: null, userErrors: checks.errors };

  const { key, prefix } = generateKey();
  const record = Object.assign(new ApiKey(), {
    label,
    role: input.role,
    province: province ? em.getReference(Province, province.code, { wrapped: true }) : null,
    university: university ? em.getReference(University, university.id, { wrapped: true }) : null,
    prefix,
    hash: hashKey(key),
    expiresAt: input.expiresAt ?? null,
  });
  await em.transactional(async (tx) => {
    tx.persist(record);
    await tx.flush();
    audit(tx, actor, {
      action: 'apiKey.create',
      entityType: 'ApiKey',
      entityId: prefix,
      after: {
        label,
        role: record.role,
        province: province?.code ?? null,
        university: university?.acronym ?? null,
        expiresAt: record.expiresAt?.toISOString() ?? null,
      },
    });
  });
  return { key, record, userErrors: [] };
}

export async function listApiKeys(em: EntityManager): Promise<ApiKey[]> {
  return em.find(ApiKey, {}, { orderBy: { id: 'asc' }, populate: ['university'] });
}

const KEY_PREFIX = /^jipp_[A-Za-z0-9_-]{8}$/;

export type RevokeKeyResult = { record: ApiKey; userErrors: [] } | { record: null; userErrors: UserError[] };

/** Revokes a key by its id or prefix; revoking a revoked key changes nothing (and is not audited again). */
export async function revokeApiKey(em: EntityManager, actor: Actor, which: { id: number } | { prefix: string }): Promise<RevokeKeyResult> {
  if ('prefix' in which && !KEY_PREFIX.test(which.prefix)) {
    return { record: null, userErrors: [{ field: 'prefix', code: UserErrorCode.BAD_USER_INPUT, message: `A key's prefix looks like jipp_AbCdEfGh; got "${which.prefix.slice(0, 40)}".` }] };
  }
  return em.transactional(async (tx): Promise<RevokeKeyResult> => {
    const record = await tx.findOne(ApiKey, which, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!record) {
      const name = 'id' in which ? `with id ${which.id}` : which.prefix;
      return { record: null, userErrors: [{ field: 'prefix', code: UserErrorCode.NOT_FOUND, message: `There is no key ${name} (give its prefix, e.g. jipp_AbCdEfGh).` }] };
    }
    if (record.revokedAt) return { record, userErrors: [] };
    record.revokedAt = new Date();
    await tx.flush();
    audit(tx, actor, { action: 'apiKey.revoke', entityType: 'ApiKey', entityId: record.prefix, after: { revokedAt: record.revokedAt.toISOString() } });
    return { record, userErrors: [] };
  });
}
