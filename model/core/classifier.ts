/**
 * Classification, the pipeline's fourth stage: a tfjs layers model behind a small interface, so
 * recognition code does not care which backend (webgl in the browser, wasm in the worker and Node)
 * runs it. The core imports no tfjs code: the caller hands in the tfjs namespaces it has loaded and
 * set up (the element's lazily loaded tfjs file, the worker's wasm backend, Node's), so a page that
 * never reads on the device never downloads tfjs.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, DIGIT_PIXELS, DIGIT_SIDE } from './constants.js';

/** The tfjs namespaces a classifier runs on: tfjs-core with a backend ready, and tfjs-layers. */
export interface Tfjs {
  core: typeof TfCore;
  layers: typeof TfLayers;
}

/** Anything that turns model inputs into softmax rows. */
export interface Classifier {
  /**
   * One probability row per DIGIT_PIXELS-value input: the DIGIT_CLASSES digits, then (for models
   * trained with it) the probability that the input is not one digit.
   */
  predict(inputs: readonly Float32Array[]): Promise<number[][]>;
}

export class TfjsClassifier implements Classifier {
  constructor(
    readonly model: TfLayers.LayersModel,
    private readonly tf: Tfjs,
  ) {}

  /** Loads a layers model from a URL (browser) or any tfjs IO handler (memory, fetch with options). */
  static async load(tf: Tfjs, source: string | TfCore.io.IOHandler): Promise<TfjsClassifier> {
    return new TfjsClassifier(await tf.layers.loadLayersModel(source), tf);
  }

  /** From model.json contents and the weight file bytes, e.g. bundled into a worker. */
  static async fromArtifacts(
    tf: Tfjs,
    modelJson: { modelTopology: object; weightsManifest: TfCore.io.WeightsManifestConfig },
    weights: ArrayBuffer,
  ): Promise<TfjsClassifier> {
    const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
    return TfjsClassifier.load(tf, tf.core.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weights }));
  }

  async predict(inputs: readonly Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const batch = new Float32Array(inputs.length * DIGIT_PIXELS);
    inputs.forEach((input, i) => {
      if (input.length !== DIGIT_PIXELS) throw new Error(`model input ${i} has ${input.length} values, expected ${DIGIT_PIXELS}`);
      batch.set(input, i * DIGIT_PIXELS);
    });
    // tidy frees the input tensor; the output is freed once read.
    const { tidy, tensor4d } = this.tf.core;
    const output = tidy(() => this.model.predict(tensor4d(batch, [inputs.length, DIGIT_SIDE, DIGIT_SIDE, 1])) as TfCore.Tensor);
    try {
      const flat = (await output.data()) as Float32Array;
      const rows: number[][] = [];
      // Ten digits, or eleven with "not one digit": the model says how many.
      const classes = output.shape[output.shape.length - 1] ?? DIGIT_CLASSES;
      for (let i = 0; i < inputs.length; i++) rows.push(Array.from(flat.subarray(i * classes, (i + 1) * classes)));
      return rows;
    } finally {
      output.dispose();
    }
  }

  /** Runs one blank digit through the model so shaders/kernels are compiled before the first real use. */
  async warmUp(): Promise<void> {
    await this.predict([new Float32Array(DIGIT_PIXELS)]);
  }

  dispose(): void {
    this.model.dispose();
  }
}
