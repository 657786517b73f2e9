/**
 * Load test of the digit-recognizer API: GET / and POST /predict with the element's JSON pixels and
 * multipart PNG and JPEG uploads (load-tests/fixtures/), with a check on every response and the
 * service's promise as thresholds.
 *
 *   k6 run load-tests/k6/predict.ts                                    # smoke: 3 VUs, 1 minute
 *   k6 run -e SCENARIO=load -e RATE=300 -e MIX=pixels load-tests/k6/predict.ts
 *   k6 run -e SCENARIO=stress -e STEP=50 -e MAX_RATE=600 load-tests/k6/predict.ts
 *   k6 run -e SCENARIO=spike -e RATE=100 -e SPIKE_RATE=500 load-tests/k6/predict.ts
 *
 * Environment (all optional):
 *   BASE_URL    the API origin (default http://127.0.0.1:8787, what `npm start` serves)
 *   SCENARIO    smoke | load | stress | spike (default smoke)
 *   RATE        load and spike: requests per second (default 100)
 *   DURATION    load: how long to hold RATE (default 2m)
 *   STEP        stress: the step between arrival rates (default RATE / 2)
 *   MAX_RATE    stress: the last step (default 3 x RATE)
 *   SPIKE_RATE  spike: the rate of the spike (default 5 x RATE)
 *   MIX         which requests, with weights: "pixels", "png,jpeg" or the default
 *               "home:1,pixels:6,png:2,jpeg:1" (GET /, JSON pixels, PNG upload, JPEG upload)
 *
 * Thresholds (the SLO, load-tests/shared/plan.ts): http_req_failed < 0.1%, checks = 100%,
 * /predict p(95) < 100 ms and p(99) < 250 ms, GET / p(95) < 50 ms, no dropped iterations.
 */
