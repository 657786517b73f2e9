#!/usr/bin/env node
/**
 * Bundles the framework examples (demo/src/*-demo.*) into dist/public/, next to the pages that load
 * them: react-demo.js (React + ReactDOM) and vue-demo.js (Vue's runtime). No CDN is reachable from
 * where the worker runs, and a strict CSP allows scripts from the page's own origin only, so each
 * framework ships from the worker like the element does. Called by scripts/build.mjs.
 *
 * The element itself is not in these bundles: each page loads /digit-recognizer.js with its own
 * script tag first, as any page embedding it would.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: {
    'react-demo': path.join(root, 'demo/src/react-demo.tsx'),
    'vue-demo': path.join(root, 'demo/src/vue-demo.ts'),
  },
  outdir: path.join(root, 'dist/public'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  jsx: 'automatic',
  // Production builds of React and Vue: no dev warnings, and Vue without its devtools hooks.
  define: {
    'process.env.NODE_ENV': '"production"',
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  logLevel: 'warning',
});
