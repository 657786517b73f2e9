#!/usr/bin/env node
/**
 * The local server behind `npm start`: the worker exactly as `wrangler deploy` bundles it, with the
 * assets of dist/public, run in workerd by Miniflare, behind a small Node front door
 * (scripts/http-front.mjs) on http://127.0.0.1:8787.
 *
 * Why not `wrangler dev`: it puts a second workerd in front of ours (its ProxyWorker), forwarding
 * every request over pooled loopback connections that our workerd closes early while it decodes
 * photos (its keep-alive timer runs on a clock that stands still during long event-loop turns), so
 * under 50 concurrent photo uploads some came back as a text/plain `503 Your worker restarted
 * mid-request` although nothing restarted (workers-sdk#14641); and its dev bundle wraps the worker
 * in a middleware that drains unread request bodies before answering, so early answers (413 by
 * Content-Length, 404, 405) waited for the whole announced body. Figures: load-tests/RESULTS.md,
 * "The local server". The front door gives each request its own connection to workerd instead.
 *
 * Steps:
 *   1. bundle worker/ with `wrangler deploy --dry-run --outdir <temp folder>` (wrangler.toml's rules,
 *      minify, the model and the WebAssembly as modules; no account, no network);
 *   2. read wrangler.toml with wrangler's own `unstable_getMiniflareWorkerOptions` (the API
 *      @cloudflare/vitest-pool-workers uses): compatibility date, [vars] and .dev.vars, the assets
 *      binding and run_worker_first, the rate limiter binding when it is uncommented;
 *   3. run it with the Miniflare that wrangler itself depends on (the same workerd and asset router
 *      as `wrangler dev`) on a free loopback port, `Request.cf` from Miniflare's placeholder, through
 *      scripts/local-entry.mjs (which reads to its end a body the worker answered before it ended);
 *   4. open the front door on --ip/--port.
 * No file watching: a change takes a restart (`npm run build && npx wrangler dev` reloads on every
 * change, through its proxy).
 *
 *   node scripts/serve.mjs [--ip 127.0.0.1] [--port 8787] [--assets DIR] [--inspector-port PORT] [--quiet] [--max-uploads N]
 *
 * --assets serves another copy of dist/public (tests serve a snapshot that other runs cannot rebuild
 * under them); --inspector-port opens workerd's DevTools port; --quiet drops the per-request log line;
 * --max-uploads sets how many requests with a body the front door lets into workerd at once
 * (default 6, see scripts/http-front.mjs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFront } from './http-front.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    ip: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8787' },
    assets: { type: 'string' },
    'inspector-port': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'max-uploads': { type: 'string' },
  },
});
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not "${args.port}"`);
const assets = path.resolve(args.assets ?? path.join(root, 'dist/public'));
if (!existsSync(path.join(assets, 'index.html'))) fail(`${assets} has no index.html: run \`npm run build\` first (\`npm start\` does)`);

// wrangler's Miniflare, not a second copy: the same workerd and the same asset router as `wrangler dev`.
const wranglerRequire = createRequire(createRequire(import.meta.url).resolve('wrangler'));
const { unstable_getMiniflareWorkerOptions, unstable_readConfig } = wranglerRequire('wrangler');
const { Miniflare, Log, LogLevel } = wranglerRequire('miniflare');

function fail(message) {
  console.error(`serve: ${message}`);
  process.exit(1);
}

/**
 * The worker as `wrangler deploy` would upload it: index.js plus its module files, in `outdir`.
 * `--assets` points wrangler at the folder served, so a snapshot is all it reads.
 */
function bundle(outdir) {
  const started = Date.now();
  const wrangler = path.join(root, 'node_modules/wrangler/bin/wrangler.js');
  const run = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--assets', assets], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', WRANGLER_LOG_PATH: path.join(outdir, 'wrangler-logs') },
  });
  if (run.status !== 0) fail(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  console.log(`serve: bundled the worker as \`wrangler deploy\` does in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const outdir = mkdtempSync(path.join(os.tmpdir(), 'digit-recognizer-serve-'));
const removeOutdir = () => rmSync(outdir, { recursive: true, force: true });
process.once('exit', removeOutdir);
bundle(outdir);

const configPath = path.join(root, 'wrangler.toml');
const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
// The entry: our worker, plus reading a body it did not read after its answer (scripts/local-entry.mjs).
copyFileSync(path.join(root, 'scripts/local-entry.mjs'), path.join(outdir, 'local-entry.mjs'));
if (workerOptions.assets) workerOptions.assets.directory = assets;
const inspectorPort = args['inspector-port'] === undefined ? undefined : Number(args['inspector-port']);

/** Miniflare's log, without its "Ready on" line: that names workerd's own port, not the front door's. */
class ServeLog extends Log {
  logReady() {}
}

const miniflare = new Miniflare({
  host: '127.0.0.1',
  port: 0, // workerd's own address: only the front door talks to it
  ...(inspectorPort === undefined ? {} : { inspectorPort }),
  log: new ServeLog(LogLevel.INFO),
  logRequests: !args.quiet,
  cf: false,
  workers: [
    {
      name: unstable_readConfig({ config: configPath }).name,
      ...workerOptions,
      modules: true,
      modulesRules: [{ type: 'ESModule', include: ['**/*.js', '**/*.mjs'] }, ...(workerOptions.modulesRules ?? [])],
      modulesRoot: outdir,
      scriptPath: path.join(outdir, 'local-entry.mjs'),
    },
  ],
});

/** @type {{ close(): Promise<void> } | undefined} */
let front;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await front?.close().catch(() => {});
  await miniflare.dispose().catch(() => {});
  removeOutdir();
  process.exit(code);
}
process.once('SIGINT', () => void stop(130));
process.once('SIGTERM', () => void stop(143));

try {
  const upstream = await miniflare.ready;
  const maxUploads = args['max-uploads'] === undefined ? undefined : Number(args['max-uploads']);
  front = await startFront({
    host: args.ip,
    port,
    upstream,
    ...(maxUploads ? { maxUploads } : {}),
    log: (line) => console.error(`serve: ${new Date().toISOString().slice(11, 23)} ${line}`),
  });
  console.log(
    `serve: ready on ${front.url.origin}: the demo and the API (workerd at ${upstream.host}, assets from ${assets.startsWith(root + path.sep) ? path.relative(root, assets) : assets}); Ctrl-C stops`,
  );
} catch (error) {
  console.error(`serve: could not start on ${args.ip}:${port}: ${error instanceof Error ? error.message : error}`);
  await stop(1);
}
