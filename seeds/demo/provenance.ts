// How every DEMO row is tagged, and how a loaded network is recognised again (its seed and scale).
import { isDemoScaleName, type DemoScaleName } from './scale';

export const DEMO_DATASET = 'DEMO';
export const DEMO_CONFIDENCE = 'UNCONFIRMED';

export function demoSources(seed: number): string[] {
  return [`synthetic: demo generator seed=${seed}`];
}

/** Kept on DEMO institutions only (a few hundred rows) so a loaded network can tell its scale. */
export function demoInstitutionNote(scale: DemoScaleName, seed: number): string {
  return `Synthetic institution of the DEMO network (demo generator, scale=${scale}, seed=${seed}). Not a real record.`;
}

export function parseDemoInstitutionNote(note: string | null): { scale: DemoScaleName; seed: number } | null {
  const match = /scale=(\w+), seed=(\d+)/.exec(note ?? '');
  if (!match || !isDemoScaleName(match[1])) return null;
  return { scale: match[1], seed: Number(match[2]) };
}
