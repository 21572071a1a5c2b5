// Region arguments of writes: well-formed, known, and consistent (a regency lies in its province).
import type { EntityManager } from '@mikro-orm/postgresql';
import { PROVINCE_CODE, REGENCY_CODE } from '../../graphql/codes';
import { Checks, UserErrorCode } from '../../graphql/user-errors';
import { Province } from './province.entity';
import { Regency } from './regency.entity';

export interface RegionChoice {
  provinceCode: string | null;
  regencyCode: string | null;
}

/** Validates a province/regency pair; the province is implied by the regency when left out. */
export async function checkRegion(
  em: EntityManager,
  checks: Checks,
  field: string,
  provinceCode: string | null | undefined,
  regencyCode: string | null | undefined,
): Promise<RegionChoice> {
  checks.pattern(`${field}provinceCode`, provinceCode, PROVINCE_CODE, '"35"');
  checks.pattern(`${field}regencyCode`, regencyCode, REGENCY_CODE, '"35.25"');
  if (!checks.ok) return { provinceCode: null, regencyCode: null };
  const province = provinceCode ?? (regencyCode ? regencyCode.slice(0, 2) : null);
  if (regencyCode && province !== regencyCode.slice(0, 2)) {
    checks.fail(`${field}regencyCode`, `Regency ${regencyCode} is not in province ${province}.`);
  }
  if (regencyCode && !(await em.count(Regency, { code: regencyCode }))) {
    checks.fail(`${field}regencyCode`, `There is no regency ${regencyCode}.`, UserErrorCode.NOT_FOUND);
  } else if (province && !(await em.count(Province, { code: province }))) {
    checks.fail(`${field}provinceCode`, `There is no province ${province}.`, UserErrorCode.NOT_FOUND);
  }
  return { provinceCode: province, regencyCode: regencyCode ?? null };
}
