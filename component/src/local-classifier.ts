/**
 * On-device classification: decides whether WebGL is really usable, then lazily loads the tfjs
 * chunk and the model, once per model URL for the whole page (several elements share it).
 */
import type { Classifier } from '../../model/core/index.js';
import { RecognizerError } from './errors.js';

/**
 * A cheap first check before downloading tfjs: can this browser create a WebGL context at all?
 * (Blocked WebGL, old GPUs and privacy modes fail here.) The backend's own initialization in the
 * tfjs chunk is the second, real check.
 */
export function canCreateWebglContext(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return false;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

const classifiers = new Map<string, Promise<Classifier>>();
const loaded = new Set<string>();

/** Whether the model for `modelUrl` is loaded and warm (the next recognition is fast). */
export function isLocalClassifierLoaded(modelUrl: string): boolean {
  return loaded.has(modelUrl);
}

async function load(modelUrl: string, timeoutMs: number): Promise<Classifier> {
  if (!canCreateWebglContext())
    throw new RecognizerError('webgl-unavailable', 'WebGL is not available in this browser, so digits cannot be read on this device.');
  let runtime: typeof import('./tfjs-runtime.js');
  try {
    const started = performance.now();
    runtime = await import('./tfjs-runtime.js');
    performance.measure('digit-recognizer:tfjs-import', { start: started, end: performance.now() });
  } catch (error) {
    throw new RecognizerError('model-load', 'The recognition code could not be downloaded. Check your connection and retry.', true, {
      cause: error,
    });
  }
  try {
    return await runtime.loadWebglClassifier(modelUrl, timeoutMs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'WebGLUnavailable')
      throw new RecognizerError('webgl-unavailable', message, false, { cause: error });
    throw new RecognizerError('model-load', message, true, { cause: error });
  }
}

/**
 * The classifier for `modelUrl`, loading it on first use. A failure that retrying can fix (the
 * network) is forgotten so the next call tries again; missing WebGL is remembered.
 */
export function loadLocalClassifier(modelUrl: string, timeoutMs: number): Promise<Classifier> {
  let pending = classifiers.get(modelUrl);
  if (!pending) {
    pending = load(modelUrl, timeoutMs);
    classifiers.set(modelUrl, pending);
    pending.then(
      () => loaded.add(modelUrl),
      (error: unknown) => {
        if (error instanceof RecognizerError && error.retryable) classifiers.delete(modelUrl);
      },
    );
  }
  return pending;
}
