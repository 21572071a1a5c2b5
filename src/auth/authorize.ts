// Who may write what. Object-level checks take the record's scope (its province, its university), so the
// same rule guards a mutation, an import row and a nested field. The rules, per role, write and referenced
// field, are tabled in docs/authorization.md.
import { Dataset } from '../db/fact.entity';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { Role, type Viewer } from './viewer';

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN for roles not listed. */
export function requireRole(viewer: Viewer, roles: readonly Role[], what: string): void {
  if (viewer.role === Role.PUBLIC) throw new UnauthenticatedError(`${what} needs an API key: send Authorization: Bearer <key>.`);
  if (!roles.includes(viewer.role)) throw new ForbiddenError(`${what} is not allowed for the role ${viewer.role}.`);
}

/** Innovations and replications: the ministry everywhere, a hub operator in its own province. */
export function mayWriteProvince(viewer: Viewer, provinceCode: string | null): boolean {
  if (viewer.role === Role.MINISTRY_ADMIN) return true;
  return viewer.role === Role.HUB_OPERATOR && provinceCode !== null && provinceCode === viewer.provinceCode;
}

/** Imports: integrations and the ministry write any province (and national records), a hub operator its own. */
export function mayImportProvince(viewer: Viewer, provinceCode: string | null): boolean {
  return viewer.role !== Role.HUB_OPERATOR || mayWriteProvince(viewer, provinceCode);
}

/**
 * The import rule above as an SQL condition on a stored row's province column, for the statement that
 * writes: the upsert changes a stored row only when this holds for it at that moment.
 */
export function importProvinceCondition(viewer: Viewer, column: string): { sql: string; params: (string | null)[] } {
  if (viewer.role !== Role.HUB_OPERATOR) return { sql: 'true', params: [] };
  // A key without a province never matches: `column = null` is not true.
  return { sql: `${column} = ?`, params: [viewer.provinceCode] };
}

/**
 * Records a write points at that lie in a province (an owner institution, a facilitating hub, a mentoring
 * programme's hub province): pointing at one is a claim about it (who owns what, which hub or programme
 * helped), so a hub operator points only into its own province. Callers not bound to a province may point
 * anywhere: the ministry corrects everything, integrations sync the registries as they are.
 */
export function mayReferenceProvince(viewer: Viewer, provinceCode: string | null): boolean {
  if (viewer.role !== Role.HUB_OPERATOR) return true;
  return provinceCode !== null && provinceCode === viewer.provinceCode;
}

/**
 * Curated (REFERENCE) and synthetic (DEMO) records are changed by the ministry only: corrected, or made an
 * adopter's local version (which rewrites their lineage). Imports never change them at all.
 */
export function mayChangeDataset(viewer: Viewer, dataset: Dataset): boolean {
  return dataset === Dataset.IMPORTED || viewer.role === Role.MINISTRY_ADMIN;
}

/**
 * The regencies that took part in a session: for a university, those of the province its programme mentors
 * (its sessions are about that hub's teams); the ministry records cross-province sessions too.
 */
export function mayNameSessionRegency(viewer: Viewer, programmeProvince: string, regencyCode: string): boolean {
  return viewer.role === Role.MINISTRY_ADMIN || regencyCode.slice(0, 2) === programmeProvince;
}

/** Mentoring programmes and sessions: the ministry, or the university that runs them. */
export function mayWriteProgramme(viewer: Viewer, universityId: number | null): boolean {
  if (viewer.role === Role.MINISTRY_ADMIN) return true;
  return viewer.role === Role.UNIVERSITY && universityId !== null && universityId === viewer.universityId;
}

/** Whose personal data (mentor names) a caller may read: all (the ministry), one university's programmes', or none. */
export type PersonalDataScope = { all: true } | { universityId: number } | null;

export function personalDataScope(viewer: Viewer): PersonalDataScope {
  if (viewer.role === Role.MINISTRY_ADMIN) return { all: true };
  if (viewer.role === Role.UNIVERSITY && viewer.universityId !== null) return { universityId: viewer.universityId };
  return null;
}
