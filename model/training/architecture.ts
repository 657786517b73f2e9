/**
 * Model factories (tfjs-examples' mnist-node style: one createModel() per architecture).
 * All take [N, DIGIT_SIDE, DIGIT_SIDE, 1] float32 in [0,1] (white ink on black, MNIST-normalized) and
 * end in a softmax over `classes`: the ten digits, and with 11 the "not one digit" class the number
 * reader needs to tell a whole digit from a piece, a pair or a separator.
 */
import * as tf from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, DIGIT_SIDE } from '../core/index.js';

export type Architecture = 'edge' | 'edge-wide' | 'seed';
export const ARCHITECTURES: readonly Architecture[] = ['edge', 'edge-wide', 'seed'];

/** Filters of the five convolution blocks. */
const WIDTHS: Record<'edge' | 'edge-wide', readonly number[]> = {
  edge: [16, 32, 32, 64, 64],
  'edge-wide': [24, 40, 40, 72, 72],
};

/**
 * The shipped network: small enough for the edge (about 86k parameters, 4.7M multiply-adds per
 * digit), with strided convolutions instead of pooling to keep full-resolution work cheap, and batch
 * normalization so it trains fast with augmentation.
 */
export function createEdgeModel(classes = DIGIT_CLASSES, widths: readonly number[] = WIDTHS.edge): tf.LayersModel {
  const model = tf.sequential({ name: 'digit_edge_cnn' });
  const block = (filters: number, strides: number, padding: 'same' | 'valid', first = false) => {
    model.add(
      tf.layers.conv2d({
        ...(first ? { inputShape: [DIGIT_SIDE, DIGIT_SIDE, 1] } : {}),
        filters,
        kernelSize: 3,
        strides,
        padding,
        useBias: false,
        kernelInitializer: 'heNormal',
      }),
    );
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.reLU());
  };
  const [a, b, c, d, e] = widths as [number, number, number, number, number];
  block(a, 1, 'same', true); // 28x28
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 14x14
  block(b, 1, 'same');
  block(c, 1, 'same');
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 7x7
  block(d, 1, 'same');
  block(e, 1, 'valid'); // 5x5
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
  return model;
}

/** The original student project's Keras network, kept as a baseline: Conv 64, Conv 32, Flatten, Dense 10. */
export function createSeedModel(classes = DIGIT_CLASSES): tf.LayersModel {
  const model = tf.sequential({ name: 'seed_cnn' });
  model.add(tf.layers.conv2d({ inputShape: [DIGIT_SIDE, DIGIT_SIDE, 1], filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}

export function createModel(architecture: Architecture, classes = DIGIT_CLASSES): tf.LayersModel {
  return architecture === 'seed' ? createSeedModel(classes) : createEdgeModel(classes, WIDTHS[architecture]);
}

/** Multiply-accumulate operations per digit for conv and dense layers (what the FLOP budget counts, x2). */
export function countMultiplyAdds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const weights = layer.getWeights();
    if (layer.getClassName() === 'Conv2D') {
      const kernel = weights[0]!.shape; // [kh, kw, in, out]
      total += out[1]! * out[2]! * kernel[0] * kernel[1]! * kernel[2]! * kernel[3]!;
    } else if (layer.getClassName() === 'Dense') {
      const kernel = weights[0]!.shape;
      total += kernel[0] * kernel[1]!;
    }
  }
  return total;
}
