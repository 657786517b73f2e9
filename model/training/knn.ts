/** k-nearest neighbours on raw pixels (the classic baseline the original project discussed). */
import * as tf from '@tensorflow/tfjs-core';
import type { DigitSet } from './data/idx.js';
import { DIGIT_PIXELS } from '../core/index.js';

/** Predicts each query digit by majority vote of its k nearest training digits (Euclidean distance). */
export function knnPredict(train: DigitSet, queries: DigitSet, k = 3, chunk = 500): Uint8Array {
  const out = new Uint8Array(queries.count);
  // Stored transposed ([DIGIT_PIXELS, N]): wasm's matMul is far faster without a transposed operand.
  const trainMatrix = tf.tidy(() => tf.transpose(tf.div(tf.tensor2d(train.images, [train.count, DIGIT_PIXELS], 'int32').toFloat(), 255)));
  const trainNorms = tf.tidy(() => tf.sum(tf.square(trainMatrix), 0));
  for (let start = 0; start < queries.count; start += chunk) {
    const end = Math.min(queries.count, start + chunk);
    const scores = tf.tidy(() => {
      const q = tf.div(
        tf.tensor2d(queries.images.subarray(start * DIGIT_PIXELS, end * DIGIT_PIXELS), [end - start, DIGIT_PIXELS], 'int32').toFloat(),
        255,
      );
      // |q - t|^2 = |q|^2 - 2 q.t + |t|^2; |q|^2 is constant per row, so it does not change the ranking.
      return tf.sub(tf.mul(tf.matMul(q, trainMatrix), 2), trainNorms).dataSync();
    });
    // Top k per row in plain JS: far cheaper than a full TopK sort of 50,000 scores per row.
    for (let i = 0; i < end - start; i++) {
      const best: { score: number; index: number }[] = [];
      const row = i * train.count;
      for (let j = 0; j < train.count; j++) {
        const score = scores[row + j]!;
        if (best.length < k || score > best[best.length - 1]!.score) {
          best.push({ score, index: j });
          best.sort((a, b) => b.score - a.score);
          if (best.length > k) best.pop();
        }
      }
      const votes = new Array<number>(10).fill(0);
      best.forEach((b, rank) => {
        votes[train.labels[b.index]!]! += k - rank * 0.01;
      }); // ties go to the nearest
      out[start + i] = votes.indexOf(Math.max(...votes));
    }
  }
  tf.dispose([trainMatrix, trainNorms]);
  return out;
}
