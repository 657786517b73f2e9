import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'model',
    root: new URL('..', import.meta.url).pathname,
    include: ['model/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
