// Opaque Relay global ids: base64url("Type:key"). Clients must treat them as opaque strings.
import { BadUserInputError } from '../errors';

export const NODE_TYPES = [
  'Province',
  'Regency',
  'LegalInstrument',
  'Hub',
  'Institution',
  'Innovation',
  'Award',
  'Replication',
  'University',
  'MentoringProgramme',
  'MentoringSession',
  'AuditEvent',
  'ReferenceCount',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const KEY_PATTERN: Record<NodeType, RegExp> = {
  Province: /^\d{2}$/,
  Regency: /^\d{2}\.\d{2}$/,
  LegalInstrument: /^[1-9]\d{0,9}$/,
  Hub: /^[1-9]\d{0,9}$/,
  Institution: /^[1-9]\d{0,9}$/,
  Innovation: /^[1-9]\d{0,9}$/,
  Award: /^[1-9]\d{0,9}$/,
  Replication: /^[1-9]\d{0,9}$/,
  University: /^[1-9]\d{0,9}$/,
  MentoringProgramme: /^[1-9]\d{0,9}$/,
  MentoringSession: /^[1-9]\d{0,9}$/,
  AuditEvent: /^[1-9]\d{0,9}$/,
  ReferenceCount: /^[1-9]\d{0,9}$/,
};

export function toGlobalId(type: NodeType, key: string | number): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: NodeType;
  key: string;
}

/** Decodes a global id, or returns null when it is not one of ours. */
export function decodeGlobalId(id: string): DecodedId | null {
  if (id.length === 0 || id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const type = text.slice(0, colon) as NodeType;
  const key = text.slice(colon + 1);
  if (!NODE_TYPES.includes(type) || !KEY_PATTERN[type].test(key)) return null;
  if (/^\d+$/.test(key) && Number(key) > 2_147_483_647) return null;
  // base64 ignores the spare bits of the last character, so several strings decode to one id; only the
  // canonical one is an id, or one object would answer to several ids (and clients cache by id).
  if (toGlobalId(type, key) !== id) return null;
  return { type, key };
}

/** Decodes a global id that must name a given type; a malformed or foreign id is bad input. */
export function parseGlobalId(id: string, expected: NodeType, argument = 'id'): string {
  const decoded = decodeGlobalId(id);
  if (!decoded || decoded.type !== expected) {
    throw new BadUserInputError(`"${id}" is not a valid ${expected} id.`, argument);
  }
  return decoded.key;
}

export function parseNumericGlobalId(id: string, expected: NodeType, argument = 'id'): number {
  return Number(parseGlobalId(id, expected, argument));
}
