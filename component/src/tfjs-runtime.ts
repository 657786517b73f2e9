/**
 * The only module that imports TensorFlow.js. The element loads it with a dynamic import, so the
 * bundler puts tfjs (core, layers, webgl: nothing else) in a separate chunk that a page downloads
 * only when it recognizes on the device.
 *
 * Errors are plain Errors with a `name` (not RecognizerError) so this chunk shares no module with
 * the element's entry file, which stays one self-contained file.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-webgl';
import { DIGIT_PIXELS, TfjsClassifier } from '../../model/core/index.js';

let webgl: Promise<boolean> | undefined;

/** Initializes the WebGL backend once; false when the context or the shaders fail. */
function useWebgl(): Promise<boolean> {
  // Shapes as uniforms: one compiled shader serves every batch size, so a number with more digits
  // than the last one is not held up by shader compilation (seconds on software WebGL).
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  webgl ??= tf.setBackend('webgl').then(
    async (ok) => ok && (await tf.ready(), tf.getBackend() === 'webgl'),
    () => false,
  );
  return webgl;
}

function named(name: string, message: string, cause?: unknown): Error {
  const error = new Error(message, { cause });
  error.name = name;
  return error;
}

/**
 * Loads the model on the WebGL backend and warms it up (compiles the shaders) once.
 * The model files come through fetch, so the browser's HTTP cache keeps them for later visits.
 */
export async function loadWebglClassifier(modelUrl: string, timeoutMs: number): Promise<TfjsClassifier> {
  // User Timing entries (visible in DevTools' performance panel and read by the benchmark).
  let mark = performance.now();
  const measure = (name: string) => {
    performance.measure(`digit-recognizer:${name}`, { start: mark, end: performance.now() });
    mark = performance.now();
  };
  const webglReady = await useWebgl();
  measure('webgl-init');
  if (!webglReady) throw named('WebGLUnavailable', 'WebGL could not be initialized in this browser.');
  const fetchFunc = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  let classifier: TfjsClassifier;
  try {
    classifier = await TfjsClassifier.load({ core: tf, layers: tfl }, tf.io.http(modelUrl, { fetchFunc }));
  } catch (error) {
    throw named('ModelLoadError', `The model could not be loaded from ${modelUrl}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  measure('model-load');
  try {
    await classifier.warmUp();
    // Batches of more than one digit use other shader variants: compile them now too, while the
    // user is still drawing, rather than when the first number is read. With shapes as uniforms
    // these two cover every batch size.
    await classifier.predict([new Float32Array(DIGIT_PIXELS), new Float32Array(DIGIT_PIXELS)]);
    measure('warm-up');
  } catch (error) {
    classifier.dispose();
    throw named('WebGLUnavailable', `WebGL failed while running the model: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return classifier;
}
