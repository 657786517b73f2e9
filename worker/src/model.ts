/**
 * The shipped model, bundled into the worker (model.json as JSON, weights.bin as bytes via the Data
 * module rule), so it is never fetched per request. It is loaded once per isolate, on first use,
 * through a memoized promise; a failed load is retried by the next request.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import modelJson from '../../model/artifacts/model.json';
import weights from '../../model/artifacts/weights.bin';
import { type ModelInfo, TfjsClassifier } from '../../model/core/index.js';
import { fingerprint } from './fingerprint.js';
import { useBackend } from './tf-backend.js';

export const MODEL_NAME = 'digit-edge-cnn';

interface ModelJson {
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
  userDefinedMetadata?: { epoch?: number; validationAccuracy?: number };
}
const artifacts = modelJson as unknown as ModelJson;

function describe(): ModelInfo {
  const epoch = artifacts.userDefinedMetadata?.epoch;
  // A version that changes whenever the weights do.
  const hash = fingerprint(new Uint8Array(weights));
  return { name: MODEL_NAME, version: epoch === undefined ? hash : `e${epoch}-${hash}` };
}

export const modelInfo: ModelInfo = describe();

let loading: Promise<TfjsClassifier> | undefined;

export function getClassifier(): Promise<TfjsClassifier> {
  loading ??= (async () => {
    await useBackend();
    const classifier = await TfjsClassifier.fromArtifacts({ core: tf, layers: tfl }, artifacts, weights);
    await classifier.warmUp();
    return classifier;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
