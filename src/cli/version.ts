// The version printed by `jipp --version`: the one in package.json, read where the code runs (src/ under
// ts-jest, dist/src/ once compiled), so it never differs from what npm installed.
import fs from 'node:fs';
import path from 'node:path';

export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'jipp-hub-graph-api' && parsed.version) return parsed.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}
