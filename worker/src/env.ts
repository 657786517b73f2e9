/** Bindings and variables the worker reads (wrangler.toml). */
export interface Bindings {
  /** Static assets: the element bundle, model files and demo pages (dist/public). */
  ASSETS: Fetcher;
  /** "*" or a comma-separated list of origins allowed to call the API from a browser. */
  ALLOWED_ORIGINS?: string;
}
