import { defineConfig } from 'vitest/config';

// One `npm test` runs every project: the recognition core in Node, the worker inside workerd,
// the element in headless Chromium, the demo end to end, the load-test tooling. Each folder owns
// its project config.
export default defineConfig({
  test: {
    projects: ['{model,worker,component,e2e,load-tests}/vitest.config.ts'],
  },
});
