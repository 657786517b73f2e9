/**
 * The fallback to the server, with WebGL blocked in this page (as in browsers without it), against
 * the component's test server (support/test-server.ts: same recognition code in Node; the real
 * worker is covered by the end-to-end tests). Also what people see when the server fails.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { DigitErrorDetail, DigitRecognizedDetail } from '../src/events.js';
import type { RecordedRequest } from './support/test-server.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { draw, maybePart, mount, nextEvent, part, rowOfRegions, stageAspect, TEST_ENDPOINT, UNREACHABLE_ENDPOINT } from './support/dom.js';

beforeAll(() => {
  // No WebGL here, the way a browser without a usable GPU answers: getContext gives null.
  for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype] as { getContext: (...args: unknown[]) => unknown }[]) {
    const real = proto.getContext;
    proto.getContext = function (this: unknown, type: unknown, ...rest: unknown[]) {
      return typeof type === 'string' && type.startsWith('webgl') ? null : real.call(this, type, ...rest);
    };
  }
});

beforeEach(async () => {
  await fetch('/__test/requests', { method: 'DELETE' });
});

afterEach(() => {
  document.body.replaceChildren();
});

async function serverRequests(): Promise<RecordedRequest[]> {
  return (await fetch('/__test/requests')).json() as Promise<RecordedRequest[]>;
}

const plain = (digits: string) => [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);

async function drawAndPredict(el: Awaited<ReturnType<typeof mount>>, digits: string): Promise<void> {
  draw(el, plain(digits), rowOfRegions(digits.length, stageAspect(el)));
  await el.updateComplete;
  part<HTMLButtonElement>(el, 'button.predict').click();
}

describe('without WebGL', () => {
  test('auto mode sends the prepared digits to the endpoint and shows the answer as from the server', async () => {
    const el = await mount({ 'auto-predict': '0' });
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    await drawAndPredict(el, '58');
    const { detail } = await recognized;
    expect(detail.source).toBe('remote');
    expect(detail.digits).toBe('58');
    // The prepared candidates with their lattice, and how to read them: one request, its pieces the
    // drawing's three strokes (the 5's body, its bar, the 8), a candidate for each run of strokes in
    // the lattice, among them the whole 5 and the 8, and none as wide as both digits.
    const requests = await serverRequests();
    expect(requests).toHaveLength(1);
    const { spans, ...request } = requests[0]!;
    expect(request).toEqual({
      path: TEST_ENDPOINT,
      authorization: null,
      digits: spans.length,
      wellFormed: true,
      options: { confidenceThreshold: 0.7 },
      lattice: true,
      cells: 0,
      pieces: 3,
    });
    expect(spans).toContainEqual([0, 2]);
    expect(spans).toContainEqual([2, 3]);
    for (const [from, to] of spans)
      expect(0 <= from && from < to && to <= 3 && !(from === 0 && to === 3), `span [${from}, ${to})`).toBe(true);
    await el.updateComplete;
    expect(part(el, '[part="source"]').textContent).toContain('by the server');
    expect(part(el, '.result').textContent).toContain('WebGL is not available');
    // tfjs was never downloaded: the page pays nothing for the local path it cannot use.
    expect(performance.getEntriesByType('resource').filter((e) => e.name.includes('tfjs'))).toEqual([]);
  });

  test('mode="local" refuses with a clear message instead of falling back', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    await drawAndPredict(el, '1');
    expect((await errored).detail.code).toBe('webgl-unavailable');
    await el.updateComplete;
    expect(part(el, '[role="alert"]').textContent).toContain('WebGL is not available');
    expect(maybePart(el, 'button.retry')).toBeNull();
    expect(await serverRequests()).toEqual([]);
  });

  test('api-key is sent as a bearer token', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'remote', 'api-key': 'k-123' });
    draw(el, plain('6'), rowOfRegions(1, stageAspect(el)));
    expect((await el.recognize()).digits).toBe('6');
    expect((await serverRequests())[0]?.authorization).toBe('Bearer k-123');
  });
});

describe('when the server fails', () => {
  test('an unreachable server shows the error and a Retry that works once the network is back', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'remote', endpoint: UNREACHABLE_ENDPOINT });
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    await drawAndPredict(el, '3');
    const { detail } = await errored;
    expect(detail).toEqual({ code: 'network', message: 'Could not reach the recognition server. Check your connection and retry.' });
    await el.updateComplete;
    expect(part(el, '[role="alert"]').textContent).toContain('Could not reach the recognition server');
    // No spinner left behind.
    expect(maybePart(el, '.busy')).toBeNull();

    el.endpoint = TEST_ENDPOINT;
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    part<HTMLButtonElement>(el, 'button.retry').click();
    expect((await recognized).detail).toMatchObject({ digits: '3', source: 'remote' });
    await el.updateComplete;
    expect(maybePart(el, '[role="alert"]')).toBeNull();
  });

  test('a server that never answers times out with a message and Retry, not a stuck spinner', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'remote', endpoint: '/__test/never-answers', timeout: '800' });
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    const started = performance.now();
    await drawAndPredict(el, '2');
    await el.updateComplete;
    expect(part(el, '.busy').textContent).toContain('Reading');
    const { detail } = await errored;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(detail.code).toBe('timeout');
    await el.updateComplete;
    expect(maybePart(el, '.busy')).toBeNull();
    expect(part(el, 'button.retry').textContent).toBe('Retry');
  });

  test("an error answer shows the server's message; a 4xx offers no Retry", async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'remote', endpoint: '/__test/no-such-route' });
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    await drawAndPredict(el, '2');
    const { detail } = await errored;
    expect(detail.code).toBe('server');
    expect(detail.message).toContain('(404)');
    expect(detail.message).toContain('no test route /__test/no-such-route');
    await el.updateComplete;
    expect(maybePart(el, 'button.retry')).toBeNull();
  });

  test('an answer that is not a prediction is an error, not a result', async () => {
    // The model file is JSON, but not a prediction.
    const el = await mount({ 'auto-predict': '0', mode: 'remote', endpoint: '/__test/model/model.json' });
    draw(el, plain('2'), rowOfRegions(1, stageAspect(el)));
    await expect(el.recognize()).rejects.toMatchObject({ code: 'server' });
    expect(el.value).toBe('');
  });
});
