#!/usr/bin/env node
/**
 * Builds dist/public, the static assets the worker serves next to the API (wrangler.toml [assets]):
 *   - the element bundle, by component/build.mjs when it exists (dist/public/digit-recognizer.js + chunks);
 *   - the model under /model/ (scripts/model-files.mjs): model-<hash>.json and weights-<hash>.bin,
 *     which the element built with them finds beside its script (served immutable: demo/_headers),
 *     and the same as model.json and weights.bin for `model-url`;
 *   - the demo pages (demo/*), with demo/index.html as the home page, and the framework examples'
 *     bundles (demo/build.mjs).
 * Idempotent and quick to repeat: unchanged files are not rewritten, and the element's own output is
 * left alone.
 * `--no-component` skips the bundles (the element and the framework examples): the worker's tests
 * need only the pages and the model.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel, writeModel } from './model-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/public');
const bundles = !process.argv.includes('--no-component');
const started = performance.now();

function run(script) {
  const result = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Mirrors `from` into `to`: copies files that are new or changed (size or modification time), skips
 * names in `skip`, and with `prune` removes what `from` no longer has. Unchanged files are not
 * rewritten, so a server or test reading dist/public during another build never sees a file half-written.
 */
async function mirror(from, to, { prune = false, skip = new Set() } = {}) {
  await mkdir(to, { recursive: true });
  const entries = (await readdir(from, { withFileTypes: true })).filter((e) => !skip.has(e.name));
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mirror(source, target, { prune });
      continue;
    }
    const [a, b] = await Promise.all([stat(source), stat(target).catch(() => null)]);
    if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
    await copyFile(source, target);
  }
  if (prune) {
    const names = new Set(entries.map((e) => e.name));
    for (const name of await readdir(to)) if (!names.has(name)) await rm(path.join(to, name), { recursive: true, force: true });
  }
}

await mkdir(out, { recursive: true });

const componentBuild = path.join(root, 'component/build.mjs');
if (bundles && existsSync(componentBuild)) run(componentBuild);
else if (bundles) console.warn('build: component/build.mjs not found; the page will load without the <digit-recognizer> bundle');

const artifacts = path.join(root, 'model/artifacts');
if (!existsSync(path.join(artifacts, 'model.json'))) {
  console.error('build: model/artifacts/model.json is missing; train the model first (npm run train)');
  process.exit(1);
}
// With the bundles, the element's build wrote the model it names (read once: training may rewrite
// the artifacts meanwhile, and a second copy could be another model). Without, it is written here.
if (!bundles || !existsSync(componentBuild)) await writeModel(await readModel(artifacts), path.join(out, 'model'));

// dist/public also holds the bundles, so nothing is pruned here. demo/build.mjs bundles the React
// and Vue examples from demo/src; sources and notes are not published.
const demo = path.join(root, 'demo');
await mirror(demo, out, { skip: new Set(['src', 'build.mjs', 'README.md']) });
const demoBuild = path.join(demo, 'build.mjs');
if (bundles && existsSync(demoBuild)) run(demoBuild);

console.log(`build: dist/public ready in ${Math.round(performance.now() - started)} ms`);
