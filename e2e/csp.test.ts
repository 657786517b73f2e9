/**
 * Every page in demo/ can run under a strict Content Security Policy (script-src and style-src
 * 'self', no inline code, no eval): no inline scripts, styles or event handlers in the HTML, and in
 * the browser, with the policy enforced, each page loads, runs its own scripts and frameworks, and
 * shows the element without a single violation.
 */
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { pagesForFile, requestsTo, STRICT_CSP } from './support/browser.js';
import { readResult, writeDigits } from './support/person.js';

const DEMO = new URL('../demo/', import.meta.url);

const pages = pagesForFile();

afterAll(() => pages.close());

describe('the HTML has nothing inline', async () => {
  const files = (await readdir(DEMO)).filter((name) => name.endsWith('.html'));

  test('there are pages to check', () => {
    expect(files).toEqual(expect.arrayContaining(['index.html', 'plain.html', 'react.html', 'vue.html', 'form.html', 'form-result.html']));
  });

  for (const name of files) {
    test(name, async () => {
      const html = await readFile(new URL(name, DEMO), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [tag, attributes, body] of scripts) {
        expect(attributes, tag).toMatch(/\bsrc="\/[^"]+\.js"/);
        expect(body!.trim(), tag).toBe('');
      }
      expect(html).not.toMatch(/<style\b/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
    });
  }
});

describe('in the browser, with the policy enforced', () => {
  // What shows that each page's own code ran: the element rendered, and the page's own output.
  const served: [path: string, ranSelector: string][] = [
    ['/', 'digit-recognizer canvas.ink'],
    ['/plain', 'digit-recognizer canvas.ink'],
    ['/react', '[data-testid="latest"]'],
    ['/vue', '[data-testid="latest"]'],
    ['/form', 'digit-recognizer canvas.ink'],
    ['/form-result?payee=Ada&amount=42', '#fields tr'],
  ];
  test('the check sees a violation when there is one', async () => {
    const { page, violations } = await pages.visit('/plain', { csp: STRICT_CSP });
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(violations).toEqual([expect.stringMatching(/^style-src-attr inline /)]);
  });

  for (const [path, ranSelector] of served) {
    test(`${path} loads and runs without a violation`, async () => {
      const { page, violations, errors } = await pages.visit(path, { csp: STRICT_CSP });
      await page.locator(ranSelector).first().waitFor({ timeout: 30_000 });
      // Violations are reported asynchronously: give them a moment to arrive.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});

describe('as the worker serves them (its own Content-Security-Policy header, enforced)', () => {
  const paths = ['/', '/plain', '/react', '/vue', '/form', '/form-result'];

  test('every page and the scripts are served with the strict policy, nosniff and a referrer policy', async () => {
    const { page } = await pages.visit('/plain', { csp: 'served' });
    for (const path of [...paths, '/digit-recognizer.js', '/model/model.json']) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()['content-security-policy'], path).toBe(STRICT_CSP);
      expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers()['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    }
    // Module scripts and model files loaded by pages on other origins need CORS.
    for (const path of ['/digit-recognizer.js', '/model/model.json']) {
      expect((await page.request.get(path)).headers()['access-control-allow-origin'], path).toBe('*');
    }
  });

  test('the element reads a drawing on this device with tfjs under the policy, without a violation', async () => {
    const { page, violations, errors, exchanges } = await pages.visit('/', { csp: 'served' });
    const recognizer = page.locator('#try digit-recognizer');
    await writeDigits(page, recognizer, '3');
    const shown = await readResult(recognizer);
    expect(shown.digits).toBe('3');
    expect(shown.source).toBe('local');
    expect(requestsTo(exchanges, '/predict')).toEqual([]);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    // The one report allowed: long.js (bundled by tfjs for 64-bit integers) tries, in a try/catch, to
    // compile a tiny WebAssembly module for faster multiplication and uses plain JS when the policy
    // forbids it. tfjs itself runs on WebGL and needs no 'wasm-unsafe-eval', so the policy keeps it out.
    expect(violations.filter((v) => !/^script-src wasm-eval \S*\/digit-recognizer-tfjs-[\w-]+\.js:/.test(v))).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('without WebGL the element falls back to POST /predict under the policy, without a violation', async () => {
    const { page, violations, errors, exchanges } = await pages.visit('/', { csp: 'served', webgl: false });
    const recognizer = page.locator('#try digit-recognizer');
    await writeDigits(page, recognizer, '7');
    const shown = await readResult(recognizer);
    expect(shown.digits).toBe('7');
    expect(requestsTo(exchanges, '/predict', 'POST')).not.toEqual([]);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
