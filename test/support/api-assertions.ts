// Small assertions shared by the API tests: global ids, whole error responses, and the reference facts.
import fs from 'node:fs';
import path from 'node:path';
import { toGlobalId, type NodeType } from '../../src/graphql/global-id';
import type { Result } from './harness';

/** The global id clients see for a database key. */
export function gid(type: NodeType, key: string | number): string {
  return toGlobalId(type, key);
}

export function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Asserts the whole response of an operation that failed at one field with one coded error:
 * `data` as given (null when the failing field is non-null), and exactly one error at `path`.
 */
export function expectError(
  result: Result,
  expected: { path: (string | number)[]; code: string; argument?: string; data?: Record<string, unknown> | null },
): void {
  expect(result.body).toEqual({
    data: expected.data === undefined ? null : expected.data,
    errors: [
      {
        message: expect.any(String),
        locations: expect.any(Array),
        path: expected.path,
        extensions: expected.argument ? { code: expected.code, argument: expected.argument } : { code: expected.code },
      },
    ],
  });
}

// The reference facts the test database was seeded with, read straight from the seed file: an oracle
// independent of the database.
export interface ReferenceInnovation {
  key: string;
  title: string;
  owner: string;
  regionCode: string | null;
  awards?: { competition: string; year: number; tier: string }[];
}

export interface ReferenceReplication {
  source: string;
  adopter: { scope?: string; provinceCode?: string; regencyCode?: string; allRegencies?: boolean; unit?: string };
  adoptedAs?: string;
  kind: string;
  year: number;
  status: string;
  implementationYear?: number;
  committedOn?: string;
  facilitatingHub?: string;
  mentoredBy?: string;
}

export interface ReferenceFacts {
  innovations: ReferenceInnovation[];
  replications: ReferenceReplication[];
  universities: { key: string; name: string; provinceCode: string }[];
  mentoringProgrammes: { year: number; provinceCode: string; partner: string | null }[];
}

export const reference: ReferenceFacts = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'reference', 'jipp-reference.json'), 'utf8'),
);
