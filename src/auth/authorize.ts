// Who may write what. Object-level checks take the record's scope (its province, its university), so the
// same rule guards a mutation, an import row and a nested field.
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
