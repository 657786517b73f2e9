/**
 * Every page in demo/ can run under a strict Content Security Policy (script-src and style-src
 * 'self', no inline code, no eval): no inline scripts, styles or event handlers in the HTML, and in
 * the browser, with the policy enforced, each page loads, runs its own scripts and frameworks, and
 * shows the element without a single violation.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectBrowser, openPage, STRICT_CSP, type TestPage } from './support/browser.js';

const DEMO = new URL('../demo/', import.meta.url);

let browser: Browser;
let open: TestPage | undefined;

beforeAll(async () => {
  browser = await connectBrowser();
});

afterAll(async () => {
  await open?.close();
  await browser?.close();
});

describe('the HTML has nothing inline', async () => {
  const pages = (await readdir(DEMO)).filter((name) => name.endsWith('.html'));

  test('there are pages to check', () => {
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'plain.html', 'react.html', 'vue.html', 'form.html', 'form-result.html']));
  });

  for (const name of pages) {
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
  const pages: [path: string, ranSelector: string][] = [
    ['/', 'digit-recognizer canvas.ink'],
    ['/plain', 'digit-recognizer canvas.ink'],
    ['/react', '[data-testid="latest"]'],
    ['/vue', '[data-testid="latest"]'],
    ['/form', 'digit-recognizer canvas.ink'],
    ['/form-result?payee=Ada&amount=42', '#fields tr'],
  ];
  test('the check sees a violation when there is one', async () => {
    await open?.close();
    open = await openPage(browser, '/plain', { csp: STRICT_CSP });
    await open.page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await open.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(open.violations).toEqual([expect.stringMatching(/^style-src-attr inline /)]);
  });

  for (const [path, ranSelector] of pages) {
    test(`${path} loads and runs without a violation`, async () => {
      await open?.close();
      open = await openPage(browser, path, { csp: STRICT_CSP });
      const { page, violations, errors } = open;
      await page.locator(ranSelector).first().waitFor({ timeout: 30_000 });
      // Violations are reported asynchronously: give them a moment to arrive.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
