// Validation of Kemendagri region codes in arguments: malformed codes are bad input, never a 500.
import { BadUserInputError } from '../errors';

export const PROVINCE_CODE = /^\d{2}$/;
export const REGENCY_CODE = /^\d{2}\.\d{2}$/;

export function provinceCodeArg(code: string, argument: string): string {
  if (!PROVINCE_CODE.test(code)) {
    throw new BadUserInputError(`${argument} must be a two-digit Kemendagri province code such as "35"; got "${code.slice(0, 40)}".`, argument);
  }
  return code;
}

export function regencyCodeArg(code: string, argument: string): string {
  if (!REGENCY_CODE.test(code)) {
    throw new BadUserInputError(`${argument} must be a Kemendagri regency code such as "35.25"; got "${code.slice(0, 40)}".`, argument);
  }
  return code;
}

export function yearRangeArgs(from: number | null | undefined, to: number | null | undefined, prefix = 'filter.'): void {
  for (const [name, value] of [['yearFrom', from], ['yearTo', to]] as const) {
    if (value != null && (value < 1900 || value > 2100)) {
      throw new BadUserInputError(`${prefix}${name} must be a year between 1900 and 2100; got ${value}.`, `${prefix}${name}`);
    }
  }
  if (from != null && to != null && from > to) {
    throw new BadUserInputError(`${prefix}yearFrom (${from}) is after ${prefix}yearTo (${to}).`, `${prefix}yearFrom`);
  }
}
