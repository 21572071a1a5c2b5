// KIPP and UNPSA awards for DEMO innovations, following the real competition calendar
// (jipp-reference.json competitionVolumes): the attractive innovations win, and winning makes them
// more attractive still, as a Top 99 does in practice.
import type { InnovationCatalogue } from './innovations';
import type { DemoAward } from './model';
import type { Random } from './random';
import { LAST_YEAR } from './scale';

/** The tier below Top 99 that KIPP named winners by, per year; 2024 had no KIPP (PKRI monitoring instead). */
const KIPP_WINNER_TIER: Readonly<Record<number, string | null>> = {
  2014: 'TOP_9', 2015: 'TOP_25', 2016: 'TOP_35', 2017: 'TOP_40', 2018: 'TOP_40', 2019: 'TOP_45',
  2020: 'TOP_45', 2021: 'TOP_45', 2022: 'TOP_45', 2023: 'TOP_45', 2024: null, 2025: null,
};
/** KIPP's replication group ran in 2020-2021 and 2025; its special group in 2020-2023. */
const REPLICATION_GROUP_YEARS = new Set([2020, 2021, 2025]);
const SPECIAL_GROUP_YEARS = new Set([2020, 2021, 2022, 2023]);

export function awardOriginals(rng: Random, catalogue: InnovationCatalogue): DemoAward[] {
  const awards: DemoAward[] = [];
  for (let i = 0; i < catalogue.size; i++) {
    if (!rng.chance(Math.min(0.5, 0.01 * catalogue.fitness[i]))) continue;
    let year = catalogue.rows[i].launchYear + rng.int(1, 2);
    if (year === 2024) year = 2025;
    if (year > LAST_YEAR) continue;
    awards.push({ innovation: i, competition: 'KIPP', year, tier: 'TOP_99' });
    catalogue.fitness[i] *= 2;
    const winner = KIPP_WINNER_TIER[year];
    if (SPECIAL_GROUP_YEARS.has(year) && rng.chance(0.05)) {
      awards.push({ innovation: i, competition: 'KIPP', year, tier: 'TOP_15_KHUSUS' });
    } else if (winner && rng.chance(0.3)) {
      awards.push({ innovation: i, competition: 'KIPP', year, tier: winner });
      catalogue.fitness[i] *= 1.5;
      if (year === 2023 && rng.chance(0.1)) awards.push({ innovation: i, competition: 'KIPP', year, tier: 'OUTSTANDING_ACHIEVEMENT' });
      if (year < LAST_YEAR && rng.chance(0.06)) awards.push(unpsa(rng, i, year + 1));
    }
  }
  return awards;
}

function unpsa(rng: Random, innovation: number, year: number): DemoAward {
  const tier = rng.weighted([['UNPSA_NOMINEE', 60], ['UNPSA_HONORABLE_MENTION', 25], ['UNPSA_WINNER', 15]] as const);
  return { innovation, competition: 'UNPSA', year, tier };
}

/** Local versions compete in KIPP's replication group, in the years it ran. */
export function awardLocalVersions(rng: Random, catalogue: InnovationCatalogue): DemoAward[] {
  const awards: DemoAward[] = [];
  for (let i = 0; i < catalogue.size; i++) {
    if (catalogue.generation[i] === 0) continue;
    const year = catalogue.rows[i].launchYear + 1;
    if (REPLICATION_GROUP_YEARS.has(year) && rng.chance(Math.min(0.1, 0.002 * catalogue.fitness[i]))) {
      awards.push({ innovation: i, competition: 'KIPP', year, tier: 'TOP_15_REPLIKASI' });
    }
  }
  return awards;
}
