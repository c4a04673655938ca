// Shared by check.mjs and guide.mjs: the browser, the viewports, failure reporting
// and a static server that answers as a plain static host does.

import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.LOCKGEN_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const VIEWPORTS = [{ width: 375, height: 800 }, { width: 1280, height: 900 }];

export const failures = [];
export function fail(where, what) {
  failures.push(`${where}: ${what}`);
  console.log(`FAIL ${where}: ${what}`);
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}
// ---- static server -------------------------------------------------------

export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.ico': 'image/x-icon', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json', '.pdf': 'application/pdf',
};

// What a plain static host does: `/x/` is `/x/index.html`, `/x` (a folder) redirects
// to `/x/`, anything else missing is 404.html with status 404.
export function resolve(root, urlPath) {
  let rel;
  try { rel = decodeURIComponent(urlPath.split('?')[0].split('#')[0]); } catch { return { status: 400 }; }
  const file = path.join(root, path.normalize(rel));
  if (!file.startsWith(root)) return { status: 403 };
  let stat = null;
  try { stat = fs.statSync(file); } catch { /* missing */ }
  if (stat && stat.isDirectory()) {
    if (!rel.endsWith('/')) return { status: 301, location: `${rel}/` };
    const index = path.join(file, 'index.html');
    if (fs.existsSync(index)) return { status: 200, file: index };
  } else if (stat && stat.isFile()) {
    return { status: 200, file };
  }
  const notFound = path.join(root, '404.html');
  return { status: 404, file: fs.existsSync(notFound) ? notFound : null };
}

export function serve(root) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    const r = resolve(root, req.url);
    if (r.location) { res.writeHead(r.status, { location: r.location }); res.end(); return; }
    if (!r.file) { res.writeHead(r.status, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    res.writeHead(r.status, { 'content-type': TYPES[path.extname(r.file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(r.file));
  });
  return new Promise((ok, err) => {
    server.on('error', err);
    server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}
