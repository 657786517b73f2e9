import { defineConfig } from 'vitest/config';

// The load-test tooling's own tests (plan, k6 scenario builders, the arrival-rate generator against a
// stub server; `npm run load:smoke` is the end-to-end check), and the server `npm start` runs under
// concurrent uploads (test/local-server.test.ts) with its front door (test/http-front.test.ts).
export default defineConfig({
  test: {
    name: 'load-tests',
    root: new URL('..', import.meta.url).pathname,
    include: ['load-tests/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // One file at a time: test/local-server.test.ts keeps both cores busy with 50 uploads at once,
    // and test/arrival.test.ts times its generator's spacing.
    fileParallelism: false,
  },
});
