import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../training/tfjs-node.js';

type Pad = 'same' | 'valid';
type Shape4 = [number, number, number, number];
interface Case {
  pad: Pad;
  stride: number;
  x: Shape4;
  w: Shape4;
}

/** Gradients of sum(conv2d(x, w) * dy) with respect to x and w, on the current backend. */
function convGradients(x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D, c: Case): Float32Array[] {
  return tf.tidy(() => {
    const grads = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad), dy)),
    );
    return grads([x, w]).map((g) => g.dataSync() as Float32Array);
  });
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
  return max;
}

describe('wasm training kernels (gradient check against the CPU backend)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  const cases: Case[] = [
    { pad: 'valid', stride: 1, x: [2, 9, 9, 3], w: [3, 3, 3, 4] },
    { pad: 'same', stride: 1, x: [2, 9, 9, 3], w: [3, 3, 3, 4] },
    { pad: 'valid', stride: 2, x: [3, 10, 11, 2], w: [3, 3, 2, 5] },
    { pad: 'same', stride: 2, x: [3, 10, 11, 2], w: [3, 3, 2, 5] },
    { pad: 'same', stride: 2, x: [2, 7, 7, 4], w: [5, 5, 4, 3] },
    { pad: 'valid', stride: 2, x: [2, 8, 8, 2], w: [2, 2, 2, 3] },
    { pad: 'same', stride: 1, x: [4, 28, 28, 1], w: [5, 5, 1, 8] },
  ];

  for (const c of cases) {
    it(`filter and input gradients match for ${c.pad} padding, stride ${c.stride}, x ${c.x.join('x')}, w ${c.w.join('x')}`, async () => {
      await tf.setBackend('cpu');
      const xCpu = tf.randomNormal<tf.Rank.R4>(c.x, 0, 1, 'float32', 1);
      const wCpu = tf.randomNormal<tf.Rank.R4>(c.w, 0, 1, 'float32', 2);
      const outShape = tf.conv2d(xCpu, wCpu, c.stride, c.pad).shape;
      const dyCpu = tf.randomNormal<tf.Rank.R4>(outShape, 0, 1, 'float32', 3);
      const expected = convGradients(xCpu, wCpu, dyCpu, c);
      const values = [xCpu, wCpu, dyCpu].map((t) => t.dataSync());
      tf.dispose([xCpu, wCpu, dyCpu]);

      await tf.setBackend('wasm');
      const x = tf.tensor4d(values[0]!, c.x);
      const w = tf.tensor4d(values[1]!, c.w);
      const dy = tf.tensor4d(values[2]!, outShape);
      const before = tf.memory().numTensors;
      const actual = convGradients(x, w, dy, c);
      const leaked = tf.memory().numTensors - before;
      tf.dispose([x, w, dy]);
      expect(maxRelativeError(actual[0]!, expected[0]!)).toBeLessThan(1e-4); // input gradient
      expect(maxRelativeError(actual[1]!, expected[1]!)).toBeLessThan(1e-4); // filter gradient
      expect(leaked).toBe(0);
    });
  }

  it('the batch normalization gradient matches autodiff of the plain formula', async () => {
    const run = (fused: boolean) =>
      tf.tidy(() => {
        const x = tf.randomNormal([4, 5, 5, 3], 0, 2, 'float32', 7);
        const scale = tf.randomNormal([3], 1, 0.1, 'float32', 8);
        const offset = tf.randomNormal([3], 0, 0.1, 'float32', 9);
        const dy = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 10);
        const f = (xx: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
          const { mean, variance } = tf.moments(xx, [0, 1, 2]);
          const normalized = fused
            ? tf.batchNorm(xx, mean, variance, o, s, 1e-3)
            : tf.add(tf.mul(tf.mul(tf.sub(xx, mean), tf.rsqrt(tf.add(variance, 1e-3))), s), o);
          return tf.sum(tf.mul(normalized, dy));
        };
        return tf
          .grads(f)([x, scale, offset])
          .map((g) => g.dataSync() as Float32Array);
      });
    await tf.setBackend('cpu');
    const expected = run(false);
    await tf.setBackend('wasm');
    const actual = run(true);
    for (let i = 0; i < 3; i++) expect(maxRelativeError(actual[i]!, expected[i]!)).toBeLessThan(1e-3);
  });
});
