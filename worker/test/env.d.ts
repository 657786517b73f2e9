/** The worker's bindings (src/env.ts) as seen by tests through `cloudflare:test`. */
declare namespace Cloudflare {
  interface Env {
    ASSETS: Fetcher;
    ALLOWED_ORIGINS?: string;
    /** worker/vitest.config.ts: a rate limiter of 3 requests per 60 s, for the access tests. */
    TEST_RATE_LIMITER: RateLimit;
  }
}
