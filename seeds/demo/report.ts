// What the seed command prints when it is done: rows and rows per second per table, for humans.
import type { DemoSeedResult } from './demo.seeder';

const number = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (rows: number, ms: number) => (ms > 0 ? number(Math.round((rows * 1000) / ms)) : '-');

export function printDemoSummary(result: DemoSeedResult, out: (line: string) => void = console.log): void {
  if (result.outcome === 'unchanged') {
    out(`DEMO network: scale ${result.scale}, seed ${result.seed} is already loaded; nothing to do`);
    return;
  }
  const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
  const loadMs = result.tables.reduce((sum, t) => sum + t.ms, 0);
  const line = (name: string, n: string, ms: string, perSecond: string) =>
    `  ${name.padEnd(14)}${n.padStart(12)}${ms.padStart(11)}${perSecond.padStart(14)}`;
  out(`DEMO network loaded: scale ${result.scale}, seed ${result.seed}`);
  out(line('table', 'rows', 'time', 'rows/s'));
  out(line('(generation)', '', seconds(result.generateMs), ''));
  for (const t of result.tables) out(line(t.table, number(t.rows), seconds(t.ms), rate(t.rows, t.ms)));
  out(line('total load', number(rows), seconds(loadMs), rate(rows, loadMs)));
  out(`  generation + load: ${seconds(result.generateMs + loadMs)}`);
  out('Remove it with: npm run seed -- --remove-demo');
}

export function printRemoval(removed: Record<string, number>, out: (line: string) => void = console.log): void {
  const total = Object.values(removed).reduce((a, b) => a + b, 0);
  const tables = Object.entries(removed).filter(([, n]) => n > 0);
  out(total ? `DEMO network removed: ${tables.map(([t, n]) => `${t} ${number(n)}`).join(', ')}` : 'DEMO network: none loaded; nothing to remove');
}
