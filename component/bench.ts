/**
 * `npm run bench:component`: how fast the element is for people on the local (WebGL) path, in
 * Debian's headless Chromium driven by playwright-core, against a static server of dist/public
 * that answers like Workers static assets with demo/_headers (ETag and revalidation on every visit,
 * gzip; content-hashed files, the model among them, immutable for a year).
 *
 * Per run (a fresh browser context = an empty HTTP cache):
 *  - first load: navigation start to the element defined and rendered;
 *  - first result: from the first stroke (when the element starts loading tfjs and the model) to
 *    the digits, drawing at once and reading at once (no time spent drawing, so none of the loading
 *    is hidden behind it), on the first visit (cold: empty cache) and on a second visit (warm: the
 *    model and tfjs in the HTTP cache); and the model's part of it (the first recognition minus a
 *    warm one: tfjs chunk, WebGL init, model download, warm-up);
 *  - warm inference: recognize() of one drawn digit, and per digit of a drawn 10-digit number.
 * Prints the median of each over the runs. Headless Chromium here runs WebGL on SwiftShader (the CPU),
 * so on-device times on a real GPU are lower; the machine is also shared with model training.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { DIGIT_DRAWINGS, type Drawing } from '../model/testing/digit-drawings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARM_REPEATS = 15;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.html': 'text/html',
  '.map': 'application/json',
};

const BENCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>digit-recognizer bench</title></head>
<body>
<digit-recognizer mode="local" auto-predict="0"></digit-recognizer>
<script type="module" src="/digit-recognizer.js"></script>
<script type="module">
  // WebGL's shader compilations (after readings, when idle), kept here: the bench clears measures between readings.
  window.compiles = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name.startsWith('digit-recognizer:webgl-compile-')) window.compiles.push(e.duration);
  }).observe({ entryTypes: ['measure'] });
  await customElements.whenDefined('digit-recognizer');
  await document.querySelector('digit-recognizer').updateComplete;
  window.firstLoadMs = performance.now();
</script>
</body></html>`;

/** Named by their content (demo/_headers): a browser keeps them without asking again. */
const IMMUTABLE = /^\/(digit-recognizer-(tfjs|prepare)-|model\/(model|weights)-)/;

