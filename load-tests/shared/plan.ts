/**
 * The load test plan shared by the k6 scripts (load-tests/k6/) and the Node runner (load-tests/node/):
 * the service-level objectives (thresholds), the request mix, the fixture manifest's shape and the
 * checks made on every response. Pure TypeScript with no imports, so both k6 and Node can load it.
 */

/** The service's promise, as k6 thresholds state it. Every figure is in milliseconds. */
export const SLO = {
  /** `http_req_failed` rate must stay under this (0.1%). */
  maxFailedRate: 0.001,
  /** `checks` rate must be exactly 1: every check on every response passes. */
  checksRate: 1,
  /** `POST /predict` latency (`http_req_duration{route:predict}`). */
  predict: { p95: 100, p99: 250 },
  /** `GET /` latency (`http_req_duration{route:home}`). */
  home: { p95: 50 },
  /** `dropped_iterations` count must be 0: the generator kept the arrival rate. */
  maxDroppedIterations: 0,
} as const;

/**
 * In-flight request budget for an arrival rate (k6: preAllocatedVUs and maxVUs). By Little's law
 * in flight = rate x latency; maxVUs leaves room for every request taking the 250 ms p99 limit, plus
 * slow starts. A request due when the budget is spent is a dropped iteration.
 */
export function vusFor(rate: number): { preAllocatedVUs: number; maxVUs: number } {
  return { preAllocatedVUs: Math.ceil(rate * 0.05) + 5, maxVUs: Math.ceil(rate * 0.5) + 20 };
}

/** What one request sends: the home page, or one of the three /predict payloads. */
export type RequestKind = 'home' | 'pixels' | 'png' | 'jpeg';
export const REQUEST_KINDS: readonly RequestKind[] = ['home', 'pixels', 'png', 'jpeg'];

/** The `route` tag of a request kind (thresholds are set per route). */
export type Route = 'home' | 'predict';
export const routeOf = (kind: RequestKind): Route => (kind === 'home' ? 'home' : 'predict');

/** A request mix: relative weights of the request kinds. */
export type Mix = Partial<Record<RequestKind, number>>;

/** The default mix: mostly the element's JSON fallback, some uploads, a few page views. */
export const DEFAULT_MIX = 'home:1,pixels:6,png:2,jpeg:1';

/**
 * Parses "pixels", "pixels,png" (equal weights) or "home:1,pixels:6,png:2,jpeg:1" (weights).
 * Throws on unknown kinds or bad weights, so a typo does not silently test something else.
 */
export function parseMix(text: string): Mix {
  const mix: Mix = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, weightText] = part.split(':');
    const kind = name!.trim() as RequestKind;
    if (!REQUEST_KINDS.includes(kind)) throw new Error(`unknown request kind "${name}" in mix "${text}" (use ${REQUEST_KINDS.join(', ')})`);
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!Number.isFinite(weight) || weight < 0) throw new Error(`bad weight "${weightText}" for ${kind} in mix "${text}"`);
    mix[kind] = weight;
  }
  if (Object.values(mix).every((w) => !w)) throw new Error(`mix "${text}" selects no request`);
  return mix;
}

/**
 * A deterministic weighted schedule of request kinds: `sequence[i % length]` is the kind of the
 * i-th request. Interleaved (smooth weighted round robin), so any window holds the mix's proportions.
 */
export function mixSequence(mix: Mix): RequestKind[] {
  const kinds = REQUEST_KINDS.filter((k) => (mix[k] ?? 0) > 0);
  const weights = kinds.map((k) => mix[k]!);
  // Scale fractional weights to integers (up to 3 decimals), then reduce by the common divisor.
  const scaled = weights.map((w) => Math.round(w * 1000));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = scaled.reduce(gcd);
  const counts = scaled.map((w) => w / divisor);
  const total = counts.reduce((a, b) => a + b, 0);
  const current = counts.map(() => 0);
  const sequence: RequestKind[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < counts.length; i++) {
      current[i]! += counts[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    sequence.push(kinds[best]!);
  }
  return sequence;
}

/** One entry of load-tests/fixtures/manifest.json. */
export interface Fixture {
  /** Unique name, also the `fixture` tag of its requests. */
  name: string;
  /** File name in load-tests/fixtures/. */
  file: string;
  /** pixels: a JSON PixelsRequest body; png/jpeg: an image sent as multipart field "image". */
  kind: Exclude<RequestKind, 'home'>;
  contentType: 'application/json' | 'image/png' | 'image/jpeg';
  /** The digits the API must read ("4096"). */
  expected: string;
  /** What the fixture shows, for people reading the manifest. */
  description: string;
  /** Image size (pixels bodies: 28 x 28 per digit). */
  width: number;
  height: number;
  bytes: number;
  /** The lowest segment confidence the shipped model gave it when the fixtures were made. */
  confidence: number;
}

export interface FixtureManifest {
  generatedBy: string;
  seed: number;
  /** The model that read every fixture right when they were made (name and version as /healthz says). */
  verifiedWith: { name: string; version: string };
  fixtures: Fixture[];
}

/** The same check names in k6 and Node, so their summaries line up. */
export const CHECK_NAMES = {
  status: 'status is 200',
  digit: 'body has a digit',
  digits: 'digits are right',
  page: 'page has the element',
} as const;

/**
 * The checks on a /predict answer: status 200, a JSON body with a digit 0-9, and the fixture's digits.
 * Returns check name -> passed.
 */
export function checkPrediction(status: number, body: string | null, expected: string): Record<string, boolean> {
  let parsed: { digit?: unknown; digits?: unknown } | undefined;
  try {
    parsed = body ? (JSON.parse(body) as typeof parsed) : undefined;
  } catch {
    parsed = undefined;
  }
  const digit = parsed?.digit;
  return {
    [CHECK_NAMES.status]: status === 200,
    [CHECK_NAMES.digit]: typeof digit === 'number' && Number.isInteger(digit) && digit >= 0 && digit <= 9,
    [CHECK_NAMES.digits]: parsed?.digits === expected,
  };
}

/** The checks on the home page: status 200 and the page embeds the <digit-recognizer> element. */
export function checkHome(status: number, body: string | null): Record<string, boolean> {
  return {
    [CHECK_NAMES.status]: status === 200,
    [CHECK_NAMES.page]: typeof body === 'string' && body.includes('<digit-recognizer'),
  };
}

/** k6 thresholds for the SLO (also printed by the Node runner, which applies the same limits). */
export function k6Thresholds(): Record<string, string[]> {
  return {
    http_req_failed: [`rate<${SLO.maxFailedRate}`],
    checks: [`rate==${SLO.checksRate}`],
    'http_req_duration{route:predict}': [`p(95)<${SLO.predict.p95}`, `p(99)<${SLO.predict.p99}`],
    'http_req_duration{route:home}': [`p(95)<${SLO.home.p95}`],
    dropped_iterations: [`count==${SLO.maxDroppedIterations}`],
  };
}
