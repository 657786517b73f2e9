/**
 * The training loop: augmented epochs, a learning-rate schedule, per-epoch progress, model selection
 * on the validation set only, and a checkpoint after every epoch so an interrupted run resumes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createModel, countMultiplyAdds, type Architecture } from './architecture.js';
import { Augmenter } from './augment.js';
import type { DigitSet } from './idx.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { loadModelFromDir, saveModel, type Quantization } from './model-files.js';
import { createRandom, permutation } from './random.js';

export interface TrainOptions {
  architecture: Architecture;
  train: DigitSet;
  validation: DigitSet;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Final learning rate of the cosine schedule, as a fraction of the initial one. */
  minLearningRateFraction: number;
  schedule: 'cosine' | 'constant';
  labelSmoothing: number;
  augment: boolean;
  seed: number;
  /** Where the best model (by validation accuracy) is written. */
  outputDir: string;
  /** Where the per-epoch checkpoint lives; resumed from when `resume` is set. */
  checkpointDir: string;
  resume: boolean;
  quantization: Quantization;
  /** Extra metadata stored with the model (e.g. the command line). */
  metadata?: Record<string, unknown>;
  log?: (line: string) => void;
  /** Called with each batch's training loss (tests watch it fall). */
  onBatchLoss?: (loss: number) => void;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  accuracy: number;
  validationAccuracy: number;
  samplesPerSecond: number;
  seconds: number;
  learningRate: number;
}

export interface TrainResult {
  history: EpochStats[];
  bestEpoch: number;
  bestValidationAccuracy: number;
  parameters: number;
  multiplyAdds: number;
  seconds: number;
}

interface CheckpointState {
  architecture: Architecture;
  epochsDone: number;
  history: EpochStats[];
  bestEpoch: number;
  bestValidationAccuracy: number;
  seconds: number;
  seed: number;
}

export function learningRateAt(epoch: number, options: Pick<TrainOptions, 'epochs' | 'learningRate' | 'minLearningRateFraction' | 'schedule'>): number {
  if (options.schedule === 'constant' || options.epochs <= 1) return options.learningRate;
  const progress = epoch / (options.epochs - 1);
  const min = options.learningRate * options.minLearningRateFraction;
  return min + 0.5 * (options.learningRate - min) * (1 + Math.cos(Math.PI * progress));
}

/** Images of a set as a [N,28,28,1] float tensor in [0,1]. */
export function imagesToTensor(set: DigitSet, start = 0, end = set.count): tf.Tensor4D {
  const floats = new Float32Array((end - start) * 784);
  for (let i = 0; i < floats.length; i++) floats[i] = set.images[start * 784 + i]! / 255;
  return tf.tensor4d(floats, [end - start, 28, 28, 1]);
}

