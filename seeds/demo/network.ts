// Generates a whole DEMO network in memory from the reference world, a scale and a seed: a pure
// function, so the same inputs always give the same rows.
import { awardLocalVersions, awardOriginals } from './awards';
import { simulateDiffusion } from './diffusion';
import { InnovationCatalogue } from './innovations';
import { buildInstitutions } from './institutions';
import type { DemoNetwork } from './model';
import { Random } from './random';
import { RegionSampler } from './regions';
import { DEMO_SCALES, type DemoScaleName } from './scale';
import { HubCalendar, type DemoWorld } from './world';

/** Share of the innovations that are adopters' local versions of another innovation. */
const LOCAL_VERSION_SHARE = 0.1;

export function generateDemoNetwork(world: DemoWorld, scale: DemoScaleName, seed: number): DemoNetwork {
  const size = DEMO_SCALES[scale];
  const rng = new Random(seed);
  const hubs = new HubCalendar(world);
  const regions = new RegionSampler(world, hubs, rng);
  const directory = buildInstitutions(world);
  const catalogue = new InnovationCatalogue(rng, regions, directory, seed);

  const localVersions = Math.round(size.innovations * LOCAL_VERSION_SHARE);
  for (let i = localVersions; i < size.innovations; i++) catalogue.addOriginal();
  const awards = awardOriginals(rng, catalogue);
  const replications = simulateDiffusion({ rng, regions, hubs, catalogue, directory }, size.replications, localVersions);
  // Local versions the diffusion did not make become originals that nobody adopted: most innovations are.
  while (catalogue.size < size.innovations) catalogue.addOriginal();
  awards.push(...awardLocalVersions(rng, catalogue));

  return { scale, seed, institutions: directory.institutions, innovations: catalogue.rows, awards, replications };
}
