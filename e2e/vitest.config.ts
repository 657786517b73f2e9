import { defineConfig } from 'vitest/config';

// End-to-end: the real worker (`wrangler dev`, started once by global-setup.ts) and headless
// Chromium driven with playwright-core, from Node. One browser and one server for every file.
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    // On-device reading runs WebGL on SwiftShader (the CPU): the first recognition in a page
    // includes loading TensorFlow.js and the model, and the machine is shared.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // One file at a time, one page at a time: the CPU, not the tests, is the bottleneck.
    fileParallelism: false,
  },
});
