// Where Indonesians live and which provinces neighbour which: the weights that make the DEMO network
// Java and Sumatra heavy and keep most replication close to home.

/**
 * Population in millions (BPS census 2020, rounded; the six Papua provinces of 2022 split from the
 * 2020 figures), used as relative weights only.
 */
export const PROVINCE_POPULATION: Readonly<Record<string, number>> = {
  '11': 5.3, '12': 14.8, '13': 5.5, '14': 6.4, '15': 3.5, '16': 8.5, '17': 2.0, '18': 9.0, '19': 1.5, '21': 2.1,
  '31': 10.6, '32': 48.3, '33': 36.5, '34': 3.7, '35': 40.7, '36': 11.9,
  '51': 4.3, '52': 5.3, '53': 5.3,
  '61': 5.4, '62': 2.7, '63': 4.1, '64': 3.8, '65': 0.7,
  '71': 2.6, '72': 3.0, '73': 9.1, '74': 2.6, '75': 1.2, '76': 1.4,
  '81': 1.8, '82': 1.3,
  '91': 1.0, '92': 0.55, '93': 0.55, '94': 1.4, '95': 1.45, '96': 0.6,
};

export type IslandGroup = 'SUMATRA' | 'JAVA' | 'BALI_NUSA_TENGGARA' | 'KALIMANTAN' | 'SULAWESI' | 'MALUKU' | 'PAPUA';

/** Kemendagri province codes are numbered by island group, which is what makes them a proxy for distance. */
const GROUPS: readonly (readonly [IslandGroup, number, number])[] = [
  ['SUMATRA', 11, 21],
  ['JAVA', 31, 36],
  ['BALI_NUSA_TENGGARA', 51, 53],
  ['KALIMANTAN', 61, 65],
  ['SULAWESI', 71, 76],
  ['MALUKU', 81, 82],
  ['PAPUA', 91, 97],
];

export function islandGroup(provinceCode: string): IslandGroup {
  const code = Number(provinceCode);
  const group = GROUPS.find(([, from, to]) => code >= from && code <= to);
  if (!group) throw new Error(`Province code ${provinceCode} is in no island group`);
  return group[0];
}

/** Two different provinces of one island group: the neighbours most replication goes to. */
export function isNeighbour(a: string, b: string): boolean {
  return a !== b && islandGroup(a) === islandGroup(b);
}

/** Closer codes in a group are closer on the map (Lampung 18 borders Sumatera Selatan 16, not Aceh 11). */
export function proximity(a: string, b: string): number {
  return 1 / (1 + Math.abs(Number(a) - Number(b)));
}

export function populationWeight(provinceCode: string): number {
  return PROVINCE_POPULATION[provinceCode] ?? 1;
}
