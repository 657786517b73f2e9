/**
 * Runs in Node before the workerd tests: renders the image fixtures (fixtures/generate.ts) and builds
 * dist/public (scripts/build.mjs, without the element bundle, which these tests do not load), which
 * the ASSETS binding serves.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFixtures } from './fixtures/generate.js';

export default async function setup(): Promise<void> {
  const build = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--no-component'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  await writeFixtures();
}
