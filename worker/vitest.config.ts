import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = new URL('..', import.meta.url).pathname;

// The worker's tests run inside workerd (the Workers runtime) with the real wrangler.toml: the same
// bundled model, module rules, assets and variables as `npm start`.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${root}wrangler.toml` },
      // Access control is off in wrangler.toml. A real (simulated) Workers Rate Limiting binding for
      // the access tests, which hand it to the app as RATE_LIMITER together with an API_KEY; every
      // other test sees the worker as configured, open and unlimited.
      miniflare: { ratelimits: { TEST_RATE_LIMITER: { simple: { limit: 3, period: 60 } } } },
    }),
  ],
  test: {
    name: 'worker',
    root,
    include: ['worker/test/**/*.test.ts'],
    // Node side: renders the test images from MNIST digits and builds the static assets.
    globalSetup: ['worker/test/global-setup.ts'],
    // Pre-bundles these packages (esbuild, once) so workerd loads each as one module: otherwise
    // every file of tfjs comes through the pool's module fallback service one request at a time
    // (workers-sdk#14283), about 10 s per test file here.
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: [
            '@tensorflow/tfjs-core',
            '@tensorflow/tfjs-layers',
            '@tensorflow/tfjs-backend-wasm',
            '@tensorflow/tfjs-backend-cpu',
            'hono',
            'fast-check',
            'upng-js',
            'pako',
            '@jsquash/jpeg',
            'jpeg-js/lib/decoder.js',
          ],
        },
      },
    },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
