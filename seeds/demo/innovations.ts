// The DEMO innovations: originals born where people live, and local versions that adopters make of
// them. Each carries a fitness (how attractive it is to adopt) that the diffusion draws on.
import type { InstitutionDirectory } from './institutions';
import { innovationStage, isDigitalFor, registryFor, sustainabilityFor } from './lifecycle';
import type { DemoInnovation } from './model';
import type { Random } from './random';
import { provinceLabel, regencyLabel, type RegionSampler } from './regions';
import { FIRST_YEAR } from './scale';
import { demoSummary, demoTitle, inventConcept, type Concept } from './titles';
import type { WorldRegency } from './world';

/** Share of originals owned by a provincial government or agency rather than a regency. */
const PROVINCE_LEVEL = 0.08;
/** New innovations per year, relative: KIPP grew from 515 entries (2014) to ~3,000, IGA added more from 2018. */
const LAUNCHES_BY_YEAR = [0.45, 0.6, 0.75, 0.85, 0.95, 1.05, 1.15, 1.25, 1.3, 1.35, 1.35, 1.2];
/** Pareto shape of fitness: a few innovations are adopted everywhere, most nowhere. */
const FITNESS_ALPHA = 1.15;
const FITNESS_CAP = 150;

const LAUNCH_YEAR_CHOICES = LAUNCHES_BY_YEAR.map((weight, offset) => [offset, weight] as const);

interface Place {
  label: string;
  provinceCode: string;
  regencyCode: string | null;
}

interface Draft {
  concept: Concept;
  place: Place;
  owner: number;
  launchYear: number;
  isDigital: boolean;
  generation: number;
  fitness: number;
}

export class InnovationCatalogue {
  readonly rows: DemoInnovation[] = [];
  readonly fitness: number[] = [];
  /** 0 for an original, n for the local version of a generation n-1 innovation. */
  readonly generation: number[] = [];
  private readonly concepts: Concept[] = [];
  private readonly places = new Map<string, Place>();

  constructor(
    private readonly rng: Random,
    private readonly regions: RegionSampler,
    private readonly directory: InstitutionDirectory,
    private readonly seed: number,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  addOriginal(): number {
    const rng = this.rng;
    const launchYear = FIRST_YEAR + rng.weighted(LAUNCH_YEAR_CHOICES);
    const isDigital = isDigitalFor(rng, launchYear);
    const concept = inventConcept(rng, isDigital);
    const fitness = Math.min(FITNESS_CAP, rng.pareto(FITNESS_ALPHA));
    let owner: number;
    let place: Place;
    if (rng.chance(PROVINCE_LEVEL)) {
      const province = this.regions.originProvince();
      owner = rng.pick(this.directory.provincialOwners.get(province.code)!);
      place = { label: `Provinsi ${provinceLabel(province)}`, provinceCode: province.code, regencyCode: null };
    } else {
      const regency = this.regions.originRegency();
      owner = this.directory.regencyGovernment.get(regency.code)!;
      place = this.regencyPlace(regency);
    }
    return this.add({ concept, place, owner, launchYear, isDigital, generation: 0, fitness });
  }

  /** The adopter's own version of `parent`: same idea, new owner and region, less attractive than its model. */
  addLocalVersion(parent: number, regency: WorldRegency, launchYear: number): number {
    return this.add({
      concept: this.concepts[parent],
      place: this.regencyPlace(regency),
      owner: this.directory.regencyGovernment.get(regency.code)!,
      launchYear,
      isDigital: this.rows[parent].isDigital || isDigitalFor(this.rng, launchYear),
      generation: this.generation[parent] + 1,
      fitness: this.fitness[parent] * this.rng.between(0.2, 0.8),
    });
  }

  /** Labels are cached: title-casing a regency name for each of 400,000 innovations shows in a profile. */
  private regencyPlace(regency: WorldRegency): Place {
    let place = this.places.get(regency.code);
    if (!place) {
      place = { label: regencyLabel(regency), provinceCode: regency.provinceCode, regencyCode: regency.code };
      this.places.set(regency.code, place);
    }
    return place;
  }

  private add(draft: Draft): number {
    const rng = this.rng;
    const index = this.rows.length;
    const registry = registryFor(rng, draft.launchYear);
    this.rows.push({
      title: demoTitle(draft.concept, draft.place.label, draft.generation > 0),
      summary: demoSummary(draft.concept, draft.place.label, this.seed, draft.generation),
      owner: draft.owner,
      provinceCode: draft.place.provinceCode,
      regencyCode: draft.place.regencyCode,
      launchYear: draft.launchYear,
      registry,
      // The DEMO- prefix keeps synthetic ids out of the way of real registry ids imported later.
      externalId: `DEMO-${registry}-${String(index + 1).padStart(7, '0')}`,
      stage: innovationStage(rng, draft.launchYear),
      isDigital: draft.isDigital,
      category: draft.concept.category,
      sustainability: sustainabilityFor(rng, draft.launchYear),
    });
    this.fitness.push(draft.fitness);
    this.generation.push(draft.generation);
    this.concepts.push(draft.concept);
    return index;
  }
}
