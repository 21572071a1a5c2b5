// The reference facts the DEMO network is built on: regions, hubs and mentoring programmes, read (never
// written) from the database, in a fixed order so the same seed gives the same network.
import type { ClientBase } from 'pg';

export interface WorldProvince {
  code: string;
  name: string;
}

export interface WorldRegency {
  code: string;
  provinceCode: string;
  name: string;
  kind: 'KABUPATEN' | 'KOTA';
}

export interface WorldHub {
  id: number;
  provinceCode: string;
  /** The year of Hub.activeFrom: designation, else commitment, else the cohort year. */
  activeYear: number;
  endedYear: number | null;
}

export interface WorldProgramme {
  id: number;
  provinceCode: string;
  year: number;
}

export interface DemoWorld {
  provinces: WorldProvince[];
  regencies: WorldRegency[];
  hubs: WorldHub[];
  programmes: WorldProgramme[];
}

export async function readDemoWorld(client: ClientBase): Promise<DemoWorld> {
  const provinces = await client.query<WorldProvince>(`select code, name from province order by code`);
  const regencies = await client.query<WorldRegency>(
    `select code, province_code as "provinceCode", name, kind from regency order by code`,
  );
  const hubs = await client.query<WorldHub>(
    `select id, province_code as "provinceCode",
            extract(year from coalesce(designated_on, committed_on, make_date(cohort_year, 1, 1)))::int as "activeYear",
            extract(year from ended_on)::int as "endedYear"
       from hub where province_code is not null and dataset = 'REFERENCE' order by province_code`,
  );
  const programmes = await client.query<WorldProgramme>(
    `select id, province_code as "provinceCode", year from mentoring_programme
      where dataset = 'REFERENCE' order by province_code, year, id`,
  );
  if (provinces.rowCount === 0 || regencies.rowCount === 0) {
    throw new Error('The database has no provinces or regencies: apply the reference seed (npm run seed) first.');
  }
  return { provinces: provinces.rows, regencies: regencies.rows, hubs: hubs.rows, programmes: programmes.rows };
}

/** Which hub is active where and when, and which mentoring programme ran there that year. */
export class HubCalendar {
  private readonly byProvince: Map<string, WorldHub>;
  private readonly programmes = new Map<string, number>();

  constructor(world: DemoWorld) {
    this.byProvince = new Map(world.hubs.map((h) => [h.provinceCode, h]));
    // The first programme of a province and year is the one a replication is linked to.
    for (const p of world.programmes) {
      const key = `${p.provinceCode}:${p.year}`;
      if (!this.programmes.has(key)) this.programmes.set(key, p.id);
    }
  }

  activeHub(provinceCode: string | null, year: number): WorldHub | null {
    if (provinceCode === null) return null;
    const hub = this.byProvince.get(provinceCode);
    if (!hub || year < hub.activeYear || (hub.endedYear !== null && year > hub.endedYear)) return null;
    return hub;
  }

  programme(provinceCode: string, year: number): number | null {
    return this.programmes.get(`${provinceCode}:${year}`) ?? null;
  }
}
