#!/usr/bin/env node
/**
 * Builds dist/public, the static assets the worker serves next to the API (wrangler.toml [assets]):
 *   - the element bundle, by component/build.mjs when it exists (dist/public/digit-recognizer.js + chunks);
 *   - the model files (model/artifacts/*) under /model/, where the element loads them from;
 *   - the demo pages (demo/*), with demo/index.html as the home page.
 * Idempotent: it replaces what it copies and leaves the element's own output alone.
 * `--no-component` skips the element build (the worker's tests need only the page and the model).
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/public');
const started = performance.now();

await mkdir(out, { recursive: true });

const componentBuild = path.join(root, 'component/build.mjs');
if (process.argv.includes('--no-component')) {
  // Left as it is: a previous full build's bundle, or none.
} else if (existsSync(componentBuild)) {
  const run = spawnSync(process.execPath, [componentBuild], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
} else {
  console.warn('build: component/build.mjs not found; the page will load without the <digit-recognizer> bundle');
}

const artifacts = path.join(root, 'model/artifacts');
if (!existsSync(path.join(artifacts, 'model.json'))) {
  console.error('build: model/artifacts/model.json is missing; train the model first (npm run train)');
  process.exit(1);
}
// Fresh copy, so a renamed or removed weight file does not linger.
await rm(path.join(out, 'model'), { recursive: true, force: true });
await cp(artifacts, path.join(out, 'model'), { recursive: true });

const demo = path.join(root, 'demo');
for (const entry of await readdir(demo)) {
  await cp(path.join(demo, entry), path.join(out, entry), { recursive: true, force: true });
}

console.log(`build: dist/public ready in ${Math.round(performance.now() - started)} ms`);
