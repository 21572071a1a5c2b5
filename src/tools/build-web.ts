// Builds the browser pages (npm run build, so npm start and npm test build them too): the GraphiQL
// explorer and the /explore dashboard, bundled with esbuild from npm packages into dist/web, so the API
// serves them with no CDN and no network access.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { build, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT, WEB_BUILD_DIR, WEB_SOURCE_DIR } from '../http/web-paths';

const ASSETS = path.join(WEB_BUILD_DIR, 'assets');

const common: BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** A page: its HTML shell, which loads only its own bundle from /assets. */
function page(title: string, entry: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/${entry}.css">
</head><body>${body}<script type="module" src="/assets/${entry}.js"></script></body></html>
`;
}

/**
 * What the build depends on: the pages' sources, the installed packages and this script. Every command
 * (npm start, seed, keys) runs the build; an unchanged input skips it, so they start at once.
 */
function inputsHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(file).update(fs.readFileSync(file));
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else add(full);
    }
  };
  walk(WEB_SOURCE_DIR);
  add(path.join(PROJECT_ROOT, 'package-lock.json'));
  add(__filename);
  return hash.digest('hex');
}

const STAMP = path.join(WEB_BUILD_DIR, 'build-inputs.sha256');

async function main(): Promise<void> {
  const started = Date.now();
  const inputs = inputsHash();
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === inputs) return;
  fs.rmSync(WEB_BUILD_DIR, { recursive: true, force: true });
  fs.mkdirSync(ASSETS, { recursive: true });
  const source = (...parts: string[]) => path.join(WEB_SOURCE_DIR, ...parts);
  const monacoWorkers = {
    'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
    'json.worker': require.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
    'graphql.worker': require.resolve('monaco-graphql/esm/graphql.worker.js'),
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { explorer: source('explorer', 'main.tsx'), explore: source('explore', 'main.ts') },
      outdir: ASSETS,
      format: 'esm',
      splitting: false,
      jsx: 'automatic',
      // Monaco's icon font, loaded by its stylesheet.
      loader: { '.ttf': 'file' },
      assetNames: '[name]',
    }),
    // Classic workers (new Worker(url) without type: module) for every browser Monaco supports.
    build({ ...common, entryPoints: monacoWorkers, outdir: ASSETS, format: 'iife' }),
  ]);
  if (!fs.existsSync(path.join(ASSETS, 'explore.css'))) fs.writeFileSync(path.join(ASSETS, 'explore.css'), '');
  fs.writeFileSync(path.join(WEB_BUILD_DIR, 'explorer.html'), page('JIPP hub graph API: explorer', 'explorer', '<div id="graphiql"></div>'));
  fs.writeFileSync(
    path.join(WEB_BUILD_DIR, 'explore.html'),
    page('JIPP network explorer', 'explore', '<main id="explore" aria-busy="true"><p class="loading">Loading the network…</p></main>'),
  );
  fs.writeFileSync(STAMP, inputs);
  console.log(`built the browser pages into ${path.relative(process.cwd(), WEB_BUILD_DIR) || WEB_BUILD_DIR} in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
