// Region codes in change filters: a province ("35") or a regency ("35.25").
import { BadUserInputError } from '../errors';

export function regionCodeArg(code: string, argument = 'filter.regionCode'): string {
  if (!/^\d{2}(\.\d{2})?$/.test(code)) throw new BadUserInputError(`"${code.slice(0, 20)}" is not a province code ("35") or a regency code ("35.25").`, argument);
  return code;
}

/** Whether a region code touches another: equal, or one is a province and the other one of its regencies. */
export function regionsTouch(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Whether an event's regions (null: every region) touch any of the codes. */
export function touchesAny(regions: readonly string[] | null, codes: readonly string[]): boolean {
  return regions === null || regions.some((r) => codes.some((c) => regionsTouch(r, c)));
}
