import { describe, expect, it } from 'vitest';
import {
  checkHome,
  checkPrediction,
  k6Thresholds,
  mixSequence,
  parseMix,
  vusFor,
  type Fixture,
  type FixtureManifest,
} from '../shared/plan.js';
import { seconds } from '../k6/scenarios.js';
import { readFileSync } from 'node:fs';

describe('request mix', () => {
  it('parses kinds with and without weights, and refuses typos', () => {
    expect(parseMix('pixels')).toEqual({ pixels: 1 });
    expect(parseMix('home:1, pixels:6,png:2,jpeg:1')).toEqual({ home: 1, pixels: 6, png: 2, jpeg: 1 });
    expect(() => parseMix('pixel')).toThrow(/unknown request kind/);
    expect(() => parseMix('png:-1')).toThrow(/bad weight/);
    expect(() => parseMix('png:0')).toThrow(/selects no request/);
  });

  it('interleaves the kinds in proportion to their weights', () => {
    const sequence = mixSequence(parseMix('home:1,pixels:6,png:2,jpeg:1'));
    expect(sequence).toHaveLength(10);
    const count = (k: string) => sequence.filter((s) => s === k).length;
    expect([count('home'), count('pixels'), count('png'), count('jpeg')]).toEqual([1, 6, 2, 1]);
    // Smooth: no kind comes more than twice its share in a row (pixels at most 2 in a row here).
    expect(sequence.join(',')).not.toMatch(/pixels,pixels,pixels/);
    expect(mixSequence({ pixels: 0.5, png: 0.25 })).toEqual(['pixels', 'png', 'pixels']);
  });
});

describe('checks', () => {
  it('pass only for status 200 with the expected digits', () => {
    const body = JSON.stringify({ status: 'ok', digits: '4096', digit: 4 });
    expect(Object.values(checkPrediction(200, body, '4096')).every(Boolean)).toBe(true);
    expect(checkPrediction(200, body, '4095')['digits are right']).toBe(false);
    expect(checkPrediction(503, 'Your worker restarted', '4096')).toEqual({
      'status is 200': false,
      'body has a digit': false,
      'digits are right': false,
    });
    expect(checkPrediction(200, JSON.stringify({ digits: '', digit: null }), '7')['body has a digit']).toBe(false);
    expect(checkHome(200, '<html><digit-recognizer label="x"></digit-recognizer>')).toEqual({
      'status is 200': true,
      'page has the element': true,
    });
    expect(checkHome(200, '<html></html>')['page has the element']).toBe(false);
  });
});

describe('thresholds and budgets', () => {
  it('states the SLO in k6 syntax', () => {
    expect(k6Thresholds()).toEqual({
      http_req_failed: ['rate<0.001'],
      checks: ['rate==1'],
      'http_req_duration{route:predict}': ['p(95)<100', 'p(99)<250'],
      'http_req_duration{route:home}': ['p(95)<50'],
      dropped_iterations: ['count==0'],
    });
  });

  it('gives an arrival rate room for every request to take the p99 limit', () => {
    for (const rate of [1, 20, 300, 1000]) expect(vusFor(rate).maxVUs).toBeGreaterThanOrEqual(rate * 0.25);
  });

  it('reads k6 durations', () => {
    expect(seconds('30s')).toBe(30);
    expect(seconds('2m')).toBe(120);
    expect(seconds('1m30s')).toBe(90);
    expect(seconds('500ms')).toBe(0.5);
    expect(() => seconds('2 minutes')).toThrow(/bad duration/);
  });
});

describe('fixtures', () => {
  const dir = new URL('../fixtures/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as FixtureManifest;

  it('cover every payload kind, single digits and numbers, and stay small', () => {
    const kinds = new Set(manifest.fixtures.map((f: Fixture) => f.kind));
    expect([...kinds].sort()).toEqual(['jpeg', 'pixels', 'png']);
    for (const kind of kinds) {
      expect(
        manifest.fixtures.some((f) => f.kind === kind && f.expected.length > 1),
        `${kind} has a multi-digit fixture`,
      ).toBe(true);
    }
    const total = manifest.fixtures.reduce((n, f) => n + readFileSync(new URL(f.file, dir)).length, 0);
    expect(total).toBeLessThan(1024 * 1024);
  });

  it('match the manifest: sizes, magic bytes, pixels bodies of 784 values in 0..1 per digit', () => {
    for (const f of manifest.fixtures) {
      const bytes = readFileSync(new URL(f.file, dir));
      expect(bytes.length, f.file).toBe(f.bytes);
      if (f.kind === 'png') expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
      if (f.kind === 'jpeg') expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
      if (f.kind === 'pixels') {
        const body = JSON.parse(bytes.toString('utf8')) as { pixels: number[] | number[][] };
        const digits = Array.isArray(body.pixels[0]) ? (body.pixels as number[][]) : [body.pixels as number[]];
        expect(digits).toHaveLength(f.expected.length);
        for (const d of digits) {
          expect(d).toHaveLength(784);
          expect(d.every((v) => v >= 0 && v <= 1)).toBe(true);
        }
      }
    }
  });
});
