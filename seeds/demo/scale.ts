// The sizes the DEMO network comes in (quality.md, "Scales to hold").

export const DEMO_SCALES = {
  /** For tests: seconds to generate and load. */
  small: { innovations: 2_000, replications: 6_000 },
  /** About a decade of KIPP and IGA records. */
  national: { innovations: 40_000, replications: 120_000 },
  /** The stress size: list and graph queries must stay index-bound. */
  x10: { innovations: 400_000, replications: 1_200_000 },
} as const;

export type DemoScaleName = keyof typeof DEMO_SCALES;

export const DEMO_SCALE_NAMES = Object.keys(DEMO_SCALES) as DemoScaleName[];

export function isDemoScaleName(value: string): value is DemoScaleName {
  return (DEMO_SCALE_NAMES as string[]).includes(value);
}

/** The years the synthetic history spans: the first KIPP competition to the last full year. */
export const FIRST_YEAR = 2014;
export const LAST_YEAR = 2025;

/** The largest seed of the DEMO generator (its random numbers are 32-bit). */
export const MAX_SEED = 0xffffffff;
