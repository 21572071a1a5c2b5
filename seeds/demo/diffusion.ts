// The diffusion: year by year, adopters pick innovations in proportion to their fitness (so adoptions
// per innovation follow a power law), mostly near home, more often where a hub is active; some adopters
// build a local version that is then adopted in turn, which grows diffusion trees several generations deep.
import type { InstitutionDirectory } from './institutions';
import type { InnovationCatalogue } from './innovations';
import { replicationDates, replicationStatus } from './lifecycle';
import type { AdopterScope, DemoReplication, ReplicationKind } from './model';
import type { Random } from './random';
import type { RegionSampler } from './regions';
import { FenwickSampler } from './samplers';
import { FIRST_YEAR, LAST_YEAR } from './scale';
import type { HubCalendar } from './world';

/** Replications per year, relative: few before the hub network (2020), growing since. */
const REPLICATIONS_BY_YEAR = [0.2, 0.35, 0.5, 0.65, 0.8, 1.0, 1.2, 1.45, 1.65, 1.85, 2.0, 2.1];
/** Attractiveness by age in years: adopted most in the first years after launch, less as it gets old. */
const AGE_FACTOR = [0.6, 1.0, 1.0, 0.85, 0.7, 0.55, 0.45, 0.4, 0.35, 0.3];
/** Attractiveness of innovations from a province without an active hub, relative to one with. */
const WITHOUT_HUB = 0.5;
/** Local versions of the fourth generation are adopted but not re-versioned: trees stay 3-5 deep. */
const MAX_GENERATION = 4;

/** Kinds of adoption by another province's government, and by a regency. */
const PROVINCE_KINDS: readonly (readonly [ReplicationKind, number])[] = [['REPLICATION', 70], ['DISSEMINATION', 30]];
const REGENCY_KINDS: readonly (readonly [ReplicationKind, number])[] = [['REPLICATION', 72], ['DISSEMINATION', 24], ['SCALING_UP', 4]];

export interface DiffusionContext {
  rng: Random;
  regions: RegionSampler;
  hubs: HubCalendar;
  catalogue: InnovationCatalogue;
  directory: InstitutionDirectory;
}

interface Adopter {
  scope: AdopterScope;
  provinceCode: string | null;
  regencyCode: string | null;
  institution: number | null;
  kind: ReplicationKind;
}

export function simulateDiffusion(context: DiffusionContext, replications: number, localVersions: number): DemoReplication[] {
  return new Diffusion(context, replications, localVersions).run();
}

class Diffusion {
  private readonly sampler: FenwickSampler;
  private readonly taken = new Set<number>();
  private readonly slots = new Map<string, number>();
  private readonly nationalThreshold: number;
  private localVersionsLeft: number;
  private processed = 0;
  private eligible = 0;

  constructor(
    private readonly context: DiffusionContext,
    private readonly total: number,
    localVersions: number,
  ) {
    const { catalogue, regions } = context;
    this.sampler = new FenwickSampler(catalogue.size + localVersions);
    this.localVersionsLeft = localVersions;
    // Only the most attractive 1% are ever scaled up nationally.
    const sorted = [...catalogue.fitness].sort((a, b) => a - b);
    this.nationalThreshold = sorted[Math.floor(sorted.length * 0.99)] ?? Infinity;
    // Each adopter gets a small number so "innovation x adopted by y" fits in one Set<number> key.
    regions.regencies.forEach((r, i) => this.slots.set(r.code, i));
    regions.provinces.forEach((p, i) => {
      this.slots.set(`P${p.code}`, 600 + i);
      this.slots.set(`W${p.code}`, 700 + i);
    });
    this.slots.set('NATIONAL', 800);
  }

