#!/usr/bin/env node
/**
 * Builds the element (`npm run build:component`), two ways:
 *  1. dist/public/: the self-contained ES module digit-recognizer.js for
 *     <script type="module" src=".../digit-recognizer.js">, and beside it two files it finds
 *     relative to its own URL: TensorFlow.js (core, layers, webgl) in digit-recognizer-tfjs-<hash>.js,
 *     which the element imports only when it reads digits on the device, and the preparation
 *     worker's script, digit-recognizer-prepare-<hash>.js (preparation-worker.ts), started at the
 *     first stroke or image. The model goes to dist/public/model/ under content-hashed names
 *     (scripts/model-files.mjs), and the element is told its name, so pages find it beside the script
 *     and a second visit asks for nothing. Also the optional offline service worker,
 *     digit-recognizer-offline.js (offline-worker.ts), which pages on this origin may register.
 *     The worker serves this folder (scripts/build.mjs adds the demo pages).
 *  2. dist/npm/: the package for bundler users: ES modules with lit and @tensorflow/* left as
 *     imports (shared with the app), type declarations and the custom elements manifest.
 * Prints the gzip sizes; the budget for the element without tfjs is 30 KB.
 *
 * Separate esbuild passes per flavour instead of code splitting: esbuild's splitting puts its
 * runtime helpers in a shared chunk that the entry would always import, so the "one file" would be
 * two. The preparation worker is a whole bundle of its own (a worker cannot share the page's modules).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readModel, writeModel } from '../scripts/model-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'component/src');
const publicDir = path.join(root, 'dist/public');
const npmDir = path.join(root, 'dist/npm');
const BUDGET_GZIP = 30 * 1024;

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  tsconfig: path.join(root, 'component/tsconfig.json'),
  metafile: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** Points the element's `import('./tfjs-runtime.js')` at the separately built file. */
function runtimeAt(file) {
  return {
    name: 'tfjs-runtime-file',
    setup(b) {
      b.onResolve({ filter: /^\.\/tfjs-runtime\.js$/ }, () => ({ path: `./${file}`, external: true }));
    },
  };
}

/**
 * Points preparation-thread.ts's `new URL('./preparation-worker.ts', import.meta.url)` at the
 * built worker file: the URL stays relative to the element's own script, wherever that is served.
 */
function workerAt(file) {
  const source = "'./preparation-worker.ts'";
  return {
    name: 'preparation-worker-file',
    setup(b) {
      b.onLoad({ filter: /[\\/]preparation-thread\.ts$/ }, async (args) => {
        const code = await readFile(args.path, 'utf8');
        if (!code.includes(source)) throw new Error(`${args.path} no longer names the worker as ${source}`);
        return { contents: code.replaceAll(source, JSON.stringify(`./${file}`)), loader: 'ts' };
      });
    },
  };
}

/** Points model-location.ts's default at the model's content-hashed file (pages load this build). */
function modelAt(file) {
  const source = "'./model/model.json'";
  return {
    name: 'model-file',
    setup(b) {
      b.onLoad({ filter: /[\\/]model-location\.ts$/ }, async (args) => {
        const code = await readFile(args.path, 'utf8');
        if (!code.includes(source)) throw new Error(`${args.path} no longer names the model as ${source}`);
        return { contents: code.replaceAll(source, JSON.stringify(`./model/${file}`)), loader: 'ts' };
      });
    },
  };
}

const outputFile = (result) => Object.keys(result.metafile.outputs).find((f) => f.endsWith('.js'));

/**
 * Builds tfjs-runtime.ts and preparation-worker.ts, then the element naming them by their output
 * names; returns the output files.
 */
async function flavour({ outdir, names, hashedFileNames = '[name]', minify, external = [], define = {}, plugins = [] }) {
  const runtime = await build({
    ...common,
    entryPoints: { [names.runtime]: path.join(src, 'tfjs-runtime.ts') },
    entryNames: hashedFileNames,
    outdir,
    minify,
    external,
    define,
    legalComments: minify ? 'linked' : 'inline',
  });
  const runtimeFile = outputFile(runtime);
  const worker = await build({
    ...common,
    entryPoints: { [names.worker]: path.join(src, 'preparation-worker.ts') },
    entryNames: hashedFileNames,
    outdir,
    minify,
    define,
    legalComments: minify ? 'linked' : 'inline',
  });
  const workerFile = outputFile(worker);
  const element = await build({
    ...common,
    entryPoints: { [names.element]: path.join(src, 'index.ts') },
    outdir,
    minify,
    external,
    define,
    legalComments: minify ? 'linked' : 'inline',
    plugins: [runtimeAt(path.basename(runtimeFile)), workerAt(path.basename(workerFile)), ...plugins],
  });
  const elementFile = outputFile(element);
  return { runtimeFile: path.join(root, runtimeFile), workerFile: path.join(root, workerFile), elementFile: path.join(root, elementFile) };
}

