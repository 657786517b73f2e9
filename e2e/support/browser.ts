/**
 * The tests' side of the shared browser: pages on the real worker, with WebGL or without it, and a
 * record of what each page asked the server for.
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Request } from 'playwright-core';
import { inject } from 'vitest';

export const baseURL = inject('baseURL');

export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('wsEndpoint'));
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
/** A phone-sized screen with touch (an iPhone 12-15 class viewport). */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/**
 * No WebGL, the way a browser without a usable GPU answers: getContext('webgl' | 'webgl2') gives
 * null. The element checks exactly this before downloading TensorFlow.js (and tfjs would fail the
 * same way), so it must fall back to POST /predict.
 */
const BLOCK_WEBGL = `(() => {
  for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype]) {
    const real = proto.getContext;
    proto.getContext = function (type, ...rest) {
      return typeof type === 'string' && type.startsWith('webgl') ? null : real.call(this, type, ...rest);
    };
  }
})();`;

export interface Exchange {
  method: string;
  /** Playwright's resource type: document, script, stylesheet, fetch, image... */
  resourceType: string;
  /** Path and query on the worker, e.g. "/predict". */
  path: string;
  contentType: string | undefined;
  requestBody: string | null;
  status: number | undefined;
  responseBody: string | undefined;
}

/**
 * A strict Content Security Policy: scripts, styles and connections from the page's own origin
 * only, no inline code or styles, no eval.
 */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Every request the page made to the worker, with the answer once it arrived. */
  exchanges: Exchange[];
  /** Uncaught errors in the page. */
  errors: Error[];
  /** Content Security Policy violations: "directive blocked-uri source:line". */
  violations: string[];
  close(): Promise<void>;
}

function onWorker(request: Request): boolean {
  return request.url().startsWith(baseURL);
}

export interface OpenOptions extends BrowserContextOptions {
  /** false: the browser has no WebGL. */
  webgl?: boolean;
  /**
   * A Content-Security-Policy header added to the worker's HTML responses; or 'served': the policy the
   * worker itself sends (demo/_headers, worker/src/security-headers.ts), unchanged. Either way,
   * violations are recorded.
   */
  csp?: string;
}

export async function openPage(browser: Browser, path: string, options: OpenOptions = {}): Promise<TestPage> {
  const { webgl = true, csp, ...contextOptions } = options;
  const context = await browser.newContext({ ...DESKTOP, ...contextOptions, baseURL });
  if (!webgl) await context.addInitScript(BLOCK_WEBGL);
  const violations: string[] = [];
  if (csp) {
    // A policy other than the served one is put on the pages on the way, as a deployment's header would.
    if (csp !== 'served')
      await context.route(`${baseURL}/**`, async (route) => {
        const response = await route.fetch();
        const isHtml = (response.headers()['content-type'] ?? '').startsWith('text/html');
        await route.fulfill({ response, headers: isHtml ? { ...response.headers(), 'content-security-policy': csp } : response.headers() });
      });
    await context.exposeBinding('__reportCspViolation', (_source, violation: string) => violations.push(violation));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation(
          `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
        );
      });
    });
  }
  const page = await context.newPage();
  const exchanges: Exchange[] = [];
  const errors: Error[] = [];
  const pending = new Map<Request, Exchange>();
  page.on('pageerror', (error) => errors.push(error));
  page.on('request', (request) => {
    if (!onWorker(request)) return;
    const url = new URL(request.url());
    const exchange: Exchange = {
      method: request.method(),
      resourceType: request.resourceType(),
      path: url.pathname + url.search,
      contentType: request.headers()['content-type'],
      requestBody: request.postData(),
      status: undefined,
      responseBody: undefined,
    };
    exchanges.push(exchange);
    pending.set(request, exchange);
  });
  page.on('response', async (response) => {
    const exchange = pending.get(response.request());
    if (!exchange) return;
    exchange.status = response.status();
    // Only the API's answers are worth keeping (bundles and weights are large).
    if (exchange.path.startsWith('/predict')) exchange.responseBody = await response.text().catch(() => undefined);
  });
  await page.goto(path);
  return { page, context, exchanges, errors, violations, close: () => context.close() };
}

/** The worker requests whose path starts with `prefix`. */
export function requestsTo(exchanges: Exchange[], prefix: string, method?: string): Exchange[] {
  return exchanges.filter((e) => e.path.startsWith(prefix) && (method === undefined || e.method === method));
}

/** The lazily loaded TensorFlow.js file and the model's files: what only the on-device path needs. */
export function onDeviceDownloads(exchanges: Exchange[]): string[] {
  return exchanges.filter((e) => /^\/digit-recognizer-tfjs-[^/]+\.js$/.test(e.path) || e.path.startsWith('/model/')).map((e) => e.path);
}

/**
 * A test file's pages: connects to the shared browser on first use, and keeps one page open at a
 * time (opening the next closes the previous one, so a failed test leaves nothing behind).
 */
export function pagesForFile(): { visit(path: string, options?: OpenOptions): Promise<TestPage>; close(): Promise<void> } {
  let browser: Browser | undefined;
  let current: TestPage | undefined;
  return {
    async visit(path, options = {}) {
      browser ??= await connectBrowser();
      await current?.close();
      current = await openPage(browser, path, options);
      return current;
    },
    async close() {
      await current?.close();
      await browser?.close();
    },
  };
}
