// API keys: random secrets shown once, stored as SHA-256 hashes, looked up by their public prefix.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from './api-key.entity';
import { Role, type Viewer } from './viewer';

const KEY_PATTERN = /^(jipp_[A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(): { key: string; prefix: string } {
  const prefix = `jipp_${randomBytes(6).toString('base64url')}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** The viewer a bearer key stands for, or null when the key is malformed, unknown or revoked. */
export async function viewerForKey(em: EntityManager, key: string): Promise<Viewer | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const record = await em.findOne(ApiKey, { prefix: match[1] });
  if (!record || record.revokedAt) return null;
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashKey(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return {
    role: record.role,
    keyId: record.id,
    keyLabel: record.label,
    provinceCode: record.province ? record.province.unwrap().code : null,
    universityId: record.university ? record.university.id : null,
  };
}

export const ROLES_WITH_KEYS = [Role.UNIVERSITY, Role.HUB_OPERATOR, Role.MINISTRY_ADMIN, Role.INTEGRATION] as const;
