/**
 * The second visit, on the real worker: the model (and TensorFlow.js) are served under
 * content-hashed names with `Cache-Control: immutable`, so a page loaded again fetches no model
 * bytes (checked by the bytes each request moved, from Resource Timing); and on a page that registers
 * the element's offline service worker (the form), a reload without a network still reads on the device.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { pagesForFile } from './support/browser.js';
import { readResult, writeDigits } from './support/person.js';

const pages = pagesForFile();

afterAll(() => pages.close());

/** Resource Timing of the on-device files: path and the bytes that came over the network (0: from a cache). */
function onDeviceTransfers(page: Page): Promise<{ path: string; transferSize: number; decodedBodySize: number }[]> {
  return page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .map((e) => ({ path: new URL(e.name).pathname, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }))
      .filter((e) => /^\/(model\/|digit-recognizer-(tfjs|prepare)-)/.test(e.path)),
  );
}

describe('the second visit', () => {
  test('the model files are served immutable under content-hashed names', async () => {
    const { page } = await pages.visit('/plain');
    const script = await (await page.request.get('/digit-recognizer.js')).text();
    const modelFile = script.match(/model\/(model-[0-9a-f]{12}\.json)/)?.[1];
    expect(modelFile, 'the element names its model').toBeDefined();
    const model = await page.request.get(`/model/${modelFile}`);
    expect(model.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    const { weightsManifest } = (await model.json()) as { weightsManifest: { paths: string[] }[] };
    expect(weightsManifest[0]!.paths).toEqual([modelFile!.replace('model-', 'weights-').replace('.json', '.bin')]);
    expect((await page.request.get(`/model/${weightsManifest[0]!.paths[0]}`)).headers()['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    // What pages name, and the plain model for model-url, are revalidated instead.
    for (const path of ['/digit-recognizer.js', '/model/model.json', '/plain'])
      expect((await page.request.get(path)).headers()['cache-control'], path).not.toContain('immutable');
  });

  test('a page loaded again reads without fetching any model bytes', async () => {
    const { page } = await pages.visit('/plain');
    const recognizer = page.locator('digit-recognizer');
    await writeDigits(page, recognizer, '3');
    expect((await readResult(recognizer)).digits).toBe('3');
    const first = await onDeviceTransfers(page);
    // The first visit downloaded the model and TensorFlow.js.
    expect(first.filter((e) => e.path.startsWith('/model/model-')).map((e) => e.transferSize > 0)).toEqual([true]);
    expect(first.filter((e) => e.path.startsWith('/model/weights-')).map((e) => e.transferSize > 1000)).toEqual([true]);

    // The second visit (a new navigation in the same browser): the same files, none over the network.
    await page.goto('/plain');
    await writeDigits(page, recognizer, '7');
    expect((await readResult(recognizer)).digits).toBe('7');
    const second = await onDeviceTransfers(page);
    expect(second.map((e) => e.path).sort()).toEqual(first.map((e) => e.path).sort());
    for (const entry of second) {
      expect(entry.transferSize, `${entry.path} came over the network`).toBe(0);
      expect(entry.decodedBodySize, `${entry.path} is empty`).toBeGreaterThan(0);
    }
  });

  test('with the offline service worker (the form page), a reload without a network still reads on the device', async () => {
    const { page, context, errors } = await pages.visit('/form');
    const recognizer = page.locator('digit-recognizer');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await writeDigits(page, recognizer, '4');
    expect((await readResult(recognizer)).digits).toBe('4');
    // A second load, online, under the service worker: it keeps the page and its parts.
    await page.reload();
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await writeDigits(page, recognizer, '2');
    expect((await readResult(recognizer)).digits).toBe('2');

    await context.setOffline(true);
    try {
      await page.reload();
      // The network is really gone, for the page and for its service worker.
      expect(
        await page.evaluate(() =>
          fetch('/healthz').then(
            (r) => `HTTP ${r.status}`,
            () => 'failed',
          ),
        ),
      ).toBe('failed');
      await writeDigits(page, recognizer, '7');
      const shown = await readResult(recognizer);
      expect(shown.digits).toBe('7');
      expect(shown.source).toBe('local');
    } finally {
      await context.setOffline(false);
    }
    expect(errors).toEqual([]);
  });
});
