/**
 * Bounded work through POST /predict: the adversarial images of model/testing/adversarial.ts (the
 * 875-byte bars bomb, hatching, noise, checkerboards, a grid of dots, a page of text) as the small
 * PNGs they are. Each is answered within a generous safety bound (2 s of wall time here; their CPU
 * is in `npm run bench:worker`), with a reading or 422 too_many_marks, and a /healthz sent at the
 * same time is not held up behind it.
 */
import { describe, expect, it } from 'vitest';
import { bytesOf, entriesOf } from './fixtures/index.js';
import { dispatch, errorOf, ORIGIN, post } from './helpers.js';

const SAFETY_BOUND_MS = 2000;

describe('adversarial uploads', () => {
  it.each(entriesOf('adversarial').map((e) => [e.name!, e] as const))(
    '%s is answered within the safety bound, /healthz meanwhile within 1 s',
    async (_, entry) => {
      const started = performance.now();
      const answer = post(bytesOf(entry), 'image/png').then(async (response) => ({
        response,
        ms: performance.now() - started,
        body: response.status === 200 ? await response.json() : await errorOf(response),
      }));
      const health = dispatch(new Request(`${ORIGIN}/healthz`)).then((response) => ({ response, ms: performance.now() - started }));
      const [predicted, healthz] = await Promise.all([answer, health]);
      console.log(`${entry.name}: ${predicted.response.status} in ${predicted.ms.toFixed(0)} ms; /healthz in ${healthz.ms.toFixed(0)} ms`);
      expect([200, 422]).toContain(predicted.response.status);
      if (predicted.response.status === 422) expect(predicted.body).toMatchObject({ code: 'too_many_marks' });
      expect(predicted.ms).toBeLessThan(SAFETY_BOUND_MS);
      expect(healthz.response.status).toBe(200);
      expect(healthz.ms).toBeLessThan(1000);
    },
  );
});
