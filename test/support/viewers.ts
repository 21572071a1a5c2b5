// Callers for authorization tests: one viewer per role and scope.
import { Role, type Viewer } from '../../src/auth/viewer';

const viewer = (role: Role, keyId: number | null, extra: Partial<Viewer> = {}): Viewer => ({
  role,
  keyId,
  keyLabel: keyId === null ? null : `${role.toLowerCase()}-${keyId}`,
  provinceCode: null,
  universityId: null,
  ...extra,
});

export const VIEWERS = {
  public: viewer(Role.PUBLIC, null),
  ministry: viewer(Role.MINISTRY_ADMIN, 1),
  integration: viewer(Role.INTEGRATION, 2),
  jatimOperator: viewer(Role.HUB_OPERATOR, 3, { provinceCode: '35' }),
  jatengOperator: viewer(Role.HUB_OPERATOR, 4, { provinceCode: '33' }),
  untan: viewer(Role.UNIVERSITY, 5, { universityId: 1 }),
  ubb: viewer(Role.UNIVERSITY, 6, { universityId: 2 }),
};
export type ViewerName = keyof typeof VIEWERS;