/** Files of dist/public as built (the model too: component/build.mjs wrote the files the element names). */
async function startServer(): Promise<{ url: string; close: () => void }> {
  const server = createServer(
    (req: IncomingMessage, res: ServerResponse) =>
      void (async () => {
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        let body: Buffer;
        try {
          if (pathname === '/bench.html') body = Buffer.from(BENCH_PAGE);
          else body = await readFile(path.join(root, 'dist/public', path.normalize(pathname).replace(/^(\.\.[/\\])+/, '')));
          if (body.byteLength === 0) throw new Error('not found');
        } catch {
          res.writeHead(404).end();
          return;
        }
        const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
        // What Workers static assets do by default: revalidate every visit (304 when unchanged), and
        // compress text for clients that accept it; demo/_headers makes the hashed files immutable.
        const type = TYPES[path.extname(pathname)] ?? 'application/octet-stream';
        const caching = IMMUTABLE.test(pathname) ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
        const headers: Record<string, string> = { 'Content-Type': type, ETag: etag, 'Cache-Control': caching, Vary: 'Accept-Encoding' };
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers).end();
          return;
        }
        if (type !== 'application/octet-stream' && /\bgzip\b/.test(String(req.headers['accept-encoding']))) {
          headers['Content-Encoding'] = 'gzip';
          body = gzipSync(body);
        }
        res.writeHead(200, headers).end(body);
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * Draws digits side by side with dispatched pointer events (as the tests do). Page code is a
 * string: tsx would wrap named inner functions in a helper the page does not have.
 */
const DRAW_IN_PAGE = `(drawings) => {
  const el = document.querySelector('digit-recognizer');
  el.clear();
  const canvas = el.shadowRoot.querySelector('canvas.ink');
  const rect = canvas.getBoundingClientRect();
  const count = drawings.length;
  let height = 0.7;
  let square = height / (rect.width / rect.height);
  if (square > 0.9 / count) {
    height *= 0.9 / count / square;
    square = 0.9 / count;
  }
  const boxWidth = square * 0.75;
  const total = count * boxWidth + (count - 1) * square * 0.25;
  drawings.forEach((strokes, d) => {
    const left = (1 - total) / 2 + d * square;
    const at = ([u, v]) => ({ clientX: rect.left + (left + u * boxWidth) * rect.width, clientY: rect.top + ((1 - height) / 2 + v * height) * rect.height });
    const fire = (type, p) => canvas.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'pen', isPrimary: true, button: type === 'pointermove' ? -1 : 0, buttons: 1, ...at(p) }));
    for (const stroke of strokes) {
      fire('pointerdown', stroke[0]);
      for (let i = 1; i < stroke.length; i++) {
        const a = stroke[i - 1], b = stroke[i];
        for (let s = 1; s <= 8; s++) fire('pointermove', [a[0] + ((b[0] - a[0]) * s) / 8, a[1] + ((b[1] - a[1]) * s) / 8]);
      }
      fire('pointerup', stroke[stroke.length - 1]);
    }
  });
}`;

async function drawDigits(page: Page, drawings: Drawing[], strokeWidth = 16): Promise<void> {
  await page.evaluate(`document.querySelector('digit-recognizer').strokeWidth = ${strokeWidth}`);
  await page.evaluate(`(${DRAW_IN_PAGE})(${JSON.stringify(drawings)})`);
}

interface Recognition {
  ms: number;
  digits: string;
  /** The element's User Timing entries made during this recognition (digit-recognizer:*). */
  steps: Record<string, number>;
}

/**
 * Times `recognize()`, from `since` (a performance.now() in the page; default: the call) to the
 * result. The element's User Timing entries are cleared at `since` by the caller or here.
 */
async function recognizeMs(page: Page, since?: number): Promise<Recognition> {
  return page.evaluate(async (since) => {
    const el = document.querySelector('digit-recognizer')!;
    if (since === undefined) performance.clearMeasures();
    const started = since ?? performance.now();
    const result = await el.recognize();
    const ms = performance.now() - started;
    const steps: Record<string, number> = {};
    for (const entry of performance.getEntriesByType('measure')) steps[entry.name.replace('digit-recognizer:', '')] = entry.duration;
    return { ms, digits: result.digits, steps };
  }, since);
}

/** Bytes that came over the network for resources whose URL contains `part` (a 304 is only headers). */
async function transferred(page: Page, part: string): Promise<number> {
  return page.evaluate((part) => {
    let bytes = 0;
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      if (entry.name.includes(part)) bytes += entry.transferSize;
    return bytes;
  }, part);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Medians of the total and of each step over `repeats` warm recognitions. */
async function warmMedian(page: Page, repeats: number, expected: string): Promise<{ total: number; prepare: number; classify: number }> {
  const total: number[] = [],
    prepare: number[] = [],
    classify: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const { ms, digits, steps } = await recognizeMs(page);
    if (digits !== expected) throw new Error(`read "${digits}", expected "${expected}"`);
    total.push(ms);
    prepare.push(steps.prepare ?? NaN);
    classify.push(steps['classify-local'] ?? NaN);
  }
  return { total: median(total), prepare: median(prepare), classify: median(classify) };
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const one = [DIGIT_DRAWINGS[3]![0]!.strokes];
const ten = [...'1234567890'].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);
const results: Record<string, number[]> = {};
const record = (key: string, value: number) => (results[key] ??= []).push(value);
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    for (const visit of ['first', 'second'] as const) {
      await page.goto(`${server.url}/bench.html`);
      await page.waitForFunction(() => (window as unknown as { firstLoadMs?: number }).firstLoadMs !== undefined);
      record(`load-${visit}`, await page.evaluate(() => (window as unknown as { firstLoadMs: number }).firstLoadMs));
      // Pages pay for tfjs only once someone draws: nothing of it may be fetched before.
      const early = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((n) => n.includes('tfjs') || n.includes('/model/')),
      );
      if (early.length) throw new Error(`fetched before any interaction: ${early.join(', ')}`);
      record(`element-bytes-${visit}`, await transferred(page, 'digit-recognizer.js'));
      // Loading starts at the first stroke (the element preloads then): time from there.
      const drawStart = await page.evaluate(() => (performance.clearMeasures(), performance.now()));
      await drawDigits(page, one);
      const first = await recognizeMs(page, drawStart);
      if (first.digits !== '3') throw new Error(`read "${first.digits}", expected "3"`);
      record(`result-${visit}`, first.ms);
      await warmMedian(page, 3, '3');
      record(`model-bytes-${visit}`, (await transferred(page, '/model/')) + (await transferred(page, 'digit-recognizer-tfjs')));
      for (const step of ['tfjs-import', 'webgl-init', 'model-load', 'warm-up']) record(`${step}-${visit}`, first.steps[step] ?? NaN);
    }
    // WebGL compiles its shaders only where the browser does it in parallel (not on SwiftShader).
    record('compiles', await page.evaluate(() => (window as unknown as { compiles: number[] }).compiles.length));
    const single = await warmMedian(page, WARM_REPEATS, '3');
    record('one-total', single.total);
    record('one-prepare', single.prepare);
    record('one-classify', single.classify);
    // Ten digits across the pad are small: a finer pen, as people pick for small writing.
    await drawDigits(page, ten, 8);
    // The first batch of ten after the one-digit warm-up: any shader compiled for a new batch size shows here.
    record('ten-first', (await recognizeMs(page)).ms);
    const number = await warmMedian(page, WARM_REPEATS, '1234567890');
    record('ten-total', number.total / 10);
    record('ten-prepare', number.prepare / 10);
    record('ten-classify', number.classify / 10);
    await context.close();
    process.stdout.write(`run ${run + 1}/${RUNS} done\n`);
  }
} finally {
  await browser.close();
  server.close();
}