// 1. Public: only this build's own files are replaced (dist/public also holds the model and demo).
await mkdir(publicDir, { recursive: true });
for (const name of await readdir(publicDir)) {
  if (name.startsWith('digit-recognizer')) await rm(path.join(publicDir, name), { force: true });
}
// The model, read once (training may rewrite it meanwhile), under the names this build gives the element.
const model = await readModel(path.join(root, 'model/artifacts'));
await writeModel(model, path.join(publicDir, 'model'));
// The tfjs and worker file names carry a content hash, so they can be cached forever; the element's
// cannot (pages name it).
const forPages = await flavour({
  outdir: publicDir,
  names: { element: 'digit-recognizer', runtime: 'digit-recognizer-tfjs', worker: 'digit-recognizer-prepare' },
  hashedFileNames: '[name]-[hash]',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [modelAt(model.modelFile)],
});

// The offline service worker: what it keeps, named relative to itself (it lies beside the element):
// the element's script at install, the content-hashed files when they are first fetched.
const immutable = [
  path.basename(forPages.runtimeFile),
  path.basename(forPages.workerFile),
  `model/${model.modelFile}`,
  `model/${model.weightsFile}`,
];
const files = ['digit-recognizer.js'];
const version = createHash('sha256')
  .update(await readFile(forPages.elementFile))
  .update(immutable.join())
  .digest('hex')
  .slice(0, 12);
const offline = await build({
  ...common,
  entryPoints: { 'digit-recognizer-offline': path.join(src, 'offline-worker.ts') },
  outdir: publicDir,
  minify: true,
  legalComments: 'none',
  define: { DIGIT_RECOGNIZER_OFFLINE: JSON.stringify({ cache: `digit-recognizer-${version}`, files, immutable }) },
});
const offlineFile = path.join(root, outputFile(offline));

// 2. npm.
await rm(npmDir, { recursive: true, force: true });
await flavour({
  outdir: npmDir,
  names: { element: 'index', runtime: 'tfjs-runtime', worker: 'preparation-worker' },
  minify: false,
  external: ['lit', 'lit/*', '@lit/*', '@tensorflow/*'],
});
// Type declarations from the sources (model/ types included: the element's API uses them).
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'component/tsconfig.build.json')],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const rootPackage = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const peers = ['lit', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-webgl'];
await writeFile(
  path.join(npmDir, 'package.json'),
  JSON.stringify(
    {
      name: 'digit-recognizer-element',
      version: rootPackage.version,
      description:
        'The <digit-recognizer> custom element: draw or upload a handwritten number, read on the device with TensorFlow.js or by a server.',
      license: rootPackage.license,
      type: 'module',
      exports: {
        '.': { types: './types/component/src/index.d.ts', default: './index.js' },
        './custom-elements.json': './custom-elements.json',
      },
      types: './types/component/src/index.d.ts',
      customElements: 'custom-elements.json',
      // Importing the package defines the element.
      sideEffects: ['./index.js'],
      peerDependencies: Object.fromEntries(peers.map((name) => [name, rootPackage.dependencies?.[name] ?? '*'])),
    },
    null,
    2,
  ) + '\n',
);
await copyFile(path.join(root, 'component/custom-elements.json'), path.join(npmDir, 'custom-elements.json'));
await copyFile(path.join(root, 'component/README.md'), path.join(npmDir, 'README.md')).catch(() => {});

// Sizes of what a page downloads.
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = async (file) => {
  const bytes = await readFile(file);
  return { bytes: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
};
const element = await sizes(forPages.elementFile);
const worker = await sizes(forPages.workerFile);
const tfjs = await sizes(forPages.runtimeFile);
const offlineWorker = await sizes(offlineFile);
console.table([
  { file: path.relative(root, forPages.elementFile), loaded: 'always', minified: kb(element.bytes), gzip: kb(element.gzip) },
  {
    file: path.relative(root, forPages.workerFile),
    loaded: 'at the first stroke or image (a Web Worker)',
    minified: kb(worker.bytes),
    gzip: kb(worker.gzip),
  },
  { file: path.relative(root, forPages.runtimeFile), loaded: 'only to read on the device', minified: kb(tfjs.bytes), gzip: kb(tfjs.gzip) },
  {
    file: path.relative(root, offlineFile),
    loaded: 'only by pages that register it (offline)',
    minified: kb(offlineWorker.bytes),
    gzip: kb(offlineWorker.gzip),
  },
]);
console.log(`model: dist/public/model/${model.modelFile} and ${model.weightsFile} (immutable), also as model.json and weights.bin`);
const within = element.gzip <= BUDGET_GZIP;
console.log(`element without tfjs: ${kb(element.gzip)} gzip, ${within ? 'within' : 'OVER'} the ${kb(BUDGET_GZIP)} budget`);
console.log(`npm build in ${path.relative(root, npmDir)}/ (lit and @tensorflow/* are peer dependencies)`);
if (!within) process.exit(1);
