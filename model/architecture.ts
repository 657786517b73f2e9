/**
 * Model factories (tfjs-examples' mnist-node style: one createModel() per architecture).
 * Both take [N,28,28,1] float32 in [0,1] (white ink on black, MNIST-normalized) and end in softmax [N,10].
 */
import * as tf from '@tensorflow/tfjs-layers';

export type Architecture = 'edge' | 'seed';
export const ARCHITECTURES: readonly Architecture[] = ['edge', 'seed'];

/**
 * The shipped network: small enough for the edge (about 86k parameters, 4.7M multiply-adds per
 * digit), with strided convolutions instead of pooling to keep full-resolution work cheap, and batch
 * normalization so it trains fast with augmentation.
 */
export function createEdgeModel(): tf.LayersModel {
  const model = tf.sequential({ name: 'digit_edge_cnn' });
  const block = (filters: number, strides: number, padding: 'same' | 'valid', first = false) => {
    model.add(tf.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters, kernelSize: 3, strides, padding, useBias: false, kernelInitializer: 'heNormal',
    }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.reLU());
  };
  block(16, 1, 'same', true); // 28x28
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 14x14
  block(32, 1, 'same');
  block(32, 1, 'same');
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 7x7
  block(64, 1, 'same');
  block(64, 1, 'valid'); // 5x5
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  return model;
}

/** The original student project's Keras network, kept as a baseline: Conv 64, Conv 32, Flatten, Dense 10. */
export function createSeedModel(): tf.LayersModel {
  const model = tf.sequential({ name: 'seed_cnn' });
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export function createModel(architecture: Architecture): tf.LayersModel {
  return architecture === 'seed' ? createSeedModel() : createEdgeModel();
}

/** Multiply-accumulate operations per digit for conv and dense layers (what the FLOP budget counts, x2). */
export function countMultiplyAdds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const weights = layer.getWeights();
    if (layer.getClassName() === 'Conv2D') {
      const kernel = weights[0]!.shape; // [kh, kw, in, out]
      total += out[1]! * out[2]! * kernel[0]! * kernel[1]! * kernel[2]! * kernel[3]!;
    } else if (layer.getClassName() === 'Dense') {
      const kernel = weights[0]!.shape;
      total += kernel[0]! * kernel[1]!;
    }
  }
  return total;
}
