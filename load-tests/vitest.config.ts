import { defineConfig } from 'vitest/config';

// The load-test tooling's own tests (plan, k6 scenario builders, the arrival-rate generator against a
// stub server). No worker, no wrangler: `npm run load:smoke` is the end-to-end check.
export default defineConfig({
  test: {
    name: 'load-tests',
    root: new URL('..', import.meta.url).pathname,
    include: ['load-tests/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
