/**
 * Browser commands: code the tests call from the page that runs in Node. They make photo fixtures
 * from real handwriting (MNIST validation digits rendered as photos by the recognition core's test
 * helpers), so the upload tests read photos of real handwriting, not drawings of our own.
 */
import type { BrowserContext } from 'playwright';
import type { BrowserCommand } from 'vitest/node';
import {
  createRandom,
  encodeJpeg,
  encodePng,
  loadValidationDigits,
  renderDigitPhoto,
  renderNumber,
} from '../../../model/testing/synthetic.js';

let digits: ReturnType<typeof loadValidationDigits> | undefined;

/** The `nth` validation image of `digit` (784 bytes). */
function sample(digit: number, nth = 0): Uint8Array {
  digits ??= loadValidationDigits();
  let seen = 0;
  for (let i = 0; i < digits.count; i++) {
    if (digits.labels[i] === digit && seen++ === nth) return digits.images.subarray(i * 784, (i + 1) * 784);
  }
  throw new Error(`no validation image number ${nth} of digit ${digit}`);
}

export type PhotoFormat = 'png' | 'jpeg';

/** A photo of one handwritten digit, base64-encoded. */
export const digitPhoto: BrowserCommand<[digit: number, format: PhotoFormat, seed?: number]> = (_context, digit, format, seed = 1) => {
  const image = renderDigitPhoto(sample(digit), { random: createRandom(seed), size: 320, scale: [0.45, 0.7] });
  const bytes = format === 'png' ? encodePng(image) : encodeJpeg(image, 85);
  return Buffer.from(bytes).toString('base64');
};

/** A photo of a handwritten number, e.g. "409", base64-encoded PNG. */
export const numberPhoto: BrowserCommand<[number: string, seed?: number]> = (_context, number, seed = 1) => {
  const image = renderNumber(
    [...number].map((d) => sample(Number(d), 1)),
    { random: createRandom(seed), height: 160 },
  );
  return Buffer.from(encodePng(image)).toString('base64');
};

/**
 * Real input, not dispatched events: moves the browser's own mouse or touchscreen (through
 * Playwright and the DevTools protocol) along `points`, given in the test frame's CSS pixels.
 */
export const realStroke: BrowserCommand<[points: [number, number][], pointer: 'mouse' | 'touch']> = async (context, points, pointer) => {
  const frame = await context.frame();
  const box = await (await frame.frameElement()).boundingBox();
  if (!box) throw new Error('the test frame is not on screen');
  const innerWidth = await frame.evaluate(() => window.innerWidth);
  const scale = box.width / innerWidth;
  const page = points.map(([x, y]) => ({ x: box.x + x * scale, y: box.y + y * scale }));
  if (pointer === 'mouse') {
    await context.page.mouse.move(page[0]!.x, page[0]!.y);
    await context.page.mouse.down();
    for (const p of page.slice(1)) await context.page.mouse.move(p.x, p.y);
    await context.page.mouse.up();
    return;
  }
  const cdp = await context.page.context().newCDPSession(context.page);
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [page[0]!] });
    for (const p of page.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
};

/** The DevTools session holding a device-metrics override: the override ends when it detaches. */
let metricsSession: Awaited<ReturnType<BrowserContext['newCDPSession']>> | undefined;

/** Emulates a high-DPI screen (devicePixelRatio = factor); 0 restores the real one. */
export const setDeviceScaleFactor: BrowserCommand<[factor: number]> = async (context, factor) => {
  if (factor === 0) {
    await metricsSession?.detach();
    metricsSession = undefined;
    return;
  }
  metricsSession ??= await context.page.context().newCDPSession(context.page);
  const size = context.page.viewportSize() ?? { width: 800, height: 900 };
  await metricsSession.send('Emulation.setDeviceMetricsOverride', {
    width: size.width,
    height: size.height,
    deviceScaleFactor: factor,
    mobile: false,
  });
};

export interface MemoryCounters {
  /** Live DOM nodes in the page's renderer, attached or not (a detached canvas still counts). */
  nodes: number;
  documents: number;
  jsEventListeners: number;
  /** Bytes of the JavaScript heap in use. */
  jsHeapUsed: number;
}

/**
 * The renderer's counters after a full garbage collection, through the DevTools protocol: what the
 * page itself cannot see (it has no count of detached nodes and no way to force a collection).
 */
export const memoryCounters: BrowserCommand<[]> = async (context): Promise<MemoryCounters> => {
  const cdp = await context.page.context().newCDPSession(context.page);
  try {
    // Twice: the first pass can leave objects that only the second finds unreachable (weak maps, finalizers).
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const heap = await cdp.send('Runtime.getHeapUsage');
    return { nodes: dom.nodes, documents: dom.documents, jsEventListeners: dom.jsEventListeners, jsHeapUsed: heap.usedSize };
  } finally {
    await cdp.detach();
  }
};

/** The Web Workers running in the page now, by name (the element's are "digit-recognizer preparation"). */
export const workerNames: BrowserCommand<[]> = async (context) => {
  const names: string[] = [];
  for (const worker of context.page.workers()) names.push(await worker.evaluate(() => self.name).catch(() => '(gone)'));
  return names.filter((name) => name !== '(gone)');
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    digitPhoto: (digit: number, format: PhotoFormat, seed?: number) => Promise<string>;
    numberPhoto: (number: string, seed?: number) => Promise<string>;
    realStroke: (points: [number, number][], pointer: 'mouse' | 'touch') => Promise<void>;
    setDeviceScaleFactor: (factor: number) => Promise<void>;
    memoryCounters: () => Promise<MemoryCounters>;
    workerNames: () => Promise<string[]>;
  }
}