const rows: [string, string][] = [
  ['first load: navigation to element rendered, first visit', 'load-first'],
  ['first load, second visit (HTTP cache)', 'load-second'],
  ['COLD first result: first stroke to digits, empty cache', 'result-first'],
  ['WARM first result: first stroke to digits, second visit (model cached)', 'result-second'],
  ['  cold, of which: import the tfjs chunk', 'tfjs-import-first'],
  ['  cold, of which: WebGL backend init', 'webgl-init-first'],
  ['  cold, of which: fetch and build the model (WebGL and CPU)', 'model-load-first'],
  ['  cold, of which: first inference (CPU backend)', 'warm-up-first'],
  ['  warm, of which: import the tfjs chunk', 'tfjs-import-second'],
  ['  warm, of which: fetch and build the model', 'model-load-second'],
  ['warm recognition, one digit (the faster backend here)', 'one-total'],
  ['  of which: preprocess + segment', 'one-prepare'],
  ['  of which: classify', 'one-classify'],
  ['first recognition of a 10-digit number (a new batch size)', 'ten-first'],
  ['warm recognition per digit, 10-digit number (the faster backend here)', 'ten-total'],
  ['  of which: preprocess + segment, per digit', 'ten-prepare'],
  ['  of which: classify (one batch of all candidates), per digit', 'ten-classify'],
];
const kb = (key: string) => `${(median(results[key] ?? []) / 1024).toFixed(1)} KB`;
console.log(
  `\nbytes over the network: element ${kb('element-bytes-first')} (second visit ${kb('element-bytes-second')}), tfjs + model ${kb('model-bytes-first')} (second visit ${kb('model-bytes-second')}; nothing of it before the first stroke)`,
);
console.log(
  `WebGL batch sizes compiled per page (in parallel, off the page's thread; 0 where the browser cannot): ${median(results.compiles ?? [])}`,
);
console.log(`<digit-recognizer> local path, medians of ${RUNS} runs (Chromium ${browser.version()}, WebGL on SwiftShader):`);
console.table(
  rows.map(([measure, key]) => {
    const values = results[key] ?? [];
    return {
      measure,
      'median ms': Number(median(values).toFixed(1)),
      'min ms': Number(Math.min(...values).toFixed(1)),
      'max ms': Number(Math.max(...values).toFixed(1)),
    };
  }),
);
