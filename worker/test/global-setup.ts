/**
 * Runs in Node before the workerd tests: renders the image fixtures (fixtures/generate.ts), builds
 * dist/public (scripts/build.mjs, without the element bundle, which these tests do not load), which
 * the ASSETS binding serves, and starts the test host (test-host.ts) that hands the fixtures and
 * workerd's memory figures to the tests.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { writeFixtures } from './fixtures/generate.js';
import { startTestHost } from './test-host.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Node-side test host (test-host.ts). */
    testHostUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--no-component'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('npm run build failed');
  await writeFixtures();
  const host = await startTestHost();
  project.provide('testHostUrl', host.url);
  return () => new Promise((resolve) => host.server.close(() => resolve()));
}