import { check, fail, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import {
  DEFAULT_MIX,
  checkHome,
  checkPrediction,
  k6Thresholds,
  mixSequence,
  parseMix,
  routeOf,
  SLO,
  type Fixture,
  type RequestKind,
} from '../shared/plan.ts';
import { fixtures, fixturesOf, loadImages, pixelsBody } from './fixtures.ts';
import { SCENARIOS, type ScenarioName } from './scenarios.ts';

function numberFromEnv(name: string, fallback: number): number {
  const text = __ENV[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
}

const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
const SCENARIO = (__ENV.SCENARIO || 'smoke') as ScenarioName;
if (!(SCENARIO in SCENARIOS)) throw new Error(`SCENARIO must be one of ${Object.keys(SCENARIOS).join(', ')}, not "${SCENARIO}"`);
const RATE = numberFromEnv('RATE', 100);
const settings = {
  rate: RATE,
  duration: __ENV.DURATION || '2m',
  step: numberFromEnv('STEP', RATE / 2),
  maxRate: numberFromEnv('MAX_RATE', RATE * 3),
  spikeRate: numberFromEnv('SPIKE_RATE', RATE * 5),
};
const plan = SCENARIOS[SCENARIO](settings);

const mix = parseMix(__ENV.MIX || DEFAULT_MIX);
/** The smoke walk sends every fixture whatever the mix; the other scenarios send the mix. */
const kinds: RequestKind[] =
  SCENARIO === 'smoke' ? ['home', 'pixels', 'png', 'jpeg'] : (Object.keys(mix) as RequestKind[]).filter((k) => mix[k]! > 0);
const sequence = mixSequence(SCENARIO === 'smoke' ? { home: 1, pixels: 1, png: 1, jpeg: 1 } : mix);
/** For each position of the sequence, which occurrence of its kind it is (to cycle through that kind's fixtures). */
const occurrence = sequence.map((kind, i) => sequence.slice(0, i).filter((k) => k === kind).length);
const perCycle = (kind: RequestKind) => sequence.filter((k) => k === kind).length;

// Init context: read the files once (images per VU, JSON bodies shared).
const images = loadImages(kinds);
const byKind = { pixels: fixturesOf('pixels'), png: fixturesOf('png'), jpeg: fixturesOf('jpeg') };

/** Per-payload latency, reported next to the route thresholds (same limits). */
const payloadThresholds: Record<string, string[]> = {};
for (const kind of kinds) {
  if (kind !== 'home') payloadThresholds[`http_req_duration{payload:${kind}}`] = [`p(95)<${SLO.predict.p95}`, `p(99)<${SLO.predict.p99}`];
}

export const options: Options = {
  scenarios: { [SCENARIO]: plan.scenario },
  thresholds: { ...k6Thresholds(), ...payloadThresholds, ...plan.thresholds },
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  // Each scenario ends itself; never let a slow server stretch a run past its plan by much.
  setupTimeout: '30s',
};

const PREDICT_URL = `${BASE_URL}/predict`;

function send(kind: RequestKind, fixture: Fixture | undefined, extraTags: Record<string, string>): void {
  const tags: Record<string, string> = { route: routeOf(kind), payload: kind, ...extraTags };
  if (kind === 'home' || !fixture) {
    const res = http.get(`${BASE_URL}/`, { tags: { ...tags, name: 'GET /' } });
    const body = typeof res.body === 'string' ? res.body : null;
    const results = checkHome(res.status, body);
    check(res, Object.fromEntries(Object.entries(results).map(([name, ok]) => [name, () => ok])), tags);
    return;
  }
  tags.fixture = fixture.name;
  const params = { tags: { ...tags, name: 'POST /predict' }, headers: {} as Record<string, string> };
  let res;
  if (kind === 'pixels') {
    params.headers['Content-Type'] = 'application/json';
    res = http.post(PREDICT_URL, pixelsBody(fixture), params);
  } else {
    // multipart/form-data with the file in field "image", as the original project's form sent it.
    const bytes = images[fixture.name];
    if (!bytes) throw new Error(`image ${fixture.file} not loaded`);
    res = http.post(PREDICT_URL, { image: http.file(bytes, fixture.file, fixture.contentType) }, params);
  }
  const body = typeof res.body === 'string' ? res.body : null;
  const results = checkPrediction(res.status, body, fixture.expected);
  check(res, Object.fromEntries(Object.entries(results).map(([name, ok]) => [name, () => ok])), tags);
}

export function setup(): { model: unknown } {
  const res = http.get(`${BASE_URL}/healthz`, { tags: { route: 'healthz', name: 'GET /healthz' } });
  if (res.status !== 200) fail(`${BASE_URL}/healthz answered ${res.status}: is the worker running (npm start) and BASE_URL right?`);
  const model = (res.json() as { model?: unknown }).model;
  console.log(
    `${SCENARIO}: ${plan.summary}; mix ${SCENARIO === 'smoke' ? 'every fixture' : JSON.stringify(mix)}; ${BASE_URL}; model ${JSON.stringify(model)}`,
  );
  return { model };
}

/** The arrival-rate scenarios: the i-th iteration sends the i-th request of the mix. */
export function traffic(): void {
  const i = exec.scenario.iterationInTest;
  const position = i % sequence.length;
  const kind = sequence[position]!;
  const extraTags = plan.tagsAt(Date.now() - exec.scenario.startTime);
  if (kind === 'home') return send('home', undefined, extraTags);
  const list = byKind[kind];
  const nth = Math.floor(i / sequence.length) * perCycle(kind) + occurrence[position]!;
  send(kind, list[nth % list.length], extraTags);
}

/** The smoke walk: GET / and every fixture once, one after another, then a pause. */
export function smoke(): void {
  send('home', undefined, {});
  for (const fixture of fixtures) send(fixture.kind, fixture, {});
  sleep(1);
}

/** k6's default function (`k6 run` without a scenario's `exec`): the same traffic. */
export default function (): void {
  traffic();
}
