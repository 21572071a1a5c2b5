// API keys: random secrets shown once, stored as SHA-256 hashes, looked up by their public prefix.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from './api-key.entity';
import { Role, type Viewer } from './viewer';

const KEY_PATTERN = /^(jipp_[A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

/** How stale lastUsedAt may get: a busy key writes it about once a minute, not on every request. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(): { key: string; prefix: string } {
  const prefix = `jipp_${randomBytes(6).toString('base64url')}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** The viewer a bearer key stands for, or why it stands for nobody. */
export type KeyCheck = { viewer: Viewer } | { refused: string };

const UNKNOWN = 'The API key is malformed or unknown.';

export async function checkKey(em: EntityManager, key: string, now = new Date()): Promise<KeyCheck> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return { refused: UNKNOWN };
  const record = await em.findOne(ApiKey, { prefix: match[1] });
  if (!record) return { refused: UNKNOWN };
  const expected = Buffer.from(record.hash, 'hex');
  const actual = Buffer.from(hashKey(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { refused: UNKNOWN };
  // Only the holder of the whole key learns that it was revoked or expired, and when.
  if (record.revokedAt) return { refused: `The API key ${record.prefix} was revoked at ${record.revokedAt.toISOString()}.` };
  if (record.expiresAt && record.expiresAt <= now) {
    return { refused: `The API key ${record.prefix} expired at ${record.expiresAt.toISOString()}; ask the ministry for a new key.` };
  }
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000) {
    // Conditional, so that several API processes seeing the same stale value write it once.
    await em.getConnection().execute(
      `update api_key set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))`,
      [record.id, LAST_USED_RESOLUTION_SECONDS],
    );
  }
  return {
    viewer: {
      role: record.role,
      keyId: record.id,
      keyLabel: record.label,
      provinceCode: record.province ? record.province.unwrap().code : null,
      universityId: record.university ? record.university.id : null,
    },
  };
}

/** The viewer a bearer key stands for, or null when the key is malformed, unknown, revoked or expired. */
export async function viewerForKey(em: EntityManager, key: string): Promise<Viewer | null> {
  const check = await checkKey(em, key);
  return 'viewer' in check ? check.viewer : null;
}

export const ROLES_WITH_KEYS = [Role.UNIVERSITY, Role.HUB_OPERATOR, Role.MINISTRY_ADMIN, Role.INTEGRATION] as const;
