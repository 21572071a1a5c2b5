// Picks the regions of the DEMO network: where innovations are born (population-weighted) and where they
// are adopted (mostly the same province, then neighbours, then anywhere; hubs pull adoptions once active).
import { titleCase } from '../reference/regions';
import { isNeighbour, populationWeight, proximity } from './geography';
import type { Random } from './random';
import { CumulativeSampler } from './samplers';
import type { DemoWorld, HubCalendar, WorldProvince, WorldRegency } from './world';

/** Share of regency adoptions that stay in the source province, and that go to a neighbour. */
const SAME_PROVINCE = 0.55;
const NEIGHBOUR = 0.3;
/** How much more an active hub province attracts adoptions than it did before designation. */
const HUB_PULL = 2;

export class RegionSampler {
  readonly regencies: WorldRegency[];
  readonly provinces: WorldProvince[];
  private readonly regencyWeight = new Map<string, number>();
  private readonly regenciesOf = new Map<string, CumulativeSampler<WorldRegency>>();
  private readonly origins: CumulativeSampler<WorldRegency>;
  private readonly provinceOrigins: CumulativeSampler<WorldProvince>;
  private readonly yearly = new Map<string, CumulativeSampler<WorldProvince>>();
  private readonly byCode: Map<string, WorldRegency>;

  constructor(
    world: DemoWorld,
    private readonly hubs: HubCalendar,
    private readonly rng: Random,
  ) {
    this.provinces = world.provinces;
    this.regencies = world.regencies;
    this.byCode = new Map(world.regencies.map((r) => [r.code, r]));
    const perProvince = new Map<string, WorldRegency[]>();
    for (const r of world.regencies) perProvince.set(r.provinceCode, [...(perProvince.get(r.provinceCode) ?? []), r]);
    // A province's people spread over its regencies; cities innovate a little more; the jitter (from the
    // seed) keeps two regencies of one province from looking identical.
    for (const r of world.regencies) {
      const share = populationWeight(r.provinceCode) / (perProvince.get(r.provinceCode)?.length ?? 1);
      this.regencyWeight.set(r.code, share * (r.kind === 'KOTA' ? 1.3 : 1) * rng.between(0.5, 1.5));
    }
    for (const [code, list] of perProvince) this.regenciesOf.set(code, new CumulativeSampler(list, (r) => this.weightOf(r)));
    this.origins = new CumulativeSampler(world.regencies, (r) => this.weightOf(r));
    this.provinceOrigins = new CumulativeSampler(world.provinces, (p) => populationWeight(p.code));
  }

  regencyByCode(code: string): WorldRegency {
    const regency = this.byCode.get(code);
    if (!regency) throw new Error(`Unknown regency ${code}`);
    return regency;
  }

  originRegency(): WorldRegency {
    return this.origins.sample(this.rng);
  }

  originProvince(): WorldProvince {
    return this.provinceOrigins.sample(this.rng);
  }

  /** A regency other than the source's own, near the source province more often than not. */
  adopterRegency(sourceProvince: string, sourceRegency: string | null, year: number): WorldRegency {
    for (;;) {
      const province = this.adopterProvince(sourceProvince, year, SAME_PROVINCE);
      const regency = this.regenciesOf.get(province)!.sample(this.rng);
      if (regency.code !== sourceRegency) return regency;
    }
  }

  /** A province to adopt in: the source's own with probability `stayHome`, else a neighbour or anywhere. */
  adopterProvince(sourceProvince: string, year: number, stayHome: number): string {
    const u = this.rng.next();
    if (u < stayHome) return sourceProvince;
    const neighbours = (NEIGHBOUR / (1 - SAME_PROVINCE)) * (1 - stayHome);
    if (u < stayHome + neighbours) return this.sampler(`n:${sourceProvince}:${year}`, sourceProvince, year).sample(this.rng).code;
    return this.sampler(`any:${year}`, null, year).sample(this.rng).code;
  }

  private weightOf(regency: WorldRegency): number {
    return this.regencyWeight.get(regency.code) ?? 0;
  }

  private pull(provinceCode: string, year: number): number {
    return this.hubs.activeHub(provinceCode, year) ? HUB_PULL : 1;
  }

  /** Province samplers depend on the year (hubs become active), so they are built once per year. */
  private sampler(key: string, near: string | null, year: number): CumulativeSampler<WorldProvince> {
    let sampler = this.yearly.get(key);
    if (!sampler) {
      const candidates = near ? this.provinces.filter((p) => isNeighbour(near, p.code)) : this.provinces;
      sampler = new CumulativeSampler(candidates, (p) => {
        const base = populationWeight(p.code) * this.pull(p.code, year);
        return near ? base * proximity(near, p.code) : base;
      });
      this.yearly.set(key, sampler);
    }
    return sampler;
  }
}

const PROVINCE_LABELS: Readonly<Record<string, string>> = { '31': 'DKI Jakarta' };

/** "Kabupaten Gresik", "Kota Surabaya": a regency as written in running text. */
export function regencyLabel(regency: WorldRegency): string {
  return titleCase(regency.name);
}

export function provinceLabel(province: WorldProvince): string {
  return PROVINCE_LABELS[province.code] ?? titleCase(province.name);
}
