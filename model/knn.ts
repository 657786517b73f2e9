/** k-nearest neighbours on raw pixels (the classic baseline the original project discussed). */
import * as tf from '@tensorflow/tfjs-core';
import type { DigitSet } from './idx.js';

/** Predicts each query digit by majority vote of its k nearest training digits (Euclidean distance). */
export function knnPredict(train: DigitSet, queries: DigitSet, k = 3, chunk = 500): Uint8Array {
  const out = new Uint8Array(queries.count);
  const trainMatrix = tf.tidy(() => tf.div(tf.tensor2d(train.images, [train.count, 784], 'int32').toFloat(), 255));
  const trainNorms = tf.tidy(() => tf.sum(tf.square(trainMatrix), 1));
  for (let start = 0; start < queries.count; start += chunk) {
    const end = Math.min(queries.count, start + chunk);
    const indices = tf.tidy(() => {
      const q = tf.div(tf.tensor2d(queries.images.subarray(start * 784, end * 784), [end - start, 784], 'int32').toFloat(), 255);
      // |q - t|^2 = |q|^2 - 2 q.t + |t|^2; |q|^2 is constant per row, so it does not change the ranking.
      const scores = tf.sub(tf.mul(tf.matMul(q, trainMatrix, false, true), 2), trainNorms);
      return tf.topk(scores, k).indices.dataSync();
    });
    for (let i = 0; i < end - start; i++) {
      const votes = new Array<number>(10).fill(0);
      for (let j = 0; j < k; j++) votes[train.labels[indices[i * k + j]!]!]! += k - j * 0.01; // ties go to the nearest
      out[start + i] = votes.indexOf(Math.max(...votes));
    }
  }
  tf.dispose([trainMatrix, trainNorms]);
  return out;
}
