/**
 * The fixtures (load-tests/fixtures/), loaded once in the init context:
 * - the manifest and the JSON pixels bodies in SharedArrays (one copy in memory for all VUs);
 * - the PNG and JPEG files with `open(path, 'b')`: a SharedArray holds only JSON values, so each VU
 *   keeps its own copy of these (about 270 KB per VU when the mix has PNG, 110 KB for JPEG).
 * Paths go through import.meta.resolve (relative to this module, as an import would be), because k6's
 * open() resolves a bare relative path against the entry script, not the calling module.
 * A SharedArray only supports length, indexing and for-of, hence the plain loops.
 */
import { SharedArray } from 'k6/data';
import type { Fixture, FixtureManifest, RequestKind } from '../shared/plan.ts';

const at = (file: string) => import.meta.resolve(`../fixtures/${file}`);

const manifest: Fixture[] = new SharedArray('fixtures', () => (JSON.parse(open(at('manifest.json'))) as FixtureManifest).fixtures);

/** A plain array (a tiny per-VU copy of the manifest), so array methods work. */
export const fixtures: Fixture[] = [];
for (const f of manifest) fixtures.push(f);

const pixelsFixtures = fixtures.filter((f) => f.kind === 'pixels');
/** The JSON bodies, in the order of pixelsFixtures. */
const pixelsBodies: string[] = new SharedArray('pixels bodies', () => pixelsFixtures.map((f) => open(at(f.file))));

export function fixturesOf(kind: Exclude<RequestKind, 'home'>): Fixture[] {
  return fixtures.filter((f) => f.kind === kind);
}

export function pixelsBody(fixture: Fixture): string {
  const index = pixelsFixtures.findIndex((f) => f.name === fixture.name);
  const body = pixelsBodies[index];
  if (body === undefined) throw new Error(`no body loaded for ${fixture.name}`);
  return body;
}

/** Reads the image files of the given kinds (init context only). */
export function loadImages(kinds: readonly RequestKind[]): Record<string, ArrayBuffer> {
  const images: Record<string, ArrayBuffer> = {};
  for (const f of fixtures) {
    if ((f.kind === 'png' || f.kind === 'jpeg') && kinds.includes(f.kind)) images[f.name] = open(at(f.file), 'b');
  }
  return images;
}
