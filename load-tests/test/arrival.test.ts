import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runArrival } from '../node/arrival.js';
import { fixtureRequest, homeRequest, type RequestSpec } from '../node/requests.js';
import { evaluate, passes } from '../node/thresholds.js';

/** A stub API: records arrival times and multipart fields; answers like the worker, after `delay` ms. */
let delay = 2;
const arrivals: number[] = [];
const uploads: { field: string; fileName: string; type: string; bytes: number }[] = [];
const server = http.createServer((req, res) => {
  arrivals.push(performance.now());
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on(
    'end',
    () =>
      void (async () => {
        if (req.method === 'GET') {
          setTimeout(() => res.end('<!doctype html><digit-recognizer></digit-recognizer>'), delay);
          return;
        }
        let digits = '7';
        if (req.headers['content-type']?.startsWith('multipart/form-data')) {
          const form = await new Request('http://x/', {
            method: 'POST',
            headers: { 'content-type': req.headers['content-type'] },
            body: Buffer.concat(chunks),
          }).formData();
          const file = form.get('image') as File;
          uploads.push({ field: 'image', fileName: file.name, type: file.type, bytes: file.size });
          digits = file.name.match(/-(\d+)-/)![1]!;
        } else {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { pixels: unknown[] };
          digits = Array.isArray(body.pixels[0]) ? '75001' : ((req.headers['x-expect'] as string) ?? '7');
        }
        setTimeout(() => res.end(JSON.stringify({ status: 'ok', digits, digit: Number(digits[0]) })), delay);
      })(),
  );
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const pixels = (expected: string): RequestSpec => ({
  ...homeRequest,
  kind: 'pixels',
  route: 'predict',
  name: `pixels-${expected}`,
  method: 'POST',
  path: '/predict',
  headers: { 'content-type': 'application/json', 'x-expect': expected },
  body: Buffer.from(JSON.stringify({ pixels: new Array(784).fill(0) })),
  check: (status, body) => ({
    'status is 200': status === 200,
    'digits are right': (JSON.parse(body ?? '{}') as { digits?: string }).digits === expected,
  }),
});

describe('constant arrival rate', () => {
  it('spreads requests evenly over each second (no burst at the start of a second)', async () => {
    arrivals.length = 0;
    delay = 2;
    const result = await runArrival({
      baseUrl,
      rate: 100,
      duration: 2,
      warmup: 0.5,
      maxInFlight: 50,
      timeoutMs: 5000,
      sequence: [pixels('7')],
    });
    expect(result.dropped).toBe(0);
    expect(result.achievedRate).toBeGreaterThan(95);
    // Per 100 ms window: about 10 requests, never a second's worth at once.
    const start = arrivals[0]!;
    const buckets = new Array<number>(Math.ceil((arrivals.at(-1)! - start) / 100)).fill(0);
    for (const t of arrivals) buckets[Math.min(buckets.length - 1, Math.floor((t - start) / 100))]!++;
    expect(Math.max(...buckets.slice(0, -1))).toBeLessThanOrEqual(16);
    expect(Math.min(...buckets.slice(0, -1))).toBeGreaterThanOrEqual(5);
    expect(passes(evaluate(result))).toBe(true);
  });

  it('counts requests due while the in-flight budget is spent as dropped, and slow answers against the SLO', async () => {
    delay = 300; // each answer takes 300 ms: 40/s needs 12 in flight; allow 4
    const result = await runArrival({
      baseUrl,
      rate: 40,
      duration: 1,
      warmup: 0,
      maxInFlight: 4,
      timeoutMs: 5000,
      sequence: [pixels('7')],
    });
    expect(result.dropped).toBeGreaterThan(20);
    const verdicts = evaluate(result);
    expect(verdicts.find((v) => v.threshold.startsWith('dropped_iterations'))!.ok).toBe(false);
    expect(verdicts.find((v) => v.threshold.includes('p(99)<250'))!.ok).toBe(false);
    expect(percentile(result.byRoute.predict!.latencies, 50)).toBeGreaterThanOrEqual(300);
    delay = 2;
  });

  it('fails the checks on a wrong answer and counts failed requests', async () => {
    const result = await runArrival({
      baseUrl,
      rate: 50,
      duration: 0.5,
      warmup: 0,
      maxInFlight: 20,
      timeoutMs: 5000,
      sequence: [pixels('7'), { ...pixels('3'), headers: { 'content-type': 'application/json', 'x-expect': '7' } }],
    });
    const verdicts = evaluate(result);
    expect(verdicts.find((v) => v.threshold.startsWith('checks'))!.ok).toBe(false);
    expect(verdicts.find((v) => v.threshold.startsWith('http_req_failed'))!.ok).toBe(true);
    expect(result.byKind.pixels!.problems[0]).toMatch(/digits are right/);

    const refused = await runArrival({
      baseUrl: 'http://127.0.0.1:9',
      rate: 20,
      duration: 0.3,
      warmup: 0,
      maxInFlight: 20,
      timeoutMs: 2000,
      sequence: [pixels('7')],
    });
    expect(refused.byRoute.predict!.failed).toBe(refused.byRoute.predict!.sent);
    expect(passes(evaluate(refused))).toBe(false);
  });

  it('sends the fixtures as the k6 script does: multipart field "image" with the file name and type', async () => {
    uploads.length = 0;
    const png = await fixtureRequest({
      name: 'png-number-4096-scan',
      file: 'number-4096-scan.png',
      kind: 'png',
      contentType: 'image/png',
      expected: '4096',
      description: '',
      width: 0,
      height: 0,
      bytes: 0,
      confidence: 1,
    });
    const result = await runArrival({
      baseUrl,
      rate: 20,
      duration: 0.3,
      warmup: 0,
      maxInFlight: 5,
      timeoutMs: 5000,
      sequence: [png, homeRequest],
    });
    expect(passes(evaluate(result))).toBe(true);
    expect(uploads[0]).toMatchObject({ field: 'image', fileName: 'number-4096-scan.png', type: 'image/png' });
    expect(uploads[0]!.bytes).toBeGreaterThan(1000);
  });
});
