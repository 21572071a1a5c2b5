// Who is calling. Without an API key the caller is PUBLIC: it reads everything but personal data.
import { registerEnumType } from 'type-graphql';

export enum Role {
  PUBLIC = 'PUBLIC',
  UNIVERSITY = 'UNIVERSITY',
  HUB_OPERATOR = 'HUB_OPERATOR',
  MINISTRY_ADMIN = 'MINISTRY_ADMIN',
  INTEGRATION = 'INTEGRATION',
}
registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    PUBLIC: { description: 'No API key: reads everything that is not personal data.' },
    UNIVERSITY: { description: 'Bound to one university: writes its own mentoring programmes and sessions.' },
    HUB_OPERATOR: { description: "Bound to one province: writes that province's innovations and replications." },
    MINISTRY_ADMIN: { description: 'Everything.' },
    INTEGRATION: { description: 'Machine sync: imports and reads.' },
  },
});

export interface Viewer {
  role: Role;
  keyId: number | null;
  keyLabel: string | null;
  provinceCode: string | null;
  universityId: number | null;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({
  role: Role.PUBLIC,
  keyId: null,
  keyLabel: null,
  provinceCode: null,
  universityId: null,
});
