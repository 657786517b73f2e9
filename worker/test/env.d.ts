/** The worker's bindings (src/env.ts) as seen by tests through `cloudflare:test`. */
declare namespace Cloudflare {
  interface Env {
    ASSETS: Fetcher;
    ALLOWED_ORIGINS?: string;
  }
}
