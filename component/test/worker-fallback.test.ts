/**
 * Where the preparation worker cannot start as usual (preparation-thread.ts): from a script on
 * another origin it is a blob: module importing the script; where the page's CSP forbids that, or
 * any worker, preparation runs in this thread. Each way prepares exactly what the worker does.
 * The policies are real ones, set with <meta http-equiv="Content-Security-Policy"> as a page would;
 * they tighten as the file goes on (a page cannot loosen its policy), so the tests run in order.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { PixelImage, PreparedDigits } from '../../model/core/index.js';
import { decodeImageFile, pixelsOf } from '../src/image-file.js';
import { PreparationThread } from '../src/preparation-thread.js';
import { prepare } from '../src/preparation.js';
import type { Preparation } from '../src/reading.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { base64ToFile, draw, mount, rowOfRegions, stageAspect } from './support/dom.js';

/** The worker's script as the element finds it here (Vite serves the source). */
const SCRIPT = new URL('../src/preparation-worker.ts', import.meta.url);
/** The same script from another origin: the test server answers on 127.0.0.1 too. */
const OTHER_ORIGIN_SCRIPT = new URL(SCRIPT.href.replace('//localhost:', '//127.0.0.1:'));

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

afterEach(() => {
  document.body.replaceChildren();
});

function addPolicy(policy: string): void {
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = policy;
  document.head.append(meta);
}

/** A photo of "409", decoded as the element decodes uploads; a fresh copy of its pixels per call. */
async function photoPixels(): Promise<() => PixelImage> {
  const decoded = await decodeImageFile(base64ToFile(await commands.numberPhoto('409'), 'number.png', 'image/png'));
  return () => pixelsOf(decoded);
}

async function prepareWith(thread: PreparationThread, image: PixelImage): Promise<Preparation> {
  try {
    return await thread.prepare({ kind: 'image', image }, { multiple: true, drawing: false }, new AbortController().signal);
  } finally {
    thread.dispose();
  }
}

function expectSame(actual: PreparedDigits, expected: PreparedDigits): void {
  expect(actual.boxes).toEqual(expected.boxes);
  expect(actual.inputs.map((input) => Array.from(input))).toEqual(expected.inputs.map((input) => Array.from(input)));
}

function lastPrepareThread(): string | undefined {
  const entry = performance.getEntriesByName('digit-recognizer:prepare').at(-1) as PerformanceMeasure | undefined;
  return (entry?.detail as { thread?: string } | undefined)?.thread;
}

async function elementReads(digit: number): Promise<string> {
  const el = await mount({ 'auto-predict': '0', mode: 'remote' });
  draw(el, [DIGIT_DRAWINGS[digit]![0]!.strokes], rowOfRegions(1, stageAspect(el)));
  return (await el.recognize()).digits;
}

describe('with no policy', () => {
  test('the worker prepares exactly what this thread would, and stops when the element leaves the page', async () => {
    const pixels = await photoPixels();
    const expected = prepare({ kind: 'image', image: pixels() }, { multiple: true, drawing: false });
    // A photo of three digits: at least a candidate for each, and their lattice.
    expect(expected.inputs.length).toBeGreaterThanOrEqual(3);
    expect(expected.lattice?.spans).toHaveLength(expected.inputs.length);
    const { digits, thread } = await prepareWith(new PreparationThread(SCRIPT), pixels());
    expect(thread).toBe('worker');
    expectSame(digits, expected);

    expect(await elementReads(6)).toBe('6');
    expect(lastPrepareThread()).toBe('worker');
    expect(await commands.workerNames()).toEqual(['digit-recognizer preparation']);
    document.body.replaceChildren();
    expect(await commands.workerNames()).toEqual([]);
  });

  test('from another origin, the worker is a blob: module importing the script', async () => {
    // The premise: a page may not start a worker from another origin's URL.
    expect(() => new Worker(OTHER_ORIGIN_SCRIPT, { type: 'module' })).toThrow(/cannot be accessed from origin|SecurityError/);
    const pixels = await photoPixels();
    const { digits, thread } = await prepareWith(new PreparationThread(OTHER_ORIGIN_SCRIPT), pixels());
    expect(thread).toBe('worker');
    expectSame(digits, prepare({ kind: 'image', image: pixels() }, { multiple: true, drawing: false }));
    expect(violations).toEqual([]);
  });
});

describe("with worker-src 'self'", () => {
  test('from another origin, where blob: workers are refused, preparation runs in this thread; the same origin still gets its worker', async () => {
    addPolicy("worker-src 'self'");
    const pixels = await photoPixels();
    const { digits, thread } = await prepareWith(new PreparationThread(OTHER_ORIGIN_SCRIPT), pixels());
    expect(thread).toBe('main');
    expectSame(digits, prepare({ kind: 'image', image: pixels() }, { multiple: true, drawing: false }));
    // The browser reports the refused blob: worker; that is the one trace the fallback leaves.
    expect(violations).toEqual(['worker-src blob']);

    expect(await elementReads(4)).toBe('4');
    expect(lastPrepareThread()).toBe('worker');
  });
});

describe("with worker-src 'none'", () => {
  test('the element reads in this thread', async () => {
    addPolicy("worker-src 'none'");
    violations.length = 0;
    expect(await elementReads(2)).toBe('2');
    expect(lastPrepareThread()).toBe('main');
    expect(violations).toEqual([expect.stringMatching(/^worker-src /)]);
    expect(await commands.workerNames()).toEqual([]);
  });
});
