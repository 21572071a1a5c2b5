// Serves the built browser pages (dist/web, made by npm run build): the explorer, /explore and their
// assets, from memory, gzipped once, revalidated by ETag. The pages load nothing from elsewhere, and their
// Content-Security-Policy says so to the browser too.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_BUILD_DIR } from './web-paths';

interface Asset {
  body: Buffer;
  gzipped: Buffer | null;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Pages may run their own scripts and workers and talk to this API only; Monaco sets inline styles. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

export type PageName = 'explorer' | 'explore';

export class WebAssets {
  private loaded: Map<string, Asset> | null = null;

  constructor(private readonly dir = WEB_BUILD_DIR) {}

  /** The files of the build, read on first use (a server that never serves a page never reads them). */
  private files(): Map<string, Asset> {
    if (this.loaded) return this.loaded;
    const files = new Map<string, Asset>();
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else {
          const body = fs.readFileSync(full);
          const type = TYPES[path.extname(entry.name)] ?? 'application/octet-stream';
          const gzipped = type.startsWith('font/') ? null : gzipSync(body);
          const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
          files.set(`/${path.relative(this.dir, full).split(path.sep).join('/')}`, { body, gzipped, type, etag });
        }
      }
    };
    walk(this.dir);
    // A build that failed or never ran is not kept: the next request looks again.
    if (files.size) this.loaded = files;
    return files;
  }

  /** Sends a page; 503 with a coded message when the pages were not built. */
  page(name: PageName, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.send(`/${name}.html`, req, res, { 'content-security-policy': PAGE_POLICY, 'x-content-type-options': 'nosniff' });
  }

  /** Sends /assets/<file>; false when there is no such file (the caller answers 404). */
  asset(pathname: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (!this.files().has(pathname)) return false;
    this.send(pathname, req, res, { 'x-content-type-options': 'nosniff' });
    return true;
  }

  private send(key: string, req: http.IncomingMessage, res: http.ServerResponse, extra: Record<string, string>): void {
    const asset = this.files().get(key);
    if (!asset) {
      const text = JSON.stringify({
        errors: [{ message: 'The browser pages are not built: run npm run build (npm start does).', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    // Pages and assets keep their names across builds: a browser revalidates them (a 304 is cheap).
    const headers: Record<string, string> = { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache', vary: 'Accept-Encoding', ...extra };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = asset.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped! : asset.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
