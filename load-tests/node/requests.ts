/**
 * The requests the k6 script sends, built for Node from the same fixtures: GET /, the JSON pixels
 * bodies, and multipart/form-data uploads with the file in field "image" (as k6's http.file does).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHome, checkPrediction, routeOf, type Fixture, type FixtureManifest, type RequestKind, type Route } from '../shared/plan.js';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export interface RequestSpec {
  kind: RequestKind;
  route: Route;
  /** The fixture's name, or "home". */
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** The checks on the answer (the same as the k6 script's): check name -> passed. */
  check(status: number, body: string | null): Record<string, boolean>;
}

export async function loadManifest(): Promise<FixtureManifest> {
  try {
    return JSON.parse(await readFile(path.join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as FixtureManifest;
  } catch (error) {
    throw new Error(`cannot read ${path.join(FIXTURES_DIR, 'manifest.json')} (run npm run load:fixtures): ${String(error)}`);
  }
}

export const homeRequest: RequestSpec = {
  kind: 'home',
  route: 'home',
  name: 'home',
  method: 'GET',
  path: '/',
  headers: { accept: 'text/html' },
  body: undefined,
  check: checkHome,
};

/** A multipart/form-data body with one file part, laid out as k6 and browsers lay it out. */
function multipart(field: string, fileName: string, contentType: string, bytes: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----digit-recognizer-load-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function fixtureRequest(fixture: Fixture): Promise<RequestSpec> {
  const bytes = await readFile(path.join(FIXTURES_DIR, fixture.file));
  const check = (status: number, body: string | null) => checkPrediction(status, body, fixture.expected);
  const base = { kind: fixture.kind, route: routeOf(fixture.kind), name: fixture.name, method: 'POST' as const, path: '/predict', check };
  if (fixture.kind === 'pixels')
    return { ...base, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: bytes };
  const form = multipart('image', fixture.file, fixture.contentType, bytes);
  return { ...base, headers: { 'content-type': form.contentType, accept: 'application/json' }, body: form.body };
}

/** Every request of a kind, one per fixture (GET / is one request). */
export async function requestsOf(kind: RequestKind, manifest: FixtureManifest): Promise<RequestSpec[]> {
  if (kind === 'home') return [homeRequest];
  return Promise.all(manifest.fixtures.filter((f) => f.kind === kind).map(fixtureRequest));
}
