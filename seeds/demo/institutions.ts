// The DEMO institutions: one government per regency or city, and per province its government plus a few
// agencies that own province-level innovations. Every name ends in "(DEMO)", so none collides with a
// real institution and none can be mistaken for one.
import type { DemoInstitution } from './model';
import { provinceLabel, regencyLabel } from './regions';
import type { DemoWorld } from './world';

const PROVINCIAL_AGENCIES: readonly (readonly [string, DemoInstitution['kind']])[] = [
  ['Dinas Kesehatan Provinsi', 'REGIONAL_AGENCY'],
  ['Dinas Kependudukan dan Pencatatan Sipil Provinsi', 'REGIONAL_AGENCY'],
  ['RSUD Provinsi', 'HOSPITAL'],
];

export interface InstitutionDirectory {
  institutions: DemoInstitution[];
  /** Index of the government of each regency, by regency code. */
  regencyGovernment: Map<string, number>;
  /** Index of the government of each province, by province code. */
  provinceGovernment: Map<string, number>;
  /** Indexes of the government and agencies of each province: owners of province-level innovations. */
  provincialOwners: Map<string, number[]>;
}

export function buildInstitutions(world: DemoWorld): InstitutionDirectory {
  const institutions: DemoInstitution[] = [];
  const regencyGovernment = new Map<string, number>();
  const provinceGovernment = new Map<string, number>();
  const provincialOwners = new Map<string, number[]>();
  const add = (institution: DemoInstitution) => institutions.push(institution) - 1;

  for (const r of world.regencies) {
    regencyGovernment.set(
      r.code,
      add({
        name: `Pemerintah ${regencyLabel(r)} (DEMO)`,
        kind: r.kind === 'KOTA' ? 'CITY_GOVERNMENT' : 'REGENCY_GOVERNMENT',
        provinceCode: r.provinceCode,
        regencyCode: r.code,
      }),
    );
  }
  for (const p of world.provinces) {
    const label = provinceLabel(p);
    const government = add({ name: `Pemerintah Provinsi ${label} (DEMO)`, kind: 'PROVINCIAL_GOVERNMENT', provinceCode: p.code, regencyCode: null });
    provinceGovernment.set(p.code, government);
    const agencies = PROVINCIAL_AGENCIES.map(([prefix, kind]) =>
      add({ name: `${prefix} ${label} (DEMO)`, kind, provinceCode: p.code, regencyCode: null }),
    );
    provincialOwners.set(p.code, [government, ...agencies]);
  }
  return { institutions, regencyGovernment, provinceGovernment, provincialOwners };
}
