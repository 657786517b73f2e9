/** The worker's bindings (src/env.ts) as seen by tests through `cloudflare:test`. */
declare namespace Cloudflare {
  interface Env {
    ASSETS: Fetcher;
    ALLOWED_ORIGINS?: string;
    /** worker/vitest.config.ts: a rate limiter of 3 requests per 60 s, for the access tests. */
    TEST_RATE_LIMITER: RateLimit;
  }
}

// The fixtures' index is written by the tests' global setup (fixtures/generate.ts), so a fresh clone
// type-checks before it exists; `fixtures/index.ts` casts it to FixtureIndex either way.
declare module '*/generated/index.json' {
  const index: unknown;
  export default index;
}
