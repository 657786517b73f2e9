/**
 * The training loop: epochs of samples from a source (MNIST alone, or the mixture of writers and the
 * "not one digit" class), a learning-rate schedule, an exponential moving average of the weights,
 * model selection on held-out sets only (MNIST validation, held-out writers, held-out USPS scans),
 * and a checkpoint after every epoch so an interrupted run resumes with --resume.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DIGIT_CLASSES, DIGIT_PIXELS, DIGIT_SIDE } from '../core/index.js';
import { createModel, countMultiplyAdds, type Architecture } from './architecture.js';
import { Augmenter } from './augment.js';
import type { DigitSet } from './data/idx.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { loadModelFromDir, saveModel, type Quantization } from './model-files.js';
import { createRandom, permutation } from './random.js';

/** One epoch of training samples, already shuffled. */
export interface EpochSamples {
  /** count x DIGIT_PIXELS floats in [0,1]. */
  inputs: Float32Array;
  labels: Uint8Array;
  count: number;
  /** What the epoch holds, for the log. */
  summary?: string;
}

export interface SampleSource {
  /** Outputs of the model: 10 digits, or 11 with "not one digit". */
  classes: number;
  epoch(epoch: number): Promise<EpochSamples>;
}

/** A held-out set; the selection score is the weighted mean of their accuracies. */
export interface HeldOutSet {
  name: string;
  weight: number;
  inputs: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** MNIST training digits, augmented afresh every epoch (the previous model's whole diet). */
export function mnistSource(set: DigitSet, augment: boolean, seed: number): SampleSource {
  return {
    classes: DIGIT_CLASSES,
    epoch(epoch) {
      const order = permutation(set.count, createRandom(seed * 31 + epoch));
      const inputs = augment ? new Augmenter(seed + epoch * 7919).augmentBatch(set.images, order) : gatherImages(set.images, order);
      const labels = Uint8Array.from(order, (i) => set.labels[i]!);
      return Promise.resolve({ inputs, labels, count: set.count });
    },
  };
}

/** A digit set as a held-out set (bytes to floats). */
export function heldOut(name: string, set: DigitSet, weight = 1): HeldOutSet {
  const inputs = new Float32Array(set.count * DIGIT_PIXELS);
  for (let i = 0; i < inputs.length; i++) inputs[i] = set.images[i]! / 255;
  return { name, weight, inputs, labels: set.labels, count: set.count };
}

export interface TrainOptions {
  architecture: Architecture;
  source: SampleSource;
  validation: HeldOutSet[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Final learning rate of the cosine schedule, as a fraction of the initial one. */
  minLearningRateFraction: number;
  schedule: 'cosine' | 'constant';
  labelSmoothing: number;
  /** Decay of the weights' moving average per batch (0 = off); the average is what is validated and saved. */
  emaDecay: number;
  seed: number;
  /** Where the best model (by the validation score) is written. */
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
  /** The selection score: weighted mean of the held-out accuracies. */
  validationScore: number;
  /** Accuracy on each held-out set, by name. */
  validation: Record<string, number>;
  samplesPerSecond: number;
  seconds: number;
  learningRate: number;
}

export interface TrainResult {
  history: EpochStats[];
  bestEpoch: number;
  bestValidationScore: number;
  parameters: number;
  multiplyAdds: number;
  seconds: number;
}

interface CheckpointState {
  architecture: Architecture;
  classes: number;
  epochsDone: number;
  history: EpochStats[];
  bestEpoch: number;
  bestValidationScore: number;
  seconds: number;
  seed: number;
  /** Batches the weight average has seen. */
  averageSteps?: number;
}

export function learningRateAt(
  epoch: number,
  options: Pick<TrainOptions, 'epochs' | 'learningRate' | 'minLearningRateFraction' | 'schedule'>,
): number {
  if (options.schedule === 'constant' || options.epochs <= 1) return options.learningRate;
  const progress = epoch / (options.epochs - 1);
  const min = options.learningRate * options.minLearningRateFraction;
  return min + 0.5 * (options.learningRate - min) * (1 + Math.cos(Math.PI * progress));
}

/** Predicted class (over every output, "not one digit" included) for inputs given as floats. */
export function predictFloatClasses(
  model: tfl.LayersModel,
  inputs: Float32Array,
  count: number,
  batchSize = 500,
  digitsOnly = false,
): Uint8Array {
  const out = new Uint8Array(count);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const classes = tf.tidy(() => {
      const batch = tf.tensor4d(inputs.subarray(start * DIGIT_PIXELS, end * DIGIT_PIXELS), [end - start, DIGIT_SIDE, DIGIT_SIDE, 1]);
      const scores = model.predict(batch) as tf.Tensor2D;
      // A one-digit image is read as the likeliest digit (the rejection output weighs segmentations only).
      return tf.argMax(digitsOnly ? scores.slice([0, 0], [-1, DIGIT_CLASSES]) : scores, 1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}

/** Predicted class for every image of a byte set, in batches. */
export function predictClasses(model: tfl.LayersModel, set: DigitSet, batchSize = 500, digitsOnly = false): Uint8Array {
  return predictFloatClasses(model, heldOut('', set).inputs, set.count, batchSize, digitsOnly);
}

export function accuracyOf(predicted: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** The images at `indices`, as floats in [0,1]. */
function gatherImages(images: Uint8Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * DIGIT_PIXELS);
  for (let n = 0; n < indices.length; n++) {
    const offset = indices[n]! * DIGIT_PIXELS;
    for (let i = 0; i < DIGIT_PIXELS; i++) out[n * DIGIT_PIXELS + i] = images[offset + i]! / 255;
  }
  return out;
}

function smoothedOneHot(labels: ArrayLike<number>, classes: number, smoothing: number): Float32Array {
  const out = new Float32Array(labels.length * classes).fill(smoothing / classes);
  for (let n = 0; n < labels.length; n++) out[n * classes + labels[n]!] = 1 - smoothing + smoothing / classes;
  return out;
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A moving average of every weight (batch-norm statistics included), updated after each batch: the
 * averaged weights generalise better than the last step's, at the cost of one multiply-add per weight.
 */
class WeightAverage {
  private readonly shadows: tf.Variable[];
  constructor(
    private readonly model: tfl.LayersModel,
    private readonly decay: number,
    private steps: number,
    start?: tf.Tensor[],
  ) {
    this.shadows = model.weights.map((w, i) => tf.variable((start?.[i] ?? w.read()).clone(), false));
  }

  get updates(): number {
    return this.steps;
  }

  update(): void {
    // Early on the average follows the weights closely: the first steps' weights are random.
    const decay = Math.min(this.decay, (1 + this.steps) / (10 + this.steps));
    this.steps++;
    tf.tidy(() => {
      this.model.weights.forEach((w, i) => {
        const shadow = this.shadows[i]!;
        shadow.assign(tf.add(tf.mul(shadow, decay), tf.mul(w.read(), 1 - decay)));
      });
    });
  }

  /** Runs `body` with the averaged weights in the model, then puts the trained ones back. */
  async swapped<T>(body: () => T | Promise<T>): Promise<T> {
    const trained = this.model.getWeights().map((t) => t.clone());
    this.model.setWeights(this.shadows);
    try {
      return await body();
    } finally {
      this.model.setWeights(trained);
      tf.dispose(trained);
    }
  }
}

async function saveCheckpoint(
  model: tfl.LayersModel,
  dir: string,
  state: CheckpointState,
  average: WeightAverage | undefined,
): Promise<void> {
  await saveModel(model, path.join(dir, 'model'));
  if (average) await average.swapped(() => saveModel(model, path.join(dir, 'average')));
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

/** Accuracy on each held-out set and their weighted mean. */
function score(model: tfl.LayersModel, sets: readonly HeldOutSet[]): { score: number; accuracies: Record<string, number> } {
  const accuracies: Record<string, number> = {};
  let total = 0,
    weights = 0;
  for (const set of sets) {
    const accuracy = accuracyOf(predictFloatClasses(model, set.inputs, set.count), set.labels);
    accuracies[set.name] = accuracy;
    total += set.weight * accuracy;
    weights += set.weight;
  }
  return { score: weights > 0 ? total / weights : 0, accuracies };
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const classes = options.source.classes;
  await mkdir(options.checkpointDir, { recursive: true });
  const statePath = path.join(options.checkpointDir, 'state.json');
  let state: CheckpointState = {
    architecture: options.architecture,
    classes,
    epochsDone: 0,
    history: [],
    bestEpoch: -1,
    bestValidationScore: -1,
    seconds: 0,
    seed: options.seed,
  };
  let model: tfl.LayersModel;
  let averageStart: tf.Tensor[] | undefined;
  if (options.resume && existsSync(statePath)) {
    state = JSON.parse(await readFile(statePath, 'utf8')) as CheckpointState;
    if (state.architecture !== options.architecture || state.classes !== classes) {
      throw new Error(`checkpoint in ${options.checkpointDir} is for --arch ${state.architecture} with ${state.classes} classes`);
    }
    model = await loadModelFromDir(path.join(options.checkpointDir, 'model'));
    if (existsSync(path.join(options.checkpointDir, 'average', 'model.json'))) {
      const average = await loadModelFromDir(path.join(options.checkpointDir, 'average'));
      averageStart = average.getWeights().map((t) => t.clone());
      average.dispose();
    }
    log(`resuming after epoch ${state.epochsDone} (best validation score ${(state.bestValidationScore * 100).toFixed(2)}%)`);
  } else {
    model = createModel(options.architecture, classes);
  }
  const optimizer = tf.train.adam(learningRateAt(state.epochsDone, options));
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  if (options.resume && state.epochsDone > 0) {
    // Adam's moments are created lazily; one zero-rate step creates them, then they are overwritten.
    const probe = tf.zeros([1, DIGIT_SIDE, DIGIT_SIDE, 1]);
    const label = tf.tensor2d(smoothedOneHot([0], classes, 0), [1, classes]);
    (optimizer as unknown as { learningRate: number }).learningRate = 0;
    await model.trainOnBatch(probe, label);
    tf.dispose([probe, label]);
    await restoreOptimizer(model, options.checkpointDir);
  }
  const average = options.emaDecay > 0 ? new WeightAverage(model, options.emaDecay, state.averageSteps ?? 0, averageStart) : undefined;
  tf.dispose(averageStart ?? []);
  const parameters = model.countParams();
  const multiplyAdds = countMultiplyAdds(model);
  log(
    `model ${options.architecture}: ${parameters} parameters, ${classes} classes, ${(multiplyAdds / 1e6).toFixed(2)}M multiply-adds per digit; held out: ${options.validation.map((s) => `${s.name} ${s.count}`).join(', ')}; backend ${tf.getBackend()}`,
  );

  for (let epoch = state.epochsDone; epoch < options.epochs; epoch++) {
    const started = Date.now();
    const learningRate = learningRateAt(epoch, options);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const samples = await options.source.epoch(epoch);
    log(
      `  epoch ${epoch + 1}: ${samples.count} samples${samples.summary ? ` (${samples.summary})` : ''}, built in ${formatDuration((Date.now() - started) / 1000)}`,
    );
    const xs = tf.tensor4d(samples.inputs, [samples.count, DIGIT_SIDE, DIGIT_SIDE, 1]);
    const ys = tf.tensor2d(smoothedOneHot(samples.labels, classes, options.labelSmoothing), [samples.count, classes]);
    const batches = Math.ceil(samples.count / options.batchSize);
    let lastReport = Date.now();
    const history = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onBatchEnd: (batch, logs) => {
          average?.update();
          if (logs?.loss !== undefined) options.onBatchLoss?.(logs.loss);
          if (Date.now() - lastReport < 60_000) return;
          lastReport = Date.now();
          const done = (batch + 1) * options.batchSize;
          const rate = done / ((Date.now() - started) / 1000);
          log(`  epoch ${epoch + 1} batch ${batch + 1}/${batches} loss ${logs?.loss?.toFixed(4)} ${rate.toFixed(0)} samples/s`);
        },
      },
    });
    tf.dispose([xs, ys]);
    const judged = average ? await average.swapped(() => score(model, options.validation)) : score(model, options.validation);
    const seconds = (Date.now() - started) / 1000;
    state.seconds += seconds;
    const stats: EpochStats = {
      epoch: epoch + 1,
      loss: history.history.loss![0] as number,
      accuracy: (history.history.acc ?? history.history.accuracy)![0] as number,
      validationScore: judged.score,
      validation: judged.accuracies,
      samplesPerSecond: samples.count / seconds,
      seconds,
      learningRate,
    };
    state.history.push(stats);
    state.epochsDone = epoch + 1;
    if (average) state.averageSteps = average.updates;
    const improved = judged.score > state.bestValidationScore;
    if (improved) {
      state.bestValidationScore = judged.score;
      state.bestEpoch = epoch + 1;
      // The shipped form: batch norm folded into the convolutions (fewer, fused kernels at inference);
      // the checkpoint keeps the trainable form.
      const save = async () => {
        const inference = await foldBatchNorm(model);
        await saveModel(inference, options.outputDir, {
          quantization: options.quantization,
          metadata: {
            ...options.metadata,
            architecture: options.architecture,
            classes,
            epoch: epoch + 1,
            validationScore: judged.score,
            validation: judged.accuracies,
            seed: options.seed,
            foldedBatchNorm: true,
            weightAverage: options.emaDecay,
          },
        });
        inference.dispose();
      };
      await (average ? average.swapped(save) : save());
    }
    await saveCheckpoint(model, options.checkpointDir, state, average);
    const left = (options.epochs - epoch - 1) * (state.seconds / state.epochsDone);
    const held = Object.entries(judged.accuracies)
      .map(([name, a]) => `${name} ${(a * 100).toFixed(2)}%`)
      .join(', ');
    log(
      `epoch ${epoch + 1}/${options.epochs} loss ${stats.loss.toFixed(4)} acc ${(stats.accuracy * 100).toFixed(2)}% held out: ${held}; score ${(judged.score * 100).toFixed(2)}%${improved ? ' (best, saved)' : ''} lr ${learningRate.toExponential(2)} ${stats.samplesPerSecond.toFixed(0)} samples/s ${formatDuration(seconds)} (left ~${formatDuration(left)})`,
    );
  }
  return {
    history: state.history,
    bestEpoch: state.bestEpoch,
    bestValidationScore: state.bestValidationScore,
    parameters,
    multiplyAdds,
    seconds: state.seconds,
  };
}
