/** Bindings and variables the worker reads (wrangler.toml). */
export interface Bindings {
  /** Static assets: the element bundle, model files and demo pages (dist/public). */
  ASSETS: Fetcher;
  /** "*" or a comma-separated list of origins allowed to call the API from a browser. */
  ALLOWED_ORIGINS?: string;
  /** Secret (`wrangler secret put API_KEY`): when set, POST /predict needs `Authorization: Bearer <key>`. Unset: open. */
  API_KEY?: string;
  /** Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml): when bound, POST /predict is limited per client. Unbound: no limit. */
  RATE_LIMITER?: RateLimit;
  /** The binding's period in seconds (10 or 60, as in `[[ratelimits]]`), sent back in `Retry-After`; default 60. */
  RATE_LIMIT_PERIOD?: string;
  /** Seconds a request body may take to arrive before 408 request_timeout; default 30 (BODY_READ_TIMEOUT_MS). */
  BODY_TIMEOUT_SECONDS?: string;
}
