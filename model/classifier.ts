/**
 * The classifier wrapper: a tfjs layers model behind a small interface, so recognition code does not
 * care which backend (webgl in the browser, cpu/wasm in the worker and Node) runs it.
 * Imports only tfjs-core and tfjs-layers; the caller registers and selects a backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Anything that turns 28x28 model inputs into softmax rows. */
export interface Classifier {
  /** One probability row (10 numbers) per 784-value input. */
  predict(inputs: readonly Float32Array[]): Promise<number[][]>;
}

export const INPUT_SIZE = 28;
export const INPUT_LENGTH = INPUT_SIZE * INPUT_SIZE;

export class TfjsClassifier implements Classifier {
  constructor(readonly model: tfl.LayersModel) {}

  /** Loads a layers model from a URL (browser) or any tfjs IO handler (memory, fetch with options). */
  static async load(source: string | tf.io.IOHandler): Promise<TfjsClassifier> {
    return new TfjsClassifier(await tfl.loadLayersModel(source));
  }

  /** From model.json contents and the weight file bytes, e.g. bundled into a worker. */
  static async fromArtifacts(modelJson: { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig }, weights: ArrayBuffer): Promise<TfjsClassifier> {
    const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
    return new TfjsClassifier(await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weights })));
  }

  async predict(inputs: readonly Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const batch = new Float32Array(inputs.length * INPUT_LENGTH);
    inputs.forEach((input, i) => {
      if (input.length !== INPUT_LENGTH) throw new Error(`model input ${i} has ${input.length} values, expected ${INPUT_LENGTH}`);
      batch.set(input, i * INPUT_LENGTH);
    });
    // tidy frees the input tensor; the output is freed once read.
    const output = tf.tidy(() => this.model.predict(tf.tensor4d(batch, [inputs.length, INPUT_SIZE, INPUT_SIZE, 1])) as tf.Tensor);
    try {
      const flat = (await output.data()) as Float32Array;
      const rows: number[][] = [];
      for (let i = 0; i < inputs.length; i++) rows.push(Array.from(flat.subarray(i * 10, i * 10 + 10)));
      return rows;
    } finally {
      output.dispose();
    }
  }

  /** Runs one blank digit through the model so shaders/kernels are compiled before the first real use. */
  async warmUp(): Promise<void> {
    await this.predict([new Float32Array(INPUT_LENGTH)]);
  }

  dispose(): void {
    this.model.dispose();
  }
}