/** Predicted class for every image, in batches. */
export function predictClasses(model: tfl.LayersModel, set: DigitSet, batchSize = 500): Uint8Array {
  const out = new Uint8Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(set.count, start + batchSize);
    const classes = tf.tidy(() => {
      const probabilities = model.predict(imagesToTensor(set, start, end)) as tf.Tensor;
      return tf.argMax(probabilities, 1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}

export function accuracyOf(predicted: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** The images at `indices`, as floats in [0,1]. */
function gatherImages(images: Uint8Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * 784);
  for (let n = 0; n < indices.length; n++) {
    const offset = indices[n]! * 784;
    for (let i = 0; i < 784; i++) out[n * 784 + i] = images[offset + i]! / 255;
  }
  return out;
}

function smoothedOneHot(labels: Uint8Array, indices: ArrayLike<number>, smoothing: number): Float32Array {
  const out = new Float32Array(indices.length * 10).fill(smoothing / 10);
  for (let n = 0; n < indices.length; n++) out[n * 10 + labels[indices[n]!]!] = 1 - smoothing + smoothing / 10;
  return out;
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

async function saveCheckpoint(model: tfl.LayersModel, dir: string, state: CheckpointState): Promise<void> {
  await saveModel(model, path.join(dir, 'model'));
  const optimizerWeights = await model.optimizer.getWeights();
  const data = optimizerWeights.map((w) => ({ name: w.name, shape: w.tensor.shape, values: Array.from(w.tensor.dataSync()) }));
  await writeFile(path.join(dir, 'optimizer.json'), JSON.stringify(data));
  await writeFile(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
}

async function restoreOptimizer(model: tfl.LayersModel, dir: string): Promise<void> {
  const file = path.join(dir, 'optimizer.json');
  if (!existsSync(file)) return;
  const data = JSON.parse(await readFile(file, 'utf8')) as { name: string; shape: number[]; values: number[] }[];
  if (data.length === 0) return;
  await model.optimizer.setWeights(data.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape) })));
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  await mkdir(options.checkpointDir, { recursive: true });
  const statePath = path.join(options.checkpointDir, 'state.json');
  let state: CheckpointState = {
    architecture: options.architecture, epochsDone: 0, history: [], bestEpoch: -1, bestValidationAccuracy: -1, seconds: 0, seed: options.seed,
  };
  let model: tfl.LayersModel;
  if (options.resume && existsSync(statePath)) {
    state = JSON.parse(await readFile(statePath, 'utf8')) as CheckpointState;
    if (state.architecture !== options.architecture) throw new Error(`checkpoint in ${options.checkpointDir} is for --arch ${state.architecture}`);
    model = await loadModelFromDir(path.join(options.checkpointDir, 'model'));
    log(`resuming after epoch ${state.epochsDone} (best validation accuracy ${(state.bestValidationAccuracy * 100).toFixed(2)}%)`);
  } else {
    model = createModel(options.architecture);
  }
  const optimizer = tf.train.adam(learningRateAt(state.epochsDone, options));
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  if (options.resume && state.epochsDone > 0) {
    // Adam's moments are created lazily; one zero-rate step creates them, then they are overwritten.
    const probe = imagesToTensor(options.train, 0, 1);
    const label = tf.tensor2d(smoothedOneHot(options.train.labels, [0], 0), [1, 10]);
    (optimizer as unknown as { learningRate: number }).learningRate = 0;
    await model.trainOnBatch(probe, label);
    tf.dispose([probe, label]);
    await restoreOptimizer(model, options.checkpointDir);
  }
  const parameters = model.countParams();
  const multiplyAdds = countMultiplyAdds(model);
  log(`model ${options.architecture}: ${parameters} parameters, ${(multiplyAdds / 1e6).toFixed(2)}M multiply-adds per digit; ${options.train.count} training and ${options.validation.count} validation digits; backend ${tf.getBackend()}`);

  const augmenter = new Augmenter(options.seed + state.epochsDone * 7919);
  const shuffle = createRandom(options.seed * 31 + state.epochsDone);
  for (let epoch = state.epochsDone; epoch < options.epochs; epoch++) {
    const started = Date.now();
    const learningRate = learningRateAt(epoch, options);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const order = permutation(options.train.count, shuffle);
    const pixels = options.augment ? augmenter.augmentBatch(options.train.images, order) : gatherImages(options.train.images, order);
    const xs = tf.tensor4d(pixels, [order.length, 28, 28, 1]);
    const ys = tf.tensor2d(smoothedOneHot(options.train.labels, order, options.labelSmoothing), [order.length, 10]);
    const batches = Math.ceil(order.length / options.batchSize);
    let lastReport = Date.now();
    const history = await model.fit(xs, ys, {
      epochs: 1, batchSize: options.batchSize, shuffle: false, verbose: 0,
      callbacks: {
        onBatchEnd: async (batch, logs) => {
          if (logs?.loss !== undefined) options.onBatchLoss?.(logs.loss);
          if (Date.now() - lastReport < 30_000) return;
          lastReport = Date.now();
          const done = (batch + 1) * options.batchSize;
          const rate = done / ((Date.now() - started) / 1000);
          log(`  epoch ${epoch + 1} batch ${batch + 1}/${batches} loss ${logs?.loss?.toFixed(4)} ${rate.toFixed(0)} samples/s`);
        },
      },
    });
    tf.dispose([xs, ys]);
    const validationAccuracy = accuracyOf(predictClasses(model, options.validation), options.validation.labels);
    const seconds = (Date.now() - started) / 1000;
    state.seconds += seconds;
    const stats: EpochStats = {
      epoch: epoch + 1,
      loss: history.history.loss![0] as number,
      accuracy: (history.history.acc ?? history.history.accuracy)![0] as number,
      validationAccuracy,
      samplesPerSecond: order.length / seconds,
      seconds,
      learningRate,
    };
    state.history.push(stats);
    state.epochsDone = epoch + 1;
    const improved = validationAccuracy > state.bestValidationAccuracy;
    if (improved) {
      state.bestValidationAccuracy = validationAccuracy;
      state.bestEpoch = epoch + 1;
      // The shipped form: batch norm folded into the convolutions (fewer, fused kernels at inference);
      // the checkpoint below keeps the trainable form.
      const inference = await foldBatchNorm(model);
      await saveModel(inference, options.outputDir, {
        quantization: options.quantization,
        metadata: { ...options.metadata, architecture: options.architecture, epoch: epoch + 1, validationAccuracy, seed: options.seed, foldedBatchNorm: true },
      });
      inference.dispose();
    }
    await saveCheckpoint(model, options.checkpointDir, state);
    const left = (options.epochs - epoch - 1) * (state.seconds / state.epochsDone);
    log(`epoch ${epoch + 1}/${options.epochs} loss ${stats.loss.toFixed(4)} acc ${(stats.accuracy * 100).toFixed(2)}% val ${(validationAccuracy * 100).toFixed(2)}%${improved ? ' (best, saved)' : ''} lr ${learningRate.toExponential(2)} ${stats.samplesPerSecond.toFixed(0)} samples/s ${formatDuration(seconds)} (left ~${formatDuration(left)})`);
  }
  return {
    history: state.history, bestEpoch: state.bestEpoch, bestValidationAccuracy: state.bestValidationAccuracy,
    parameters, multiplyAdds, seconds: state.seconds,
  };
}
