/** The worker's generated test fixtures, read in Node (the workerd tests import them as modules instead). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR, writeFixtures, type FixtureEntry, type FixtureIndex } from '../test/fixtures/generate.js';

export { GENERATED_DIR, writeFixtures, type FixtureEntry };

export function fixtures(): FixtureIndex {
  return JSON.parse(readFileSync(path.join(GENERATED_DIR, 'index.json'), 'utf8')) as FixtureIndex;
}
