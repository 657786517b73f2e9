import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { foldBatchNorm } from '../training/fold-batch-norm.js';
import { useBackend } from '../training/tfjs-node.js';

/** A small conv net with batch norm whose statistics and affine terms are far from the identity. */
function trainedLikeModel(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.reLU());
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  // With its own bias and no ReLU after the norm: folded, but stays linear.
  model.add(tfl.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', useBias: true }));
  model.add(tfl.layers.batchNormalization({ epsilon: 0.01 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
  const random = (shape: number[], min: number, max: number) => tf.randomUniform(shape, min, max, 'float32', 7);
  // Batch norm weights in order: gamma, beta, moving mean, moving variance.
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const n = layer.getWeights()[0]!.shape[0];
    layer.setWeights([random([n], 0.5, 2), random([n], -1, 1), random([n], -0.5, 0.5), random([n], 0.2, 3)]);
  }
  return model;
}

describe('folding batch norm into the convolutions', () => {
  it('computes the same function with fewer layers: no batch norm, ReLU fused, no dropout', async () => {
    await useBackend('wasm');
    const model = trainedLikeModel();
    const folded = await foldBatchNorm(model);
    expect(folded.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense']);
    const convs = folded.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.map((l) => (l.getConfig() as { activation: string }).activation)).toEqual(['relu', 'linear']);
    const x = tf.randomUniform([16, 12, 12, 1], 0, 1, 'float32', 3);
    const expected = model.predict(x) as tf.Tensor;
    const actual = folded.predict(x) as tf.Tensor;
    const difference = tf.max(tf.abs(tf.sub(expected, actual))).dataSync()[0]!;
    expect(difference).toBeLessThan(1e-5);
    // The check can fail: the outputs really depend on the batch norm terms.
    const identity = await foldBatchNorm(model);
    identity.layers[0]!.setWeights([model.layers[0]!.getWeights()[0]!, tf.zeros([4])]);
    const changed = tf.max(tf.abs(tf.sub(expected, identity.predict(x) as tf.Tensor))).dataSync()[0]!;
    expect(changed).toBeGreaterThan(1e-3);
    tf.dispose([x, expected, actual]);
  });

  it('refuses models it cannot fold rather than guessing', async () => {
    await useBackend('wasm');
    const input = tfl.input({ shape: [4] });
    const functional = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor });
    await expect(foldBatchNorm(functional)).rejects.toThrow(/Sequential/);
  });
});
