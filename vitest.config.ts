import { defineConfig } from 'vitest/config';

// One `npm test` runs every project: the recognition core in Node, the worker inside workerd,
// the element in headless Chromium. Each folder owns its project config.
export default defineConfig({
  test: {
    projects: ['{model,worker,component,e2e}/vitest.config.ts'],
  },
});
