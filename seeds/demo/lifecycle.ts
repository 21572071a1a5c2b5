// How records age: an innovation moves from idea to practice, a replication from proposal to
// institutionalisation (or is dropped), and the registries that record them came one after another.
import type { InnovationStage, Registry, ReplicationKind, ReplicationStatus, Sustainability } from './model';
import type { Random } from './random';
import { LAST_YEAR } from './scale';

// Weight tables are constants: building them per call for a million rows shows up as garbage collection.
type Weights<T> = readonly (readonly [T, number])[];

const REGISTRIES_2015: Weights<Registry> = [['KIPP', 70], ['INOLAN', 30]];
const REGISTRIES_2018: Weights<Registry> = [['KIPP', 35], ['IGA', 50], ['INOLAN', 15]];
const REGISTRIES_2020: Weights<Registry> = [['KIPP', 25], ['IGA', 55], ['INOLAN', 10], ['JIPPNAS', 10]];
const REGISTRIES_2024: Weights<Registry> = [['KIPP', 5], ['IGA', 55], ['INOLAN', 10], ['JIPPNAS', 10]];

/** Sinovik/KIPP ran from 2014 (none in 2024), LAN's InoLAN from 2015, Kemendagri's IGA from 2018, JIPPNas from 2020. */
export function registryFor(rng: Random, launchYear: number): Registry {
  if (launchYear < 2015) return 'KIPP';
  if (launchYear < 2018) return rng.weighted(REGISTRIES_2015);
  if (launchYear < 2020) return rng.weighted(REGISTRIES_2018);
  return rng.weighted(launchYear === 2024 ? REGISTRIES_2024 : REGISTRIES_2020);
}

const STAGE_BY_AGE: readonly Weights<InnovationStage>[] = [
  [['INISIATIF', 40], ['UJI_COBA', 40], ['PENERAPAN', 20]],
  [['INISIATIF', 15], ['UJI_COBA', 35], ['PENERAPAN', 50]],
  [['INISIATIF', 3], ['UJI_COBA', 12], ['PENERAPAN', 85]],
];

export function innovationStage(rng: Random, launchYear: number): InnovationStage {
  return rng.weighted(STAGE_BY_AGE[Math.min(LAST_YEAR - launchYear, STAGE_BY_AGE.length - 1)]);
}

/** Digital innovations grow from under half to most of the new ones. */
export function isDigitalFor(rng: Random, launchYear: number): boolean {
  return rng.chance(Math.min(0.9, 0.42 + 0.04 * (launchYear - 2014)));
}

export function sustainabilityFor(rng: Random, launchYear: number): Sustainability {
  return rng.chance(Math.min(0.25, 0.025 * (LAST_YEAR - launchYear))) ? 'STOPPED' : 'CONTINUING';
}

const STATUS_BY_AGE: readonly Weights<ReplicationStatus>[] = [
  [['PROPOSED', 50], ['COMMITTED', 35], ['IMPLEMENTED', 15]],
  [['PROPOSED', 20], ['COMMITTED', 35], ['IMPLEMENTED', 40], ['DISCONTINUED', 5]],
  [['PROPOSED', 6], ['COMMITTED', 16], ['IMPLEMENTED', 55], ['INSTITUTIONALIZED', 14], ['DISCONTINUED', 9]],
  [['PROPOSED', 4], ['COMMITTED', 10], ['IMPLEMENTED', 52], ['INSTITUTIONALIZED', 22], ['DISCONTINUED', 12]],
  [['PROPOSED', 2], ['COMMITTED', 5], ['IMPLEMENTED', 45], ['INSTITUTIONALIZED', 33], ['DISCONTINUED', 15]],
];

/** Older replications have had time to be implemented, institutionalised or dropped. */
export function replicationStatus(rng: Random, kind: ReplicationKind, year: number): ReplicationStatus {
  const age = Math.min(LAST_YEAR - year, STATUS_BY_AGE.length - 1);
  const status = rng.weighted(STATUS_BY_AGE[age]);
  // Dissemination spreads knowledge; it is rarely written into a regulation.
  return kind === 'DISSEMINATION' && status === 'INSTITUTIONALIZED' ? 'IMPLEMENTED' : status;
}

/** Years from commitment to implementation. */
const IMPLEMENTATION_LAG: Weights<number> = [[0, 50], [1, 35], [2, 15]];

export interface ReplicationDates {
  implementationYear: number | null;
  committedOn: string | null;
  implementedOn: string | null;
}

export function replicationDates(rng: Random, status: ReplicationStatus, year: number): ReplicationDates {
  if (status === 'PROPOSED') return { implementationYear: null, committedOn: null, implementedOn: null };
  const committedMonth = rng.int(1, 9);
  const committedOn = isoDate(year, committedMonth, rng.int(1, 28));
  // Some replications are dropped before they are ever implemented.
  const implemented = status === 'IMPLEMENTED' || status === 'INSTITUTIONALIZED' || (status === 'DISCONTINUED' && rng.chance(0.7));
  if (!implemented) return { implementationYear: null, committedOn, implementedOn: null };
  const lag = rng.weighted(IMPLEMENTATION_LAG);
  const implementationYear = Math.min(LAST_YEAR, year + lag);
  const month = implementationYear === year ? rng.int(committedMonth + 1, 12) : rng.int(1, 12);
  return { implementationYear, committedOn, implementedOn: isoDate(implementationYear, month, rng.int(1, 28)) };
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
