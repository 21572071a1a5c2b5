// The official province and regency list (Kemendagri codes) from the idn-area-data package's CSV files.
import fs from 'node:fs';
import path from 'node:path';

export interface RegionRow {
  code: string;
  name: string;
  provinceCode?: string;
}

function dataDir(): string {
  return path.join(path.dirname(require.resolve('idn-area-data/package.json')), 'data');
}

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(dataDir(), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function readCsv(file: string): string[][] {
  const text = fs.readFileSync(path.join(dataDir(), file), 'utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const width = header.split(',').length;
  return lines.map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== width) throw new Error(`${file} line ${i + 2}: expected ${width} columns, got ${cells.length}`);
    return cells.map((c) => c.trim());
  });
}

export function readProvinces(): RegionRow[] {
  return readCsv('provinces.csv').map(([code, name]) => ({ code, name }));
}

export function readRegencies(): Required<RegionRow>[] {
  return readCsv('regencies.csv').map(([code, provinceCode, name]) => ({ code, provinceCode, name }));
}

/** "KABUPATEN BANGKA BARAT" -> "Kabupaten Bangka Barat", for names written in running text. */
export function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}
