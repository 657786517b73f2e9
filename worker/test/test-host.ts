/**
 * A small HTTP server in the Node process that starts workerd (vitest's main process), for what the
 * tests inside workerd cannot do themselves:
 *
 * - `GET /fixtures/index.json`, `GET /fixtures/images.bin`: the generated image fixtures. Imported as
 *   modules, the 65 MB of images went through the pool's module fallback service for every test
 *   file (about 35 s each); fetched, they take a fraction of a second.
 * - `GET /files/NAME`: a committed test image from fixtures/files/ (made by its make.sh).
 * - `GET /memory`: the isolate's memory as the operating system sees it. Inside workerd,
 *   `process.memoryUsage()` and `node:v8` answer zeros, so this reads the resident set size of
 *   this process's workerd children from /proc. Linux only; elsewhere `rss` is null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR } from './fixtures/generate.js';

const FILES_DIR = fileURLToPath(new URL('./fixtures/files/', import.meta.url));

interface ProcessInfo {
  pid: number;
  parent: number;
  name: string;
}

function processes(): ProcessInfo[] {
  const list: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (name) state ppid ...": the name may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const parent = Number(stat.slice(close + 2).split(' ')[1]);
      list.push({ pid: Number(entry), parent, name });
    } catch {
      // The process ended while we looked.
    }
  }
  return list;
}

/** Total resident set size (bytes) of workerd processes started by this process or its children. */
export function workerdResidentBytes(): number | null {
  let all: ProcessInfo[];
  try {
    all = processes();
  } catch {
    return null;
  }
  const descendants = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (descendants.has(p.parent) && !descendants.has(p.pid)) {
        descendants.add(p.pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let found = false;
  for (const p of all) {
    if (!descendants.has(p.pid) || !p.name.startsWith('workerd')) continue;
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
    if (match) {
      total += Number(match[1]) * 1024;
      found = true;
    }
  }
  return found ? total : null;
}

const FIXTURE_FILES: Record<string, string> = {
  '/fixtures/index.json': 'application/json',
  '/fixtures/images.bin': 'application/octet-stream',
};

/** Starts the server on a free loopback port. */
export async function startTestHost(): Promise<{ url: string; server: Server }> {
  const server = createServer(
    (request, response) =>
      void (async () => {
        // No keep-alive: Node closes an idle connection after 5 s, and workerd would send the next
        // question down the closed one ("Network connection lost").
        response.setHeader('connection', 'close');
        const pathname = new URL(request.url ?? '/', 'http://host').pathname;
        const type = FIXTURE_FILES[pathname];
        if (pathname === '/memory') {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ rss: workerdResidentBytes(), platform: process.platform }));
        } else if (pathname.startsWith('/files/') && /^[\w.-]+\.(png|jpg)$/.test(path.basename(pathname))) {
          response.setHeader('content-type', 'application/octet-stream');
          try {
            response.end(await readFile(path.join(FILES_DIR, path.basename(pathname))));
          } catch {
            response.statusCode = 404;
            response.end();
          }
        } else if (type) {
          response.setHeader('content-type', type);
          response.end(await readFile(path.join(GENERATED_DIR, path.basename(pathname))));
        } else {
          response.statusCode = 404;
          response.end();
        }
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
