/**
 * User Timing for each recognition, visible in DevTools' performance panel and read by the
 * benchmark (component/bench.ts). Only the latest entry of each name stays in the page's timeline:
 * the buffer has no limit, and a page that reads thousands of numbers would otherwise keep
 * thousands of entries (measured: about 0.7 MB of heap over 1,000 recognitions).
 */
export function measureSince(name: string, start: number, detail?: Record<string, unknown>): void {
  const entry = `digit-recognizer:${name}`;
  performance.clearMeasures(entry);
  performance.measure(entry, { start, end: performance.now(), detail });
}