  run(): DemoReplication[] {
    const out: DemoReplication[] = [];
    const perYear = apportion(this.total, REPLICATIONS_BY_YEAR);
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      this.sampler.rebuild((i) => this.weight(i, year));
      for (let n = perYear[year - FIRST_YEAR]; n > 0; n--) {
        const replication = this.draw(year);
        out.push(replication);
        this.maybeLocalVersion(replication, year);
      }
    }
    return out;
  }

  /** Hubs spread their region's innovations: the hub factor is part of the weight, redone every year. */
  private weight(index: number, year: number): number {
    const { catalogue, hubs } = this.context;
    if (index >= catalogue.size) return 0;
    const innovation = catalogue.rows[index];
    const age = year - innovation.launchYear;
    if (age < 0) return 0;
    const hub = hubs.activeHub(innovation.provinceCode, year) ? 1 : WITHOUT_HUB;
    return catalogue.fitness[index] * AGE_FACTOR[Math.min(age, AGE_FACTOR.length - 1)] * hub;
  }

  private draw(year: number): DemoReplication {
    const { rng } = this.context;
    for (let attempt = 0; attempt < 100_000; attempt++) {
      const source = this.sampler.sample(rng);
      if (source < 0) break;
      const adopter = this.adopter(source, year);
      if (adopter) return this.complete(source, adopter, year);
    }
    throw new Error(`The demo generator found no innovation left to replicate in ${year}`);
  }

  /** Where the innovation goes, or null when that adopter already has it. */
  private adopter(source: number, year: number): Adopter | null {
    const { rng, regions, catalogue, directory } = this.context;
    const from = catalogue.rows[source];
    let adopter: Adopter;
    let slot: string;
    const u = rng.next();
    if (catalogue.fitness[source] >= this.nationalThreshold && rng.chance(0.04)) {
      adopter = { scope: 'NATIONAL', provinceCode: null, regencyCode: null, institution: null, kind: 'SCALING_UP' };
      slot = 'NATIONAL';
    } else if (u < 0.03) {
      // A province-wide commitment: at home it widens the innovation, elsewhere it replicates it.
      const province = regions.adopterProvince(from.provinceCode, year, 0.6);
      const kind = province === from.provinceCode ? 'SCALING_UP' : 'REPLICATION';
      adopter = { scope: 'PROVINCE_WIDE', provinceCode: province, regencyCode: null, institution: null, kind };
      slot = `W${province}`;
    } else if (u < 0.08) {
      const province = regions.adopterProvince(from.provinceCode, year, 0.5);
      const kind: ReplicationKind =
        province === from.provinceCode ? 'SCALING_UP' : rng.weighted(PROVINCE_KINDS);
      const institution = directory.provinceGovernment.get(province)!;
      adopter = { scope: 'PROVINCE', provinceCode: province, regencyCode: null, institution, kind };
      slot = `P${province}`;
    } else {
      const regency = regions.adopterRegency(from.provinceCode, from.regencyCode, year);
      const kind = rng.weighted(REGENCY_KINDS);
      const institution = directory.regencyGovernment.get(regency.code)!;
      adopter = { scope: 'REGENCY', provinceCode: regency.provinceCode, regencyCode: regency.code, institution, kind };
      slot = regency.code;
    }
    const key = source * 1024 + this.slots.get(slot)!;
    if (this.taken.has(key)) return null;
    this.taken.add(key);
    return adopter;
  }

  private complete(source: number, adopter: Adopter, year: number): DemoReplication {
    const { rng, hubs, catalogue } = this.context;
    const status = replicationStatus(rng, adopter.kind, year);
    // The adopter's hub facilitates most adoptions in its province; the source's hub some of the rest.
    const adopterHub = hubs.activeHub(adopter.provinceCode, year);
    const sourceHub = hubs.activeHub(catalogue.rows[source].provinceCode, year);
    const hub = adopterHub && rng.chance(0.8) ? adopterHub : sourceHub && rng.chance(0.3) ? sourceHub : null;
    const programme = hub && rng.chance(0.5) ? hubs.programme(hub.provinceCode, year) : null;
    return {
      source,
      scope: adopter.scope,
      adopterProvinceCode: adopter.provinceCode,
      adopterRegencyCode: adopter.regencyCode,
      adopterInstitution: adopter.institution,
      kind: adopter.kind,
      status,
      year,
      ...replicationDates(rng, status, year),
      facilitatingHubId: hub?.id ?? null,
      mentoringProgrammeId: programme,
      adoptedAs: null,
    };
  }

  /** Spends the local-version budget evenly over the replications that can make one. */
  private maybeLocalVersion(replication: DemoReplication, year: number): void {
    const { rng, catalogue, regions } = this.context;
    this.processed++;
    const implemented = replication.status === 'IMPLEMENTED' || replication.status === 'INSTITUTIONALIZED';
    if (replication.scope !== 'REGENCY' || replication.kind !== 'REPLICATION' || !implemented) return;
    if (catalogue.generation[replication.source] >= MAX_GENERATION) return;
    this.eligible++;
    if (this.localVersionsLeft <= 0) return;
    const expected = ((this.total - this.processed) * this.eligible) / this.processed + 1;
    if (!rng.chance(this.localVersionsLeft / expected)) return;
    const regency = regions.regencyByCode(replication.adopterRegencyCode!);
    const launchYear = replication.implementationYear ?? year;
    const index = catalogue.addLocalVersion(replication.source, regency, launchYear);
    replication.adoptedAs = index;
    this.localVersionsLeft--;
    if (launchYear <= year) this.sampler.set(index, this.weight(index, year));
  }
}

/** Splits `total` over the weights in whole numbers that add up exactly (largest remainders). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k][1]]++;
  return counts;
}
